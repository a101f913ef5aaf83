#include "drivers/opcua/value_codec.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace strata::opcua {
namespace {

std::optional<std::int64_t> integer_from_json(const nlohmann::json& json) {
  if (json.is_number_integer()) {
    if (json.is_number_unsigned() &&
        json.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return json.get<std::int64_t>();
  }
  if (json.is_number_float()) {
    const auto number = json.get<double>();
    // Integral doubles only, within the range where they are exact.
    if (std::trunc(number) != number || std::fabs(number) > 9'007'199'254'740'992.0) return std::nullopt;
    return static_cast<std::int64_t>(number);
  }
  if (json.is_string()) {
    const auto& text = json.get_ref<const std::string&>();
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<model::Value> value_from_json(const nlohmann::json& json, model::TagType type) {
  switch (type) {
    case model::TagType::Bool:
      if (json.is_boolean()) return model::Value{json.get<bool>()};
      return std::nullopt;
    case model::TagType::Int32: {
      const auto value = integer_from_json(json);
      if (!value || *value < std::numeric_limits<std::int32_t>::min() ||
          *value > std::numeric_limits<std::int32_t>::max()) {
        return std::nullopt;
      }
      return model::Value{*value};
    }
    case model::TagType::Int64: {
      const auto value = integer_from_json(json);
      if (!value) return std::nullopt;
      return model::Value{*value};
    }
    case model::TagType::Float32:
    case model::TagType::Float64:
      if (json.is_number()) return model::Value{json.get<double>()};
      if (const auto value = json.is_string() ? integer_from_json(json) : std::nullopt) {
        return model::Value{static_cast<double>(*value)};
      }
      return std::nullopt;
    case model::TagType::String:
      if (json.is_string()) return model::Value{json.get<std::string>()};
      return std::nullopt;
  }
  return std::nullopt;
}

model::Quality quality_from_json(const nlohmann::json& json) {
  if (json.is_string()) {
    const auto& text = json.get_ref<const std::string&>();
    if (text == "good") return model::Quality::Good;
    if (text == "uncertain") return model::Quality::Uncertain;
  }
  return model::Quality::Bad;
}

nlohmann::json value_to_json(const model::Value& value, std::string_view data_type) {
  const bool wide = data_type == "Int64" || data_type == "UInt64";
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  if (const auto* i = std::get_if<std::int64_t>(&value))
    return wide ? nlohmann::json(std::to_string(*i)) : nlohmann::json(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return nullptr;
}

}  // namespace strata::opcua
