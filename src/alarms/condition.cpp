#include "alarms/condition.hpp"

#include <algorithm>
#include <cmath>

namespace strata::alarms {

using model::AlarmKind;

ConditionSettings condition_settings(const model::AlarmDefinition& definition) {
  return {
      .kind = definition.kind,
      .limit = definition.limit,
      .deadband = definition.deadband,
      .setpoint = definition.setpoint,
      .setpoint_from_tag = definition.setpoint_tag.has_value(),
      .normal_value = definition.normal_value,
      .on_delay = definition.on_delay,
      .off_delay = definition.off_delay,
  };
}

namespace {

bool usable(const model::TagValue& sample) {
  return sample.quality == model::Quality::Good || sample.quality == model::Quality::Uncertain;
}

}  // namespace

Condition::Condition(const ConditionSettings& settings)
    : settings_(settings), has_setpoint_(!settings.setpoint_from_tag), setpoint_(settings.setpoint) {}

Timestamp Condition::advance_time(Timestamp at) {
  latest_ = std::max(latest_, at);
  return latest_;
}

// `measure` is the compared quantity: the value, |value - setpoint| or |rate|.
bool Condition::wants_active(double measure) const {
  const double limit = settings_.limit;
  const double deadband = settings_.deadband;
  switch (settings_.kind) {
    case AlarmKind::High:
    case AlarmKind::HighHigh:
    case AlarmKind::Deviation:
    case AlarmKind::RateOfChange:
      return active_ ? measure > limit - deadband : measure > limit;
    case AlarmKind::Low:
    case AlarmKind::LowLow:
      return active_ ? measure < limit + deadband : measure < limit;
    case AlarmKind::Discrete:
    case AlarmKind::PackMLFault:
      return measure != settings_.normal_value;
  }
  return false;
}

void Condition::want(bool active, Timestamp at) {
  if (active != wanted_ && active != active_) pending_since_ = at;  // a new crossing starts the delay
  wanted_ = active;
}

void Condition::settle(Timestamp now, ConditionEdges& edges) {
  if (wanted_ == active_) return;
  const Timestamp deadline = pending_since_ + (wanted_ ? settings_.on_delay : settings_.off_delay);
  if (now < deadline) return;
  active_ = wanted_;
  edges.push({.active = active_, .at = deadline});
}

std::optional<Timestamp> Condition::pending_deadline() const {
  if (wanted_ == active_) return std::nullopt;
  return pending_since_ + (wanted_ ? settings_.on_delay : settings_.off_delay);
}

void Condition::evaluate_held_value(Timestamp at, ConditionEdges& edges) {
  if (!has_value_ || !has_setpoint_) return;
  want(wants_active(std::abs(held_value_ - setpoint_)), at);
  settle(at, edges);
}

ConditionEdges Condition::on_value(double value, Timestamp at) {
  const Timestamp now = advance_time(at);
  ConditionEdges edges;
  settle(now, edges);
  switch (settings_.kind) {
    case AlarmKind::Deviation:
      held_value_ = value;
      has_value_ = true;
      evaluate_held_value(now, edges);
      return edges;
    case AlarmKind::RateOfChange: {
      const bool has_rate = has_previous_ && now > previous_at_;
      const double rate =
          has_rate ? std::abs(value - held_value_) /
                         (static_cast<double>(now - previous_at_) / static_cast<double>(kMicrosPerSecond))
                   : 0.0;
      held_value_ = value;
      if (!has_previous_ || has_rate)
        previous_at_ = now;  // same-instant samples keep the older baseline time
      has_previous_ = true;
      if (!has_rate) return edges;
      want(wants_active(rate), now);
      break;
    }
    default:
      held_value_ = value;
      has_value_ = true;
      want(wants_active(value), now);
      break;
  }
  settle(now, edges);
  return edges;
}

ConditionEdges Condition::rearm(Timestamp at) {
  const Timestamp now = advance_time(at);
  active_ = false;
  wanted_ = false;
  ConditionEdges edges;
  switch (settings_.kind) {
    case AlarmKind::Deviation:
      evaluate_held_value(now, edges);
      break;
    case AlarmKind::RateOfChange:
      has_previous_ = false;  // a rate needs two samples in the new state
      break;
    case AlarmKind::PackMLFault:
      break;  // the unit state that ended the suppression is applied right after
    default:
      if (has_value_) {
        want(wants_active(held_value_), now);
        settle(now, edges);
      }
      break;
  }
  return edges;
}

ConditionEdges Condition::on_sample(const model::TagValue& sample, Timestamp at) {
  if (usable(sample)) {
    if (const auto number = model::as_number(sample.value)) return on_value(*number, at);
  }
  if (settings_.kind == AlarmKind::RateOfChange) has_previous_ = false;
  return advance(at);
}

ConditionEdges Condition::on_setpoint(double setpoint, Timestamp at) {
  const Timestamp now = advance_time(at);
  ConditionEdges edges;
  settle(now, edges);
  setpoint_ = setpoint;
  has_setpoint_ = true;
  evaluate_held_value(now, edges);
  return edges;
}

ConditionEdges Condition::on_setpoint_sample(const model::TagValue& sample, Timestamp at) {
  if (usable(sample)) {
    if (const auto number = model::as_number(sample.value)) return on_setpoint(*number, at);
  }
  return advance(at);
}

ConditionEdges Condition::advance(Timestamp now) {
  ConditionEdges edges;
  settle(advance_time(now), edges);
  return edges;
}

void Condition::restore(bool active) {
  active_ = active;
  wanted_ = active;
}

}  // namespace strata::alarms
