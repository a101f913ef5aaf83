#pragma once
// Alarm definitions as instantiated in the plant: one per unit and rationalised alarm, the Master Alarm
// Database entry of ISA-18.2 (standards.md §4.1): what to watch, when it trips, how urgent it is, why it
// exists and what the operator may do with it. Plain data; the runtime lives in src/alarms.
//
// Rules (how the fields are read):
//  - High / HighHigh trip when value > limit and return when value <= limit - deadband;
//    Low / LowLow trip when value < limit and return when value >= limit + deadband.
//  - Deviation trips when |value - setpoint| > limit and returns when |value - setpoint| <= limit - deadband;
//    the setpoint is the last good value of setpoint_tag when there is one, else the constant `setpoint`.
//  - Discrete trips when value != normal_value (bools read as 0 / 1); deadband is ignored.
//  - RateOfChange trips when |Δvalue / Δt| between two consecutive good samples > limit (units per second)
//    and returns when that rate <= limit - deadband.
//  - PackMLFault trips while the unit's PackML state is Aborting, Aborted, Holding or Held (the states the
//    KPI classifier counts as failures); it has no tag. A PLC stop reason code is a Discrete alarm on the
//    StopReason tag with normal_value 0.
//  - on_delay: the condition must hold for that long before the alarm activates; off_delay: it must stay
//    normal for that long before the alarm clears.
//  - active_only_in: empty = always live; otherwise the alarm is suppressed by design while its unit is in
//    any other PackML state (e.g. {Execute}: a low speed is no alarm while the line is stopped).
//  - max_shelve_duration = 0: operators cannot shelve this alarm (e.g. safety-critical alarms).
//  - This header includes states/packml.hpp for the PackMLState enum only (no link dependency).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "model/tag.hpp"
#include "states/packml.hpp"

namespace strata::model {

enum class AlarmKind : std::uint8_t {
  High,
  HighHigh,
  Low,
  LowLow,
  Deviation,
  Discrete,
  RateOfChange,
  PackMLFault
};

// One level of the plant's ordered priority set. Definitions refer to a priority by its index in that set;
// rank orders urgency for consoles (higher = more urgent) so plants can renumber without reindexing.
struct AlarmPriority {
  std::string name;
  int rank = 0;
};

// ISA-18.2 §4.4 recommends 3 or 4 priorities; the KPI report compares index 0..3 to 80 / 15 / 5 / <1 %.
[[nodiscard]] inline std::vector<AlarmPriority> default_alarm_priorities() {
  return {{"low", 1}, {"medium", 2}, {"high", 3}, {"critical", 4}};
}

// Rationalisation record (standards.md §4.1, stage C): why the alarm exists and what to do about it.
struct Rationalization {
  std::string cause;
  std::string consequence;
  std::string corrective_action;
  Timestamp max_time_to_respond = 0;
};

// Operator actions that must carry a comment (audit trail). Shelving and out-of-service default to
// required because ISA-18.2 wants both reviewed; acknowledging is routine.
struct CommentRules {
  bool acknowledge = false;
  bool shelve = true;
  bool out_of_service = true;
};

struct AlarmDefinition {
  std::string id;       // hierarchy path, e.g. "bottling/packaging/L1/filler/speed_low"
  std::string name;     // short display name, e.g. "Filler speed low"
  std::string unit_id;  // owning work unit, e.g. "bottling/packaging/L1/filler"
  AlarmKind kind = AlarmKind::High;
  std::optional<TagIndex> tag{};           // process value; none only for PackMLFault
  std::optional<TagIndex> setpoint_tag{};  // Deviation: where the setpoint comes from
  double setpoint = 0.0;                   // Deviation: constant setpoint when there is no setpoint_tag
  double normal_value = 0.0;               // Discrete: the value that means normal
  double limit = 0.0;                      // trip point (see the rules above)
  double deadband = 0.0;                   // in the units of the compared quantity
  Timestamp on_delay = 0;
  Timestamp off_delay = 0;
  std::size_t priority = 0;  // index into the plant's AlarmPriority set
  std::string alarm_class;   // free grouping, e.g. "process", "equipment", "quality"
  Rationalization rationalization{};
  std::vector<states::PackMLState> active_only_in{};
  bool latching = false;  // once active, stays annunciated until an operator resets it after it cleared
  Timestamp max_shelve_duration = 8LL * 3600 * kMicrosPerSecond;  // one shift
  CommentRules comments_required{};
  std::string message;  // what the console shows, e.g. "Filler speed below 300 bpm"
};

}  // namespace strata::model
