#include "config/parameters.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace strata::config::detail {

std::optional<model::ParameterType> parse_parameter_type(std::string_view text) {
  if (text == "float") return model::ParameterType::Float;
  if (text == "int") return model::ParameterType::Int;
  if (text == "bool") return model::ParameterType::Bool;
  if (text == "string") return model::ParameterType::String;
  return std::nullopt;
}

std::string_view to_string(model::ParameterType type) {
  switch (type) {
    case model::ParameterType::Float:
      return "float";
    case model::ParameterType::Int:
      return "int";
    case model::ParameterType::Bool:
      return "bool";
    case model::ParameterType::String:
      return "string";
  }
  return "string";
}

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool matches_type(std::string_view value, model::ParameterType type) {
  switch (type) {
    case model::ParameterType::Float:
      return parse_number(value).has_value();
    case model::ParameterType::Int: {
      if (!value.empty() && value.front() == '+') value.remove_prefix(1);
      std::int64_t number = 0;
      const auto* end = value.data() + value.size();
      const auto [ptr, ec] = std::from_chars(value.data(), end, number);
      return !value.empty() && ec == std::errc{} && ptr == end;
    }
    case model::ParameterType::Bool:
      return value == "true" || value == "false";
    case model::ParameterType::String:
      return true;
  }
  return false;
}

ReferenceScan scan_references(std::string_view text) {
  ReferenceScan scan;
  std::size_t from = 0;
  while (true) {
    const auto start = text.find("${", from);
    if (start == std::string_view::npos) break;
    const auto close = text.find('}', start + 2);
    if (close == std::string_view::npos) {
      scan.unterminated = start;
      break;
    }
    scan.references.push_back({std::string(text.substr(start + 2, close - start - 2)), start});
    from = close + 1;
  }
  return scan;
}

std::optional<std::string> substitute(std::string_view text,
                                      const std::map<std::string, std::string>& values) {
  std::string result;
  std::size_t from = 0;
  for (const auto& reference : scan_references(text).references) {
    const auto it = values.find(reference.name);
    if (it == values.end()) return std::nullopt;
    result.append(text.substr(from, reference.offset - from));
    result += it->second;
    from = reference.offset + reference.name.size() + 3;
  }
  result.append(text.substr(from));
  return result;
}

Position blame_position(std::string_view raw, const std::map<std::string, Position>& value_positions,
                        Position template_position) {
  for (const auto& reference : scan_references(raw).references) {
    if (const auto it = value_positions.find(reference.name); it != value_positions.end()) return it->second;
  }
  return template_position;
}

}  // namespace strata::config::detail
