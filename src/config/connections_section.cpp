#include "config/connections_section.hpp"

#include <fmt/format.h>

#include <chrono>

#include "common/duration.hpp"
#include "config/connection_fields.hpp"
#include "config/opcua_section.hpp"
#include "config/parameters.hpp"
#include "config/sparkplug_section.hpp"

namespace strata::config::detail {
namespace {

std::optional<model::ModbusConnection> read_modbus(DiagnosticSink& sink, const YAML::Node& node,
                                                   Position fallback, std::size_t index,
                                                   const model::Plant& plant) {
  MapReader map(sink, node, fallback, fmt::format("modbus connection #{}", index + 1));
  if (!map.ok()) return std::nullopt;
  map.check_keys(
      {"name", "host", "port", "unit_id", "poll_interval", "response_timeout", "max_registers_per_request",
       "max_bits_per_request", "max_register_gap", "max_bit_gap", "reconnect", "commands"},
      {"name", "host"});
  const auto name = map.id("name");
  const auto host = map.scalar("host");
  if (!name || !host) return std::nullopt;
  map.rename(fmt::format("modbus connection '{}'", *name));
  model::ModbusConnection connection;
  connection.name = *name;
  connection.host = *host;
  const auto integer = [&](std::string_view key, int low, int high, int& target) {
    const auto value = read_value(map, key, fmt::format("a whole number {}..{}", low, high),
                                  [&](std::string_view text) { return whole_number_in(text, low, high); });
    if (value) target = *value;
  };
  integer("port", 1, 65535, connection.port);
  integer("unit_id", 0, 255, connection.unit_id);
  integer("max_registers_per_request", 1, model::ModbusConnection::kProtocolMaxRegisters,
          connection.max_registers_per_request);
  integer("max_bits_per_request", 1, model::ModbusConnection::kProtocolMaxBits,
          connection.max_bits_per_request);
  integer("max_register_gap", 0, model::ModbusConnection::kProtocolMaxRegisters, connection.max_register_gap);
  integer("max_bit_gap", 0, model::ModbusConnection::kProtocolMaxBits, connection.max_bit_gap);
  if (const auto poll =
          read_value(map, "poll_interval", "a duration of at least 1ms, like 500ms", milliseconds)) {
    connection.poll_interval = *poll;
  }
  if (const auto timeout =
          read_value(map, "response_timeout", "a duration of at least 1ms, like 1s", milliseconds)) {
    connection.response_timeout = *timeout;
  }
  read_reconnect(map, connection.reconnect);
  connection.commands = read_commands(map, plant);
  return connection;
}

}  // namespace

void read_connections(DiagnosticSink& sink, const Entry& entry, model::Plant& plant) {
  MapReader map(sink, entry.value, entry.value_position, "the connections section");
  if (!map.ok()) return;
  map.check_keys({"modbus", "opcua", "sparkplug"}, {});
  if (const auto* modbus = map.find("modbus")) {
    DuplicateTracker names;
    const auto items = sequence_items(sink, *modbus, map.what());
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto connection = read_modbus(sink, items[i], modbus->value_position, i, plant);
      if (!connection || !names.add(sink, connection->name, position_of(items[i], modbus->value_position),
                                    "modbus connection", map.what())) {
        continue;
      }
      plant.modbus_connections.push_back(std::move(*connection));
    }
  }
  if (const auto* opcua = map.find("opcua")) read_opcua_connections(sink, *opcua, plant);
  if (const auto* sparkplug = map.find("sparkplug")) read_sparkplug_connections(sink, *sparkplug, plant);
}

}  // namespace strata::config::detail
