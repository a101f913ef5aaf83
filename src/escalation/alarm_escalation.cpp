#include "escalation/alarm_escalation.hpp"

namespace strata::escalation {
namespace {

using alarms::AlarmAction;
using alarms::AlarmState;

bool returns_from_hiding(AlarmAction action) {
  return action == AlarmAction::Unshelve || action == AlarmAction::ShelveExpired ||
         action == AlarmAction::OneShotShelveEnded || action == AlarmAction::Unsuppress ||
         action == AlarmAction::ReturnToService;
}

bool hides(AlarmAction action) {
  return action == AlarmAction::Shelve || action == AlarmAction::RemoveFromService ||
         action == AlarmAction::Suppress;
}

bool waits_for_acknowledgement(AlarmState state) {
  return state == AlarmState::Unacknowledged || state == AlarmState::ReturnedUnacknowledged ||
         state == AlarmState::LatchedUnacknowledged;
}

}  // namespace

void AlarmEscalation::raise(const alarms::AlarmBook& book, std::size_t alarm, Timestamp activated_at) {
  const auto& definition = book.definition(alarm);
  planner_.raise(RaisedAlarm{definition.id, definition.unit_id, book.priorities()[definition.priority].name,
                             activated_at, definition.message});
}

void AlarmEscalation::resume(const alarms::AlarmBook& book) {
  for (std::size_t alarm = 0; alarm < book.size(); ++alarm) {
    const auto record = book.lifecycle(alarm).record();
    if (waits_for_acknowledgement(record.state) && record.condition_active)
      raise(book, alarm, record.active_since);
  }
}

void AlarmEscalation::on_changes(const engine::ChangeSet& changes) {
  if (changes.state->alarms == nullptr) return;
  const auto& book = *changes.state->alarms;
  for (const auto& transition : changes.alarm_transitions) {
    const auto alarm = book.find(transition.alarm_id);
    if (!alarm) continue;
    const bool annunciated =
        transition.to == AlarmState::Unacknowledged &&
        (transition.action == AlarmAction::ConditionActive || returns_from_hiding(transition.action));
    if (annunciated) {
      raise(book, *alarm, transition.at);
    } else if (transition.action == AlarmAction::Acknowledge) {
      planner_.acknowledged(transition.alarm_id);
    } else if (hides(transition.action)) {
      planner_.shelved(transition.alarm_id);
    } else if (!transition.condition_active) {
      planner_.cleared(transition.alarm_id);
    }
  }
}

void AlarmEscalation::on_tick(Timestamp now) {
  for (auto& notification : planner_.advance(now)) submit_(std::move(notification));
}

}  // namespace strata::escalation
