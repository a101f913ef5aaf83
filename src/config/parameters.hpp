#pragma once
// Template parameters: declared types, value checks and `${name}` substitution.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

[[nodiscard]] std::optional<model::ParameterType> parse_parameter_type(std::string_view text);
[[nodiscard]] std::string_view to_string(model::ParameterType type);
inline constexpr std::string_view kParameterTypeNames = "float, int, bool, string";

// Whether `value` is a valid literal of `type` (float: finite decimal number, int: 64-bit integer,
// bool: true/false, string: anything).
[[nodiscard]] bool matches_type(std::string_view value, model::ParameterType type);

[[nodiscard]] std::optional<double> parse_number(std::string_view text);

struct ParameterReference {
  std::string name;
  std::size_t offset = 0;  // of the '$'
};

struct ReferenceScan {
  std::vector<ParameterReference> references;
  std::optional<std::size_t> unterminated;  // offset of a '${' without '}'
};

// Finds `${name}` references in a text.
[[nodiscard]] ReferenceScan scan_references(std::string_view text);

// Replaces every `${name}` by its value; nullopt when a referenced parameter has no value.
[[nodiscard]] std::optional<std::string> substitute(std::string_view text,
                                                    const std::map<std::string, std::string>& values);

// Where to report a bad value that came from `raw`: at the instance's value of the first referenced
// parameter the instance set (the instance chose the bad value), else at `template_position`.
[[nodiscard]] Position blame_position(std::string_view raw,
                                      const std::map<std::string, Position>& value_positions,
                                      Position template_position);

}  // namespace strata::config::detail
