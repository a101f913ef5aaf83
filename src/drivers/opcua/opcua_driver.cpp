#include "drivers/opcua/opcua_driver.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "drivers/connector/connector_location.hpp"
#include "drivers/opcua/opcua_binding.hpp"

namespace strata::opcua {

Result<void> OpcUaDriver::validate(const model::Plant& plant) {
  if (auto bindings = bind_plant(plant); !bindings) return bindings.error();
  return {};
}

Result<std::unique_ptr<OpcUaDriver>> OpcUaDriver::create(const model::Plant& plant, const Clock& clock,
                                                         DriverOptions options) {
  auto bindings = bind_plant(plant);
  if (!bindings) return bindings.error();
  std::string problems;
  const auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "; ") + text; };
  std::vector<std::pair<OpcUaBinding, std::string>> used;
  for (auto& binding : *bindings) {
    if (binding.items.empty() && binding.commands.empty()) continue;
    std::string password;
    if (!binding.connection.password_env.empty()) {
      const char* value = std::getenv(binding.connection.password_env.c_str());  // NOLINT: start-up only
      if (value == nullptr) {
        problem(fmt::format(
            "opcua connection '{}': environment variable {} (the password of user '{}') is not set",
            binding.connection.name, binding.connection.password_env, binding.connection.user));
      } else {
        password = value;
      }
    }
    used.emplace_back(std::move(binding), std::move(password));
  }
  auto argv = options.connector_argv;
  if (argv.empty() && !used.empty()) {
    auto location = connector::find_connector("opcua", options.program_path);
    if (!location) {
      problem(location.error().message);
    } else {
      argv = location->argv();
    }
  }
  if (!problems.empty()) return make_error(problems);

  std::unique_ptr<OpcUaDriver> driver(new OpcUaDriver());
  for (auto& [binding, password] : used) {
    for (const auto& command : binding.commands) {
      driver->routes_.emplace(command.unit_id, CommandRoute{driver->sessions_.size(), command});
    }
    connector::ConnectorOptions process;
    process.argv = argv;
    process.timings = options.timings;
    driver->sessions_.push_back(
        std::make_unique<OpcUaSession>(std::move(binding), std::move(process), password, clock));
  }
  return driver;
}

OpcUaDriver::~OpcUaDriver() {
  stop();
}

void OpcUaDriver::start(engine::UpdateSink& sink) {
  for (auto& session : sessions_) session->start(sink);
}

void OpcUaDriver::stop() {
  for (auto& session : sessions_) session->stop();
}

Result<void> OpcUaDriver::send_command(const model::WorkUnit& unit, states::PackMLCommand command) {
  const auto route = routes_.find(unit.id);
  if (route == routes_.end()) {
    return make_error(
        fmt::format("unit {} has no OPC UA command target (give it a {} tag with an opcua source, or "
                    "a commands entry in its connection)",
                    unit.id, kControlCommandTag));
  }
  return sessions_[route->second.session]->queue_command(route->second.command, command);
}

std::vector<engine::ConnectionMetrics> OpcUaDriver::metrics() const {
  std::vector<engine::ConnectionMetrics> all;
  all.reserve(sessions_.size());
  for (const auto& session : sessions_) all.push_back(session->metrics());
  return all;
}

}  // namespace strata::opcua
