#include "notify/escalation_planner.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace strata::notify {
namespace {

// Below this many heap entries stale ones cost nothing worth a rebuild.
constexpr std::size_t kCompactionThreshold = 64;

int saturated_int(std::int64_t value) {
  return static_cast<int>(std::min<std::int64_t>(value, std::numeric_limits<int>::max()));
}

}  // namespace

Result<EscalationPlanner> EscalationPlanner::create(std::vector<EscalationPolicy> policies) {
  if (auto valid = validate_policies(policies); !valid) return valid.error();
  return EscalationPlanner(std::move(policies));
}

bool EscalationPlanner::due_later(const DueEntry& left, const DueEntry& right) {
  // std::push_heap keeps the greatest element on top: "greater" = due later, so the earliest is on top.
  if (left.due != right.due) return left.due > right.due;
  return left.serial > right.serial;
}

RaiseOutcome EscalationPlanner::raise(RaisedAlarm alarm) {
  if (const auto found = open_.find(alarm.alarm_id); found != open_.end()) {
    if (found->second.alarm.activated_at == alarm.activated_at) return RaiseOutcome::AlreadyEscalating;
    stop(alarm.alarm_id);  // a new occurrence replaces the old one
  }
  const auto policy = select_policy(policies_, alarm.equipment_path, alarm.priority);
  if (!policy || policies_[*policy].levels.empty()) return RaiseOutcome::NoPolicy;

  const Timestamp first_due = alarm.activated_at + policies_[*policy].levels.front().after;
  std::string key = alarm.alarm_id;
  auto [entry, inserted] = open_.insert_or_assign(std::move(key), OpenEscalation{.alarm = std::move(alarm),
                                                                                 .policy = *policy,
                                                                                 .serial = next_serial_++,
                                                                                 .next_level = 0,
                                                                                 .scheduled = false});
  (void)inserted;
  schedule(entry->second, first_due);
  return RaiseOutcome::Escalating;
}

bool EscalationPlanner::stop(std::string_view alarm_id) {
  const auto found = open_.find(std::string(alarm_id));
  if (found == open_.end()) return false;
  if (found->second.scheduled) --live_entries_;
  open_.erase(found);
  compact_if_mostly_stale();
  return true;
}

std::vector<Notification> EscalationPlanner::advance(Timestamp now) {
  std::vector<Notification> due;
  while (!heap_.empty() && heap_.front().due <= now) {
    std::pop_heap(heap_.begin(), heap_.end(), due_later);
    const DueEntry entry = std::move(heap_.back());
    heap_.pop_back();
    if (!is_live(entry)) continue;

    OpenEscalation& open = open_.find(entry.alarm_id)->second;
    open.scheduled = false;
    --live_entries_;
    const EscalationPolicy& policy = policies_[open.policy];
    if (open.next_level < policy.levels.size()) {
      due.push_back(make_notification(open, open.next_level, entry.due, 0));
      ++open.next_level;
    } else {
      // Only the latest overdue repeat is sent; the skipped ones still count in `repeat`.
      const Timestamp base = open.alarm.activated_at + policy.levels.back().after;
      const Timestamp interval = *policy.repeat;
      const std::int64_t latest = (now - base) / interval;
      due.push_back(make_notification(open, policy.levels.size() - 1, base + latest * interval, latest));
    }
    schedule_after_notifying(open, now);
  }
  return due;
}

std::optional<Timestamp> EscalationPlanner::next_due() {
  drop_stale_head();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().due;
}

void EscalationPlanner::schedule(OpenEscalation& open, Timestamp due) {
  heap_.push_back(DueEntry{.due = due, .serial = open.serial, .alarm_id = open.alarm.alarm_id});
  std::push_heap(heap_.begin(), heap_.end(), due_later);
  open.scheduled = true;
  ++live_entries_;
}

void EscalationPlanner::schedule_after_notifying(OpenEscalation& open, Timestamp now) {
  const EscalationPolicy& policy = policies_[open.policy];
  if (open.next_level < policy.levels.size()) {
    schedule(open, open.alarm.activated_at + policy.levels[open.next_level].after);
    return;
  }
  if (!policy.repeat) return;  // run out: stays open, silent, until stopped
  // The first repeat strictly after `now`: whatever fell due up to now was covered by this call.
  const Timestamp base = open.alarm.activated_at + policy.levels.back().after;
  const Timestamp interval = *policy.repeat;
  const std::int64_t next = (now - base) / interval + 1;
  schedule(open, base + next * interval);
}

bool EscalationPlanner::is_live(const DueEntry& entry) const {
  const auto found = open_.find(entry.alarm_id);
  return found != open_.end() && found->second.serial == entry.serial && found->second.scheduled;
}

void EscalationPlanner::drop_stale_head() {
  while (!heap_.empty() && !is_live(heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), due_later);
    heap_.pop_back();
  }
}

void EscalationPlanner::compact_if_mostly_stale() {
  if (heap_.size() < kCompactionThreshold || heap_.size() <= 2 * live_entries_) return;
  std::erase_if(heap_, [this](const DueEntry& entry) { return !is_live(entry); });
  std::make_heap(heap_.begin(), heap_.end(), due_later);
}

Notification EscalationPlanner::make_notification(const OpenEscalation& open, std::size_t level_index,
                                                  Timestamp due, std::int64_t repeat) const {
  const EscalationLevel& level = policies_[open.policy].levels[level_index];
  const int level_number = static_cast<int>(level_index) + 1;
  return Notification{
      .id = fmt::format("{}@{}/L{}/R{}", open.alarm.alarm_id, open.alarm.activated_at, level_number, repeat),
      .alarm_id = open.alarm.alarm_id,
      .equipment_path = open.alarm.equipment_path,
      .priority = open.alarm.priority,
      .message = open.alarm.message,
      .activated_at = open.alarm.activated_at,
      .level = level_number,
      .role = level.role,
      .sinks = level.sinks,
      .due_at = due,
      .repeat = saturated_int(repeat),
  };
}

}  // namespace strata::notify
