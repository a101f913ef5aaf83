#pragma once
// Plant time and definitions for the alarm tests: whole seconds from a fixed midnight keep timelines
// readable.
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "model/alarm_definition.hpp"
#include "model/tag.hpp"

namespace strata::alarms::test {

constexpr Timestamp kMidnight = 1'767'225'600LL * kMicrosPerSecond;  // 2026-01-01 00:00 UTC

constexpr Timestamp seconds(double count) {
  return static_cast<Timestamp>(count * static_cast<double>(kMicrosPerSecond));
}
constexpr Timestamp minutes(std::int64_t count) {
  return count * 60 * kMicrosPerSecond;
}
constexpr Timestamp hours(std::int64_t count) {
  return count * 3600 * kMicrosPerSecond;
}
// The instant `count` seconds after kMidnight.
constexpr Timestamp at_second(double count) {
  return kMidnight + seconds(count);
}

// A High alarm on tag 0 with no delays, no deadband and the default operator policy.
inline model::AlarmDefinition high_alarm(std::string id = "site/area/L1/filler/temp_high",
                                         double limit = 80.0) {
  model::AlarmDefinition definition;
  definition.id = std::move(id);
  definition.name = "Temperature high";
  definition.unit_id = "site/area/L1/filler";
  definition.kind = model::AlarmKind::High;
  definition.tag = 0;
  definition.limit = limit;
  definition.message = "Filler temperature above limit";
  return definition;
}

inline model::TagValue good(model::Value value, Timestamp at) {
  return {.value = std::move(value), .quality = model::Quality::Good, .source_time = at, .server_time = at};
}
inline model::TagValue with_quality(model::Value value, model::Quality quality, Timestamp at) {
  return {.value = std::move(value), .quality = quality, .source_time = at, .server_time = at};
}

}  // namespace strata::alarms::test
