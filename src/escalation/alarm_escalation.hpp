#pragma once
// Escalation of unacknowledged alarms, driven by the engine: it listens to alarm transitions (annunciated
// activations start an escalation; acknowledge, clear, shelve, out of service and suppression stop it) and,
// every engine tick, hands the notifications that fell due to a sink (the Notifier) without blocking.
// Runs on the engine thread, so planning is in plant time: hours of escalation run in a test in
// milliseconds with a ManualClock.
#include <functional>

#include "engine/plant_state.hpp"
#include "notify/escalation_planner.hpp"
#include "notify/notification.hpp"

namespace strata::escalation {

using notify::EscalationPlanner;
using notify::Notification;
using notify::RaisedAlarm;

class AlarmEscalation final : public engine::ChangeListener {
 public:
  using Submit = std::function<void(Notification)>;  // must not block (Notifier::submit does not)
  AlarmEscalation(EscalationPlanner planner, Submit submit)
      : planner_(std::move(planner)), submit_(std::move(submit)) {}

  // After a restart: alarms still waiting for acknowledgement escalate again from their activation time
  // (levels already due are sent once more: paging someone twice beats never paging them).
  void resume(const alarms::AlarmBook& book);

  void on_changes(const engine::ChangeSet& changes) override;
  void on_tick(Timestamp now) override;

  [[nodiscard]] const EscalationPlanner& planner() const { return planner_; }

 private:
  void raise(const alarms::AlarmBook& book, std::size_t alarm, Timestamp activated_at);

  EscalationPlanner planner_;
  Submit submit_;
};

}  // namespace strata::escalation
