#pragma once
// Half-open spans of plant time [begin, end): shifts, breaks, stops, reporting buckets.
#include "common/clock.hpp"

namespace strata::kpi {

struct Interval {
  Timestamp begin = 0;
  Timestamp end = 0;  // exclusive, so adjacent shifts share a boundary without sharing a microsecond

  [[nodiscard]] Timestamp length() const { return end > begin ? end - begin : 0; }
  [[nodiscard]] bool contains(Timestamp t) const { return begin <= t && t < end; }
  friend bool operator==(const Interval&, const Interval&) = default;
};

// Microseconds two intervals share; 0 when they are disjoint.
[[nodiscard]] inline Timestamp overlap(const Interval& a, const Interval& b) {
  const Timestamp begin = a.begin > b.begin ? a.begin : b.begin;
  const Timestamp end = a.end < b.end ? a.end : b.end;
  return end > begin ? end - begin : 0;
}

// KPI time elements are in seconds (ISO 22400 works in time units, not ticks).
[[nodiscard]] constexpr double to_seconds(Timestamp micros) {
  return static_cast<double>(micros) / static_cast<double>(kMicrosPerSecond);
}

}  // namespace strata::kpi
