#pragma once
// The "modbus" driver: polls Modbus TCP servers for the plant's "modbus:" tags (address syntax in
// modbus_address.hpp) and writes PackML commands with the PackTags handshake. One thread per
// connection; values are pushed only when they or their quality change.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/modbus/connection_settings.hpp"
#include "drivers/modbus/connection_stats.hpp"
#include "drivers/modbus/connection_worker.hpp"
#include "engine/driver.hpp"

namespace strata::modbus {

class ModbusDriver final : public engine::Driver {
 public:
  // Binds every modbus tag and commandable unit of the plant to `connections`; all configuration
  // problems come back at once. The plant and clock must outlive the driver.
  [[nodiscard]] static Result<std::unique_ptr<ModbusDriver>> create(
      const model::Plant& plant, std::vector<ConnectionSettings> connections, const Clock& clock);
  // The same checks without building a driver, for `strata check`.
  [[nodiscard]] static Result<void> validate(const model::Plant& plant,
                                             const std::vector<ConnectionSettings>& connections);

  ~ModbusDriver() override;
  ModbusDriver(const ModbusDriver&) = delete;
  ModbusDriver& operator=(const ModbusDriver&) = delete;

  [[nodiscard]] std::string_view scheme() const override { return kScheme; }
  // Starts one thread per connection; each connects, then pushes every tag's value on its first poll.
  void start(engine::UpdateSink& sink) override;
  void stop() override;
  // Queues CntrlCmd = command number then CmdChangeRequest = 1 for the unit's connection thread;
  // refused when the unit has no Modbus command target or its connection is down.
  Result<void> send_command(const model::WorkUnit& unit, states::PackMLCommand command) override;

  // Thread-safe snapshot, one entry per connection in configuration order.
  [[nodiscard]] std::vector<ConnectionStats> stats() const;
  [[nodiscard]] std::vector<engine::ConnectionMetrics> metrics() const override;
  // Read requests per poll of a connection (planner output), for diagnostics; empty for unknown names.
  [[nodiscard]] std::vector<ReadRequest> plan(std::string_view connection) const;

 private:
  struct CommandRoute {
    std::size_t worker = 0;
    BoundUnit unit;
  };

  ModbusDriver(std::vector<ConnectionBinding> bindings, const Clock& clock);

  std::vector<std::unique_ptr<ConnectionWorker>> workers_;
  std::map<std::string, CommandRoute, std::less<>> routes_;  // by WorkUnit::id
};

}  // namespace strata::modbus
