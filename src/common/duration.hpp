#pragma once
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

#include "common/clock.hpp"

namespace strata {

namespace detail {

[[nodiscard]] inline std::optional<Timestamp> parse_duration_text(std::string_view text, bool allow_zero) {
  if (text.empty()) return std::nullopt;
  Timestamp unit = kMicrosPerSecond;
  switch (text.back()) {
    case 's':
      text.remove_suffix(1);
      if (!text.empty() && text.back() == 'm') {
        unit = kMicrosPerMilli;
        text.remove_suffix(1);
      }
      break;
    case 'm':
      unit = 60 * kMicrosPerSecond;
      text.remove_suffix(1);
      break;
    case 'h':
      unit = 3600 * kMicrosPerSecond;
      text.remove_suffix(1);
      break;
    case 'd':
      unit = 86400 * kMicrosPerSecond;
      text.remove_suffix(1);
      break;
    default:
      break;
  }
  double amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(amount) || amount < 0 ||
      (amount == 0 && !allow_zero)) {
    return std::nullopt;
  }
  const double micros = amount * static_cast<double>(unit);
  // Beyond ~292,000 years the microseconds no longer fit a Timestamp.
  if (micros >= static_cast<double>(std::numeric_limits<Timestamp>::max())) return std::nullopt;
  return static_cast<Timestamp>(micros);
}

}  // namespace detail

// "500ms", "90s", "30m", "8h", "7d" or a plain number of seconds -> microseconds; nullopt if malformed or
// not positive.
[[nodiscard]] inline std::optional<Timestamp> parse_duration(std::string_view text) {
  return detail::parse_duration_text(text, false);
}

// The same, but 0 is allowed: a delay of 0 is meaningful where a session lifetime of 0 is not.
[[nodiscard]] inline std::optional<Timestamp> parse_duration_or_zero(std::string_view text) {
  return detail::parse_duration_text(text, true);
}

}  // namespace strata
