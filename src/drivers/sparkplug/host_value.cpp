#include "drivers/sparkplug/host_value.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

namespace strata::sparkplug {
namespace {

std::optional<std::int64_t> to_integer(const MetricValue& value, std::int64_t min, std::int64_t max) {
  return std::visit(
      [&](const auto& v) -> std::optional<std::int64_t> {
        using V = std::decay_t<decltype(v)>;
        std::optional<std::int64_t> result;
        if constexpr (std::is_same_v<V, bool>) {
          result = v ? 1 : 0;
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          result = v;
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
          if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            result = static_cast<std::int64_t>(v);
          }
        } else if constexpr (std::is_same_v<V, float> || std::is_same_v<V, double>) {
          const double rounded = std::round(static_cast<double>(v));
          // 2^63 is exactly representable; anything at or beyond it does not fit.
          if (std::isfinite(rounded) && rounded >= -9.223372036854775808e18 &&
              rounded < 9.223372036854775808e18) {
            result = static_cast<std::int64_t>(rounded);
          }
        }
        if (result && (*result < min || *result > max)) return std::nullopt;
        return result;
      },
      value);
}

std::optional<double> to_real(const MetricValue& value) {
  return std::visit(
      [](const auto& v) -> std::optional<double> {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) {
          return v ? 1.0 : 0.0;
        } else if constexpr (std::is_same_v<V, std::int64_t> || std::is_same_v<V, std::uint64_t> ||
                             std::is_same_v<V, float> || std::is_same_v<V, double>) {
          return static_cast<double>(v);
        } else {
          return std::nullopt;
        }
      },
      value);
}

}  // namespace

std::optional<model::Value> to_tag_value(const MetricValue& value, model::TagType type) {
  if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
  switch (type) {
    case model::TagType::Bool: {
      if (const auto* flag = std::get_if<bool>(&value)) return model::Value{*flag};
      if (std::holds_alternative<std::string>(value)) return std::nullopt;
      const auto number = to_real(value);
      if (!number) return std::nullopt;
      return model::Value{*number != 0.0};
    }
    case model::TagType::Int32: {
      const auto number = to_integer(value, std::numeric_limits<std::int32_t>::min(),
                                     std::numeric_limits<std::int32_t>::max());
      if (!number) return std::nullopt;
      return model::Value{*number};
    }
    case model::TagType::Int64: {
      const auto number = to_integer(value, std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max());
      if (!number) return std::nullopt;
      return model::Value{*number};
    }
    case model::TagType::Float32:
    case model::TagType::Float64: {
      const auto number = to_real(value);
      if (!number) return std::nullopt;
      return model::Value{*number};
    }
    case model::TagType::String:
      return std::visit(
          [](const auto& v) -> std::optional<model::Value> {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string>) {
              return model::Value{v};
            } else if constexpr (std::is_same_v<V, bool>) {
              return model::Value{std::string(v ? "true" : "false")};
            } else if constexpr (std::is_same_v<V, std::monostate>) {
              return std::nullopt;
            } else {
              return model::Value{fmt::format("{}", v)};
            }
          },
          value);
  }
  return std::nullopt;
}

}  // namespace strata::sparkplug
