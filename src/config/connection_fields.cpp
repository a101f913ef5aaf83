#include "config/connection_fields.hpp"

#include <fmt/format.h>

#include <cctype>

#include "common/duration.hpp"
#include "config/parameters.hpp"

namespace strata::config::detail {

std::optional<int> whole_number_in(std::string_view text, int low, int high) {
  const auto number = parse_number(text);
  if (!number || *number != static_cast<double>(static_cast<int>(*number)) || *number < low ||
      *number > high) {
    return std::nullopt;
  }
  return static_cast<int>(*number);
}

std::optional<std::chrono::milliseconds> milliseconds(std::string_view text) {
  const auto micros = parse_duration(text);
  if (!micros || *micros < kMicrosPerMilli) return std::nullopt;
  return std::chrono::milliseconds(*micros / kMicrosPerMilli);
}

std::optional<std::string> environment_name(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front())) != 0) return std::nullopt;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return std::nullopt;
  }
  return std::string(text);
}

void read_reconnect(const MapReader& connection, model::ReconnectPolicy& policy) {
  const auto* entry = connection.find("reconnect");
  if (entry == nullptr) return;
  MapReader map(connection.sink(), entry->value, entry->value_position,
                "'reconnect' of " + connection.what());
  if (!map.ok()) return;
  map.check_keys({"initial", "max"}, {});
  if (const auto initial =
          read_value(map, "initial", "a duration of at least 1ms, like 500ms", milliseconds)) {
    policy.initial = *initial;
  }
  if (const auto max = read_value(map, "max", "a duration of at least 1ms, like 30s", milliseconds)) {
    policy.max = *max;
  }
  if (policy.max < policy.initial) {
    connection.sink().error(map.position(),
                            fmt::format("'max' in {} must not be shorter than 'initial'", map.what()));
  }
}

std::optional<model::CommandWrite> read_command(DiagnosticSink& sink, const YAML::Node& node,
                                                Position fallback, const std::string& what,
                                                const model::Plant& plant) {
  MapReader map(sink, node, fallback, what);
  if (!map.ok()) return std::nullopt;
  map.check_keys({"unit", "control_command", "change_request"}, {"unit", "control_command"});
  const auto unit = map.scalar("unit");
  const auto control = map.scalar("control_command");
  if (!unit || !control) return std::nullopt;
  if (plant.find_unit(*unit) == nullptr) {
    sink.error(map.find("unit")->value_position, fmt::format("unknown unit '{}' in {}", *unit, what));
    return std::nullopt;
  }
  return model::CommandWrite{*unit, *control, map.scalar("change_request")};
}

std::vector<model::CommandWrite> read_commands(const MapReader& connection, const model::Plant& plant) {
  std::vector<model::CommandWrite> commands;
  const auto* entry = connection.find("commands");
  if (entry == nullptr) return commands;
  const auto items = sequence_items(connection.sink(), *entry, connection.what());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (auto command = read_command(connection.sink(), items[i], entry->value_position,
                                    fmt::format("command #{} of {}", i + 1, connection.what()), plant)) {
      commands.push_back(std::move(*command));
    }
  }
  return commands;
}

}  // namespace strata::config::detail
