#pragma once
// Fields every `connections:` entry shares, whatever the protocol: numbers and durations with limits,
// environment variable names, the reconnect backoff and PackTags command entries.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

[[nodiscard]] std::optional<int> whole_number_in(std::string_view text, int low, int high);
// A duration of at least 1 ms ("500ms", "2s").
[[nodiscard]] std::optional<std::chrono::milliseconds> milliseconds(std::string_view text);
// A POSIX-style variable name: letters, digits and '_', not starting with a digit.
[[nodiscard]] std::optional<std::string> environment_name(std::string_view text);

// The optional `reconnect: { initial: 500ms, max: 30s }` of a connection.
void read_reconnect(const MapReader& connection, model::ReconnectPolicy& policy);

// One `commands:` entry, `{ unit, control_command, change_request }`; the unit must exist.
[[nodiscard]] std::optional<model::CommandWrite> read_command(DiagnosticSink& sink, const YAML::Node& node,
                                                              Position fallback, const std::string& what,
                                                              const model::Plant& plant);

// The optional `commands:` list of `connection`.
[[nodiscard]] std::vector<model::CommandWrite> read_commands(const MapReader& connection,
                                                             const model::Plant& plant);

}  // namespace strata::config::detail
