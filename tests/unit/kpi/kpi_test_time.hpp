#pragma once
// Plant-time helpers for the KPI tests: whole minutes from a fixed midnight keep timelines readable.
#include <cstdint>

#include "common/clock.hpp"
#include "kpi/interval.hpp"

namespace strata::kpi::test {

constexpr Timestamp kMidnight = 1'767'225'600LL * kMicrosPerSecond;  // 2026-01-01 00:00 UTC
constexpr double kSecondsPerMinute = 60.0;

constexpr Timestamp minutes(std::int64_t count) {
  return count * 60 * kMicrosPerSecond;
}
// The instant `minute` minutes after kMidnight.
constexpr Timestamp at_minute(std::int64_t minute) {
  return kMidnight + minutes(minute);
}
constexpr Interval minute_span(std::int64_t from, std::int64_t to) {
  return {at_minute(from), at_minute(to)};
}

}  // namespace strata::kpi::test
