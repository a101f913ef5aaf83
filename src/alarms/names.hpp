#pragma once
// Names of the alarm enums, for configuration, the API and the journal; one table per enum in names.cpp.
// States and kinds parse case-sensitively, as the journal and the plant file write them.
#include <optional>
#include <string>
#include <string_view>

#include "alarms/transition.hpp"
#include "common/clock.hpp"
#include "model/alarm_definition.hpp"

namespace strata::alarms {

[[nodiscard]] std::string_view to_string(model::AlarmKind kind);  // "high", "high_high", ... "packml_fault"
[[nodiscard]] std::optional<model::AlarmKind> parse_alarm_kind(std::string_view name);
[[nodiscard]] std::string_view to_string(AlarmState state);  // ISA names: "Normal", "Unacknowledged", ...
[[nodiscard]] std::optional<AlarmState> parse_alarm_state(std::string_view name);
[[nodiscard]] std::string_view to_string(ShelveKind kind);  // "none", "timed", "one_shot"
[[nodiscard]] std::optional<ShelveKind> parse_shelve_kind(std::string_view name);
[[nodiscard]] std::string_view to_string(AlarmAction action);  // "acknowledge", "shelve_expired", ...
[[nodiscard]] std::optional<AlarmAction> parse_alarm_action(std::string_view name);

// A duration for people: "2h", "1h30m", "90s" reads as "1m30s", "1.5s", "250ms"; "0s" for zero or less.
[[nodiscard]] std::string describe_duration(Timestamp micros);

}  // namespace strata::alarms
