#pragma once
// Escalation planner: turns alarm life-cycle events into the notifications that are due. Pure
// bookkeeping, no I/O and no clock: the engine passes plant time in, so tests replay hours of plant
// time exactly.
//
// Rules:
//  - raise() picks the policy once (see escalation_policy.hpp); later notifications of that
//    occurrence follow it even if the alarm's priority changes.
//  - Raising an alarm that is still open with the same activation time is a no-op (the engine may
//    re-announce alarms, e.g. after a restart); a different activation time is a new occurrence and
//    restarts the escalation from level 1.
//  - acknowledged / cleared / shelved stop the escalation at once: anything not yet returned by
//    advance() is dropped even if it was due, because a page about an alarm someone already handled
//    is noise. Raising the alarm again later starts a new escalation.
//  - advance(now) returns every notification due at or before `now`, ordered by due time, then by
//    raise order. When advance() runs late, each overdue level is still notified once (each level
//    has its own recipients), but repeats never pile up: at most one repeat per advance() call, the
//    latest one due, its `repeat` counting the intervals since the last level; a repeat that falls
//    due in the same call as its level (or another repeat) is skipped. A stalled engine must not
//    flood an area manager with a burst of identical pages.
//  - An alarm whose escalation has run out (last level sent, no repeat) stays known until it is
//    stopped, so a re-announcement does not page anyone again.
//
// Cost: open alarms are a hash map; due times are a binary heap with lazy deletion (a stopped
// alarm's heap entry is discarded when it surfaces, and the heap is rebuilt when stale entries
// outnumber live ones), so raise/stop are O(log n) and advance is O(k log n) for k due entries.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "notify/escalation_policy.hpp"
#include "notify/notification.hpp"

namespace strata::notify {

struct RaisedAlarm {
  std::string alarm_id;
  std::string equipment_path;
  std::string priority;
  Timestamp activated_at = 0;
  std::string message;
};

enum class RaiseOutcome {
  Escalating,         // a new escalation started
  AlreadyEscalating,  // same occurrence raised again: nothing changed
  NoPolicy,           // no policy applies, or the applying one has no levels
};

class EscalationPlanner {
 public:
  // Fails when validate_policies() does.
  [[nodiscard]] static Result<EscalationPlanner> create(std::vector<EscalationPolicy> policies);

  RaiseOutcome raise(RaisedAlarm alarm);
  // Each returns whether an escalation was running for the alarm (and is now stopped).
  bool acknowledged(std::string_view alarm_id) { return stop(alarm_id); }
  bool cleared(std::string_view alarm_id) { return stop(alarm_id); }
  bool shelved(std::string_view alarm_id) { return stop(alarm_id); }

  [[nodiscard]] std::vector<Notification> advance(Timestamp now);

  // The earliest time advance() would return something; nullopt when nothing is scheduled. Lets the
  // caller sleep until then instead of polling.
  [[nodiscard]] std::optional<Timestamp> next_due();
  // Open escalations, including those that have run out but were not stopped yet.
  [[nodiscard]] std::size_t open_count() const { return open_.size(); }

 private:
  struct OpenEscalation {
    RaisedAlarm alarm;
    std::size_t policy = 0;
    std::uint64_t serial = 0;    // raise order; also tells live heap entries from stale ones
    std::size_t next_level = 0;  // index into the policy's levels; == size() once repeating
    bool scheduled = false;      // has a live heap entry
  };
  struct DueEntry {
    Timestamp due = 0;
    std::uint64_t serial = 0;
    std::string alarm_id;
  };

  explicit EscalationPlanner(std::vector<EscalationPolicy> policies) : policies_(std::move(policies)) {}
  static bool due_later(const DueEntry& left, const DueEntry& right);
  bool stop(std::string_view alarm_id);
  void schedule(OpenEscalation& open, Timestamp due);
  // Moves `open` to its next step after a notification sent during advance(now).
  void schedule_after_notifying(OpenEscalation& open, Timestamp now);
  [[nodiscard]] bool is_live(const DueEntry& entry) const;
  void drop_stale_head();
  void compact_if_mostly_stale();
  [[nodiscard]] Notification make_notification(const OpenEscalation& open, std::size_t level_index,
                                               Timestamp due, std::int64_t repeat) const;

  std::vector<EscalationPolicy> policies_;
  std::unordered_map<std::string, OpenEscalation> open_;
  std::vector<DueEntry> heap_;  // std::push_heap / pop_heap with due_later: earliest due on top
  std::size_t live_entries_ = 0;
  std::uint64_t next_serial_ = 1;
};

}  // namespace strata::notify
