#pragma once
// Whether one alarm's condition is active, from the samples of its tag: limit with deadband on return,
// on-delay and off-delay, rate of change, deviation from a setpoint, off-normal discrete values. It runs on
// every tag update in the engine, so it is a few doubles, no allocation and one switch per sample. The
// calibration replays history through this same class, so its proposals hold in the live engine.
//
// Rules (the trip and return tests per kind are in model/alarm_definition.hpp):
//  - Values are sampled and held: a sample's value stands until the next sample, so delays are measured
//    from the sample that crossed to the time the hold ends (a later sample or a tick).
//  - While inactive, the alarm wants to activate when the trip test holds; while active, it wants to clear
//    when the return test holds (the deadband applies on return only, as ISA-18.2 intends). A sample that
//    no longer wants the change cancels a pending delay; the delay restarts at the next crossing.
//  - A change becomes effective once wanted for the whole delay (on_delay to activate, off_delay to clear),
//    and is dated at that moment, pending_since + delay, whatever tick or sample noticed it; a delay of
//    exactly the configured length is enough. One call can therefore report two edges (an activation
//    that completed before this sample, then a clear caused by it).
//  - Bad or stale quality and non-numeric values are not evaluated: the last evaluation holds and its
//    pending delay keeps running. Uncertain quality is evaluated (the value is still the best we have).
//  - Rate of change compares consecutive evaluated samples and holds the last rate until the next sample
//    (a report-by-exception driver that goes quiet after a step keeps the rate of that step). An unusable
//    sample breaks the chain: the next good sample only becomes the new baseline.
//  - Time never runs backwards: a sample older than the latest time seen is taken as happening now.
//  - Deviation with a setpoint tag is not evaluated until the first good setpoint arrives.
#include <array>
#include <cstdint>
#include <optional>

#include "common/clock.hpp"
#include "model/alarm_definition.hpp"
#include "model/tag.hpp"

namespace strata::alarms {

// The parts of a definition that decide when the condition is active; calibration varies them.
struct ConditionSettings {
  model::AlarmKind kind = model::AlarmKind::High;
  double limit = 0.0;
  double deadband = 0.0;
  double setpoint = 0.0;           // Deviation: constant setpoint
  bool setpoint_from_tag = false;  // Deviation: wait for on_setpoint before evaluating
  double normal_value = 0.0;       // Discrete, PackMLFault (fed 1 in a fault state, 0 otherwise)
  Timestamp on_delay = 0;
  Timestamp off_delay = 0;
  friend bool operator==(const ConditionSettings&, const ConditionSettings&) = default;
};

[[nodiscard]] ConditionSettings condition_settings(const model::AlarmDefinition& definition);

struct ConditionEdge {
  bool active = false;
  Timestamp at = 0;
  friend bool operator==(const ConditionEdge&, const ConditionEdge&) = default;
};

// The edges one call produced, oldest first; at most two (see the rules above).
class ConditionEdges {
 public:
  void push(ConditionEdge edge) { edges_[count_++] = edge; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] const ConditionEdge* begin() const { return edges_.data(); }
  [[nodiscard]] const ConditionEdge* end() const { return edges_.data() + count_; }
  [[nodiscard]] const ConditionEdge& operator[](std::size_t i) const { return edges_[i]; }

 private:
  std::array<ConditionEdge, 2> edges_{};
  std::uint8_t count_ = 0;
};

class Condition {
 public:
  explicit Condition(const ConditionSettings& settings);

  // A good (or uncertain) numeric sample of the process value.
  ConditionEdges on_value(double value, Timestamp at);
  // A sample as the engine holds it: evaluated when usable (see the rules), else only lets time pass.
  ConditionEdges on_sample(const model::TagValue& sample, Timestamp at);
  // Deviation: a new setpoint value; the held process value is compared against it at once.
  ConditionEdges on_setpoint(double setpoint, Timestamp at);
  ConditionEdges on_setpoint_sample(const model::TagValue& sample, Timestamp at);
  // Time passes: completes a pending delay whose deadline is at or before `now`.
  ConditionEdges advance(Timestamp now);

  [[nodiscard]] bool active() const { return active_; }
  // When a pending on/off delay completes if nothing changes; none when nothing is pending.
  [[nodiscard]] std::optional<Timestamp> pending_deadline() const;
  [[nodiscard]] const ConditionSettings& settings() const { return settings_; }

  // State-based suppression just ended: forget what built up while the alarm was hidden (a stopped machine
  // is slow by design) and judge the last value afresh, so a condition must now hold for its on-delay in
  // the new state before it activates. Returns an edge only when that needs no delay.
  ConditionEdges rearm(Timestamp at);

  // After a restart: adopt the persisted state, so the first sample continues from it (a normal sample
  // then clears a restored active alarm instead of leaving it active forever). Forgets pending delays.
  void restore(bool active);

 private:
  [[nodiscard]] Timestamp advance_time(Timestamp at);
  [[nodiscard]] bool wants_active(double measure) const;
  void want(bool active, Timestamp at);
  void settle(Timestamp now, ConditionEdges& edges);
  void evaluate_held_value(Timestamp at, ConditionEdges& edges);

  ConditionSettings settings_;
  bool active_ = false;
  bool wanted_ = false;  // != active_ while a delay is pending
  Timestamp pending_since_ = 0;
  Timestamp latest_ = 0;     // latest time seen, so time never runs backwards
  double held_value_ = 0.0;  // last evaluated process value (Deviation re-evaluates it on a new setpoint)
  bool has_value_ = false;
  bool has_setpoint_ = false;
  double setpoint_ = 0.0;
  Timestamp previous_at_ = 0;  // rate of change baseline
  bool has_previous_ = false;
};

}  // namespace strata::alarms
