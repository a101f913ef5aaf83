#pragma once
// How alarm transitions are journaled. Each "alarm" event carries the transition and the alarm's whole
// record after it, so the latest event of every alarm is its persisted state: a restart restores alarms
// from the journal alone, and a state can never be saved without the transition that produced it.
#include <nlohmann/json.hpp>
#include <string>

#include "alarms/lifecycle.hpp"
#include "alarms/transition.hpp"
#include "common/result.hpp"
#include "model/alarm_definition.hpp"

namespace strata::engine {

inline constexpr std::string_view kAlarmEvent = "alarm";

[[nodiscard]] nlohmann::json alarm_record_json(const alarms::AlarmRecord& record);
[[nodiscard]] Result<alarms::AlarmRecord> alarm_record_from_json(const nlohmann::json& json);

// The payload of an "alarm" event; `annunciated` tells KPI reports whether the operator saw it.
[[nodiscard]] std::string alarm_event_payload(const alarms::Transition& transition,
                                              const alarms::AlarmRecord& after,
                                              const model::AlarmDefinition& definition,
                                              const model::AlarmPriority& priority);

}  // namespace strata::engine
