#pragma once
// What makes a set of alarm definitions usable by the runtime, checked once when the book is built so the
// hot path can trust them. Each error names the alarm and the rule it breaks.
//
// Rules:
//  - ids are non-empty and unique; priority indexes the plant's priority set (which is non-empty).
//  - every kind but PackMLFault has a tag; PackMLFault has none and needs a unit.
//  - setpoint_tag only on Deviation alarms; active_only_in needs a unit.
//  - limit, setpoint, normal_value and deadband are finite; deadband, delays and max_shelve_duration
//    are not negative.
//  - Deviation and RateOfChange compare an absolute value, so their limit is not negative and their
//    deadband is at most the limit (else the alarm could never return to normal).
#include <cstddef>
#include <span>

#include "common/result.hpp"
#include "model/alarm_definition.hpp"

namespace strata::alarms {

[[nodiscard]] Result<void> check_definition(const model::AlarmDefinition& definition,
                                            std::size_t priority_count);
[[nodiscard]] Result<void> check_definitions(std::span<const model::AlarmDefinition> definitions,
                                             std::span<const model::AlarmPriority> priorities);

}  // namespace strata::alarms
