#pragma once
#include <optional>
#include <string_view>

#include "common/clock.hpp"

namespace strata::cli {

// "90s", "30m", "8h", "7d" or a plain number of seconds -> microseconds.
[[nodiscard]] std::optional<Timestamp> parse_duration(std::string_view text);

}  // namespace strata::cli
