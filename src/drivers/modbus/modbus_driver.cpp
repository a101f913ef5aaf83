#include "drivers/modbus/modbus_driver.hpp"

#include <fmt/format.h>

#include "drivers/modbus/tag_binding.hpp"

namespace strata::modbus {

Result<std::unique_ptr<ModbusDriver>> ModbusDriver::create(const model::Plant& plant,
                                                           std::vector<ConnectionSettings> connections,
                                                           const Clock& clock) {
  auto bindings = bind_plant(plant, connections);
  if (!bindings) return bindings.error();
  return std::unique_ptr<ModbusDriver>(new ModbusDriver(std::move(bindings.value()), clock));
}

Result<void> ModbusDriver::validate(const model::Plant& plant,
                                    const std::vector<ConnectionSettings>& connections) {
  if (auto bindings = bind_plant(plant, connections); !bindings) return bindings.error();
  return {};
}

ModbusDriver::ModbusDriver(std::vector<ConnectionBinding> bindings, const Clock& clock) {
  for (auto& binding : bindings) {
    for (const auto& unit : binding.units) routes_.emplace(unit.unit_id, CommandRoute{workers_.size(), unit});
    workers_.push_back(std::make_unique<ConnectionWorker>(std::move(binding), clock));
  }
}

ModbusDriver::~ModbusDriver() {
  stop();
}

void ModbusDriver::start(engine::UpdateSink& sink) {
  for (auto& worker : workers_) worker->start(sink);
}

void ModbusDriver::stop() {
  for (auto& worker : workers_) worker->request_stop();
  for (auto& worker : workers_) worker->join();
}

Result<void> ModbusDriver::send_command(const model::WorkUnit& unit, states::PackMLCommand command) {
  const auto route = routes_.find(unit.id);
  if (route == routes_.end()) {
    return make_error(
        fmt::format("unit {} has no Modbus command target (give it a {} tag with a modbus source, or a "
                    "commands entry in its "
                    "connection)",
                    unit.id, kControlCommandTag));
  }
  return workers_[route->second.worker]->queue_command(route->second.unit, command);
}

std::vector<ConnectionStats> ModbusDriver::stats() const {
  std::vector<ConnectionStats> all;
  all.reserve(workers_.size());
  for (const auto& worker : workers_) all.push_back(worker->stats());
  return all;
}

std::vector<engine::ConnectionMetrics> ModbusDriver::metrics() const {
  std::vector<engine::ConnectionMetrics> all;
  for (const auto& connection : stats()) {
    all.push_back(engine::ConnectionMetrics{
        .driver = std::string(kScheme),
        .connection = connection.connection,
        .connected = connection.connected,
        .reads = connection.reads_answered,
        .values = connection.values_pushed,
        .errors = connection.errors,
        .reconnects = connection.reconnects,
        .writes = connection.commands_written,
        .write_errors = connection.commands_failed,
        .latency_seconds_sum = connection.read_seconds_sum,
        .latency_count = connection.reads_answered,
        .last_error = connection.last_error,
    });
  }
  return all;
}

std::vector<ReadRequest> ModbusDriver::plan(std::string_view connection) const {
  for (const auto& worker : workers_) {
    if (worker->name() == connection) return worker->plan();
  }
  return {};
}

}  // namespace strata::modbus
