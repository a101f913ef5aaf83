#pragma once
// The "sparkplug" driver, host-application role: reads tags whose source is
// "sparkplug:<connection>/<edge node>/<device>/<metric>" (node metrics: an empty device,
// "sparkplug:<connection>/<edge node>//<metric>"; syntax in host_source.hpp) from Sparkplug B 3.0 edge
// nodes through an MQTT broker, and sends unit commands as DCMD/NCMD. One HostConnection (MQTT client +
// timer thread) per connection that a tag reads or that has a host_id; behaviour in host_session.hpp.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/sparkplug/host_connection.hpp"
#include "drivers/sparkplug/host_source.hpp"
#include "engine/driver.hpp"
#include "model/plant.hpp"

namespace strata::sparkplug {

using engine::kControlCommandTag;
using engine::kChangeRequestTag;

class SparkplugHostDriver final : public engine::Driver {
 public:
  // True when the plant has a tag with a sparkplug source or a sparkplug connection with a host_id, i.e.
  // when `strata serve` should run this driver.
  [[nodiscard]] static bool used_by(const model::Plant& plant);
  // Binds every sparkplug tag and commandable unit to plant.sparkplug_connections; all problems come back
  // at once. The plant and clock must outlive the driver.
  [[nodiscard]] static Result<std::unique_ptr<SparkplugHostDriver>> create(const model::Plant& plant,
                                                                           const Clock& clock);
  // The same checks without building a driver, for `strata check`.
  [[nodiscard]] static Result<void> validate(const model::Plant& plant);

  ~SparkplugHostDriver() override;
  SparkplugHostDriver(const SparkplugHostDriver&) = delete;
  SparkplugHostDriver& operator=(const SparkplugHostDriver&) = delete;

  [[nodiscard]] std::string_view scheme() const override { return kHostScheme; }
  // Connects every connection (in the background; reconnecting forever) and asks the edge nodes read for
  // a Rebirth on every connect. Tags stay Bad until their metric is born.
  void start(engine::UpdateSink& sink) override;
  void stop() override;
  // Queues a DCMD to the device carrying the unit's Command.CntrlCmd tag: that metric = the command
  // number, plus Command.CmdChangeRequest = true when the unit has such a tag. Refused when the unit has
  // no sparkplug Command.CntrlCmd tag or the broker is not connected.
  Result<void> send_command(const model::WorkUnit& unit, states::PackMLCommand command) override;
  // One entry per connection (driver "sparkplug-host"), in configuration order.
  [[nodiscard]] std::vector<engine::ConnectionMetrics> metrics() const override;

 private:
  struct CommandRoute {
    std::size_t connection = 0;
    std::string edge_node_id;
    std::string device_id;
    std::string control_metric;
    std::optional<std::string> change_request_metric;
  };
  struct Binding;

  SparkplugHostDriver() = default;
  static Result<Binding> bind(const model::Plant& plant);

  std::vector<std::unique_ptr<HostConnection>> connections_;
  std::map<std::string, CommandRoute, std::less<>> routes_;  // by WorkUnit::id
};

}  // namespace strata::sparkplug
