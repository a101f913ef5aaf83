#pragma once
// Alarm calibration from history: replays a tag's recorded samples through an alarm's condition as
// configured and as proposed, so an engineer sees how many activations a change would have removed. The
// replay uses the live engine's Condition, so what it predicts is what the engine will do.
//
// Heuristic for a chattering alarm (chattering.hpp; the remedy goes to the short side of the chatter):
//  - Replay the current settings. Chattering bursts are the activations that belong to a chatter window.
//    Inside bursts, alarm runs are the activations' durations and normal runs the gaps between two
//    consecutive burst activations.
//  - Short alarm runs (median alarm run <= median normal run: spikes beyond the limit) call for an
//    on-delay longer than the longest of them: on_delay = longest alarm run x (1 + margin).
//  - Short normal runs (median normal run <= median alarm run: dips back across the limit while the
//    process stays abnormal) call for a deadband deeper than the deepest of those dips: deadband =
//    deepest return x (1 + margin), where a return's depth is how far the compared quantity got back on
//    the normal side of the limit (limit - value for high alarms, value - limit for low ones, limit -
//    |value - setpoint| for deviation). Kinds without a deadband (discrete, rate of change) get an
//    off-delay = longest normal run x (1 + margin) instead. A deviation deadband is capped at the limit.
//  - Both when the medians are equal (noise hovering on the limit). Proposals never lower a setting.
//  - margin (default 25 %) allows for noise the record did not catch. The proposal is a starting point
//    for the engineer, who sees the before / after counts; it does not change the definition.
// Samples are good-quality values in time order; the replay stops at the last sample (a delay still
// pending then does not count).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alarms/chattering.hpp"
#include "alarms/condition.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "model/alarm_definition.hpp"

namespace strata::alarms {

struct RecordedSample {
  Timestamp at = 0;
  double value = 0.0;
};

struct ReplayedActivation {
  Timestamp activated = 0;
  std::optional<Timestamp> cleared{};  // none: still active at the last sample
  friend bool operator==(const ReplayedActivation&, const ReplayedActivation&) = default;
};

struct Replay {
  std::vector<ReplayedActivation> activations;
  std::size_t chattering_activations = 0;  // activations that belong to a chatter window
};

// Plays the samples (time order) through a fresh Condition with these settings.
[[nodiscard]] Replay replay(const ConditionSettings& settings, std::span<const RecordedSample> samples,
                            const ChatterRule& chatter = {});

struct CalibrationOptions {
  ChatterRule chatter{};
  double margin = 0.25;
};

struct CalibrationReport {
  std::string alarm_id;
  ConditionSettings current{};
  ConditionSettings proposed{};  // == current when the alarm does not chatter
  Replay before;
  Replay after;                           // replay of `proposed`
  Timestamp longest_short_alarm_run = 0;  // inside chattering bursts
  Timestamp longest_short_normal_run = 0;
  std::optional<double> deepest_return{};  // level kinds only
  std::string rationale;                   // one line for the engineer
};

// Refuses PackMLFault alarms (no tag to replay), deviation alarms whose setpoint comes from another tag,
// samples out of time order and a negative margin.
[[nodiscard]] Result<CalibrationReport> calibrate(const model::AlarmDefinition& definition,
                                                  std::span<const RecordedSample> samples,
                                                  const CalibrationOptions& options = {});

}  // namespace strata::alarms
