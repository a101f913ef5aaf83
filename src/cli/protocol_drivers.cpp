#include "cli/protocol_drivers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "drivers/modbus/modbus_address.hpp"
#include "drivers/modbus/modbus_driver.hpp"
#include "drivers/opcua/opcua_address.hpp"
#include "drivers/opcua/opcua_driver.hpp"
#include "drivers/sparkplug/host_driver.hpp"

namespace strata::cli {
namespace {

bool has_sources(const model::Plant& plant, std::string_view scheme) {
  return std::any_of(plant.tags.begin(), plant.tags.end(), [scheme](const model::Tag& tag) {
    return model::source_scheme(tag.definition.source) == scheme;
  });
}

bool uses_modbus(const model::Plant& plant) {
  return !plant.modbus_connections.empty() || has_sources(plant, modbus::kScheme);
}

bool uses_opcua(const model::Plant& plant) {
  return !plant.opcua_connections.empty() || has_sources(plant, opcua::kScheme);
}

}  // namespace

Result<void> validate_protocol_drivers(const model::Plant& plant) {
  std::vector<std::string> problems;
  if (auto modbus = modbus::ModbusDriver::validate(plant, plant.modbus_connections); !modbus) {
    problems.push_back(modbus.error().message);
  }
  if (auto opcua = opcua::OpcUaDriver::validate(plant); !opcua) problems.push_back(opcua.error().message);
  if (auto host = sparkplug::SparkplugHostDriver::validate(plant); !host)
    problems.push_back(host.error().message);
  if (problems.empty()) return {};
  std::string message = problems.front();
  for (std::size_t i = 1; i < problems.size(); ++i) message += "\n" + problems[i];
  return make_error(message);
}

Result<std::vector<std::unique_ptr<engine::Driver>>> create_protocol_drivers(
    const model::Plant& plant, const Clock& clock, const std::string& program_path) {
  std::vector<std::unique_ptr<engine::Driver>> drivers;
  if (uses_modbus(plant)) {
    auto modbus = modbus::ModbusDriver::create(plant, plant.modbus_connections, clock);
    if (!modbus) return modbus.error();
    spdlog::info("modbus: {} connection(s)", plant.modbus_connections.size());
    drivers.push_back(std::move(*modbus));
  }
  if (uses_opcua(plant)) {
    auto opcua = opcua::OpcUaDriver::create(plant, clock, {.program_path = program_path});
    if (!opcua) return opcua.error();
    spdlog::info("opcua: {} connection(s)", plant.opcua_connections.size());
    drivers.push_back(std::move(*opcua));
  }
  if (sparkplug::SparkplugHostDriver::used_by(plant)) {
    auto host = sparkplug::SparkplugHostDriver::create(plant, clock);
    if (!host) return host.error();
    spdlog::info("sparkplug host: {} connection(s)", plant.sparkplug_connections.size());
    drivers.push_back(std::move(*host));
  }
  return drivers;
}

Result<std::vector<std::unique_ptr<sparkplug::EdgeNode>>> create_edge_nodes(const model::Plant& plant,
                                                                            engine::Engine& engine,
                                                                            const Clock& clock,
                                                                            const std::string& data_dir) {
  std::vector<std::unique_ptr<sparkplug::EdgeNode>> edges;
  for (const auto& connection : plant.sparkplug_connections) {
    if (connection.edge_node_id.empty()) continue;
    sparkplug::EdgeNodeOptions options;
    options.store_forward_dir = connection.store_forward_dir.empty()
                                    ? std::filesystem::path(data_dir) / ("sparkplug-" + connection.name)
                                    : std::filesystem::path(connection.store_forward_dir);
    auto edge = sparkplug::EdgeNode::create(plant, connection, engine, clock, options);
    if (!edge) return edge.error();
    engine.add_listener(edge->get());
    spdlog::info("sparkplug edge node {}/{} on {}:{}, store-and-forward in {}", connection.group_id,
                 connection.edge_node_id, connection.host, connection.port,
                 options.store_forward_dir.string());
    edges.push_back(std::move(*edge));
  }
  return edges;
}

}  // namespace strata::cli
