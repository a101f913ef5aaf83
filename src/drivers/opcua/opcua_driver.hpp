#pragma once
// The "opcua" driver: reads the plant's "opcua:" tags (source syntax in opcua_address.hpp) from OPC UA
// servers through the Node.js connector (docs/connector-protocol.md, role client), one connector process
// per connection, and writes PackML commands with the PackTags handshake. Values are pushed only when they
// or their quality change; every tag of a connection is Bad while its session or connector is down.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/connector/connector_process.hpp"
#include "drivers/opcua/opcua_session.hpp"
#include "engine/driver.hpp"

namespace strata::opcua {

struct DriverOptions {
  // argv[0] of the running strata, to find connectors/opcua (connector_location.hpp).
  std::string program_path{};
  // Runs this instead of the located connector when not empty (tests, benchmarks).
  std::vector<std::string> connector_argv{};
  connector::ConnectorTimings timings{};
};

class OpcUaDriver final : public engine::Driver {
 public:
  // Binds every opcua tag and commandable unit of the plant to its connections, reads the passwords from
  // the environment and locates the connector; all problems come back at once. The plant and the clock
  // must outlive the driver.
  [[nodiscard]] static Result<std::unique_ptr<OpcUaDriver>> create(const model::Plant& plant,
                                                                   const Clock& clock,
                                                                   DriverOptions options = {});
  // The configuration checks alone (no environment, no connector), for `strata check`.
  [[nodiscard]] static Result<void> validate(const model::Plant& plant);

  ~OpcUaDriver() override;
  OpcUaDriver(const OpcUaDriver&) = delete;
  OpcUaDriver& operator=(const OpcUaDriver&) = delete;

  [[nodiscard]] std::string_view scheme() const override { return kSchemeName; }
  // Starts one connector per connection that has tags or commands; returns at once.
  void start(engine::UpdateSink& sink) override;
  void stop() override;
  // Queues CntrlCmd = command number then CmdChangeRequest = true for the unit's connection; refused when
  // the unit has no OPC UA command target or its connection is not connected.
  Result<void> send_command(const model::WorkUnit& unit, states::PackMLCommand command) override;
  // One entry per started connection, in configuration order.
  [[nodiscard]] std::vector<engine::ConnectionMetrics> metrics() const override;

 private:
  static constexpr std::string_view kSchemeName = "opcua";
  struct CommandRoute {
    std::size_t session = 0;
    BoundCommand command;
  };

  OpcUaDriver() = default;

  std::vector<std::unique_ptr<OpcUaSession>> sessions_;
  std::map<std::string, CommandRoute, std::less<>> routes_;  // by WorkUnit::id
};

}  // namespace strata::opcua
