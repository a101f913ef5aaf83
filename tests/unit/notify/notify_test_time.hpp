#pragma once
// Plant-time helpers for the notify tests: whole minutes from a fixed midnight keep timelines readable.
#include <cstdint>

#include "common/clock.hpp"

namespace strata::notify::test {

constexpr Timestamp kMidnight = 1'767'225'600LL * kMicrosPerSecond;  // 2026-01-01 00:00 UTC, a Thursday

constexpr Timestamp seconds(std::int64_t count) {
  return count * kMicrosPerSecond;
}
constexpr Timestamp minutes(std::int64_t count) {
  return count * 60 * kMicrosPerSecond;
}
constexpr Timestamp hours(std::int64_t count) {
  return count * 3600 * kMicrosPerSecond;
}
// The instant `minute` minutes after kMidnight.
constexpr Timestamp at_minute(std::int64_t minute) {
  return kMidnight + minutes(minute);
}

}  // namespace strata::notify::test
