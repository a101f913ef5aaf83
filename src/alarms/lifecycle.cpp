#include "alarms/lifecycle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "alarms/names.hpp"

namespace strata::alarms {
namespace {

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

AlarmLifecycle::AlarmLifecycle(const model::AlarmDefinition& definition)
    : id_(definition.id),
      latching_(definition.latching),
      max_shelve_duration_(definition.max_shelve_duration),
      comments_required_(definition.comments_required) {}

AlarmState AlarmLifecycle::annunciation_state() const {
  if (condition_active_) return acknowledged_ ? AlarmState::Acknowledged : AlarmState::Unacknowledged;
  if (latched_) return acknowledged_ ? AlarmState::LatchedAcknowledged : AlarmState::LatchedUnacknowledged;
  return acknowledged_ ? AlarmState::Normal : AlarmState::ReturnedUnacknowledged;
}

AlarmState AlarmLifecycle::state() const {
  if (out_of_service_) return AlarmState::OutOfService;
  if (shelve_ != ShelveKind::None) return AlarmState::Shelved;
  if (suppressed_) return AlarmState::SuppressedByDesign;
  return annunciation_state();
}

std::optional<Timestamp> AlarmLifecycle::shelve_deadline() const {
  if (shelve_ == ShelveKind::None) return std::nullopt;
  return shelve_expires_at_;
}

Error AlarmLifecycle::refuse(std::string_view what) const {
  return make_error(fmt::format("cannot {} alarm {}: it is {}", what, id_, to_string(state())));
}

Result<void> AlarmLifecycle::check_comment(bool required, std::string_view what,
                                           const OperatorAction& action) const {
  if (required && blank(action.comment))
    return make_error(fmt::format("a comment is required to {} {}", what, id_));
  return {};
}

Transition AlarmLifecycle::record_change(AlarmState from, AlarmAction action, Timestamp at, std::string actor,
                                         std::string comment) {
  const AlarmState to = state();
  if (to != from) state_since_ = at;
  return {.alarm_id = id_,
          .from = from,
          .to = to,
          .action = action,
          .at = at,
          .actor = std::move(actor),
          .comment = std::move(comment),
          .condition_active = condition_active_};
}

void AlarmLifecycle::end_shelve() {
  shelve_ = ShelveKind::None;
  shelved_at_ = 0;
  shelve_expires_at_ = 0;
  shelved_by_.clear();
  shelve_comment_.clear();
}

void AlarmLifecycle::come_back() {
  if (hidden()) return;
  latched_ = false;
  acknowledged_ = !condition_active_;
  if (condition_active_) acknowledged_at_.reset();
}

Result<Transition> AlarmLifecycle::acknowledge(const OperatorAction& action) {
  const AlarmState from = state();
  switch (from) {
    case AlarmState::Unacknowledged:
    case AlarmState::ReturnedUnacknowledged:
    case AlarmState::LatchedUnacknowledged:
      break;
    default:
      return refuse("acknowledge");
  }
  if (auto ok = check_comment(comments_required_.acknowledge, "acknowledge", action); !ok) return ok.error();
  acknowledged_ = true;
  acknowledged_at_ = action.at;
  return record_change(from, AlarmAction::Acknowledge, action.at, action.actor, action.comment);
}

Result<Transition> AlarmLifecycle::shelve(const ShelveRequest& request, const OperatorAction& action) {
  const AlarmState from = state();
  if (out_of_service_) return refuse("shelve");
  if (max_shelve_duration_ <= 0) {
    return make_error(fmt::format("alarm {} cannot be shelved: its definition allows no shelving", id_));
  }
  Timestamp expires_at = 0;
  switch (request.kind) {
    case ShelveKind::Timed:
      if (request.duration <= 0) {
        return make_error(fmt::format("cannot shelve alarm {}: the shelve duration must be positive", id_));
      }
      if (request.duration > max_shelve_duration_) {
        return make_error(fmt::format("shelve duration {} exceeds the maximum {} for {}",
                                      describe_duration(request.duration),
                                      describe_duration(max_shelve_duration_), id_));
      }
      expires_at = action.at + request.duration;
      break;
    case ShelveKind::OneShot:
      if (!condition_active_) {
        return make_error(
            fmt::format("cannot one-shot shelve alarm {}: it is not active (a one-shot shelve ends when the "
                        "alarm returns "
                        "to normal)",
                        id_));
      }
      expires_at = action.at + max_shelve_duration_;
      break;
    case ShelveKind::None:
      return make_error(fmt::format("cannot shelve alarm {}: no shelve kind given", id_));
  }
  if (auto ok = check_comment(comments_required_.shelve, "shelve", action); !ok) return ok.error();
  shelve_ = request.kind;
  shelved_at_ = action.at;
  shelve_expires_at_ = expires_at;
  shelved_by_ = action.actor;
  shelve_comment_ = action.comment;
  return record_change(from, AlarmAction::Shelve, action.at, action.actor, action.comment);
}

Result<Transition> AlarmLifecycle::unshelve(const OperatorAction& action) {
  const AlarmState from = state();
  if (shelve_ == ShelveKind::None) {
    return make_error(
        fmt::format("cannot unshelve alarm {}: it is not shelved (it is {})", id_, to_string(from)));
  }
  end_shelve();
  come_back();
  return record_change(from, AlarmAction::Unshelve, action.at, action.actor, action.comment);
}

Result<Transition> AlarmLifecycle::remove_from_service(const OperatorAction& action) {
  const AlarmState from = state();
  if (out_of_service_) return make_error(fmt::format("alarm {} is already out of service", id_));
  if (auto ok = check_comment(comments_required_.out_of_service, "remove from service", action); !ok) {
    return ok.error();
  }
  end_shelve();
  out_of_service_ = true;
  return record_change(from, AlarmAction::RemoveFromService, action.at, action.actor, action.comment);
}

Result<Transition> AlarmLifecycle::return_to_service(const OperatorAction& action) {
  const AlarmState from = state();
  if (!out_of_service_) {
    return make_error(fmt::format("cannot return alarm {} to service: it is not out of service (it is {})",
                                  id_, to_string(from)));
  }
  out_of_service_ = false;
  come_back();
  return record_change(from, AlarmAction::ReturnToService, action.at, action.actor, action.comment);
}

Result<Transition> AlarmLifecycle::reset(const OperatorAction& action) {
  const AlarmState from = state();
  if (from == AlarmState::LatchedUnacknowledged) {
    return make_error(fmt::format("cannot reset alarm {}: acknowledge it first", id_));
  }
  if (from != AlarmState::LatchedAcknowledged) {
    if (hidden()) return refuse("reset");
    return make_error(
        fmt::format("cannot reset alarm {}: it is not latched (it is {})", id_, to_string(from)));
  }
  latched_ = false;
  return record_change(from, AlarmAction::Reset, action.at, action.actor, action.comment);
}

std::optional<Transition> AlarmLifecycle::on_condition(bool active, Timestamp at) {
  if (active == condition_active_) return std::nullopt;
  const AlarmState from = state();
  condition_active_ = active;
  const AlarmAction action = active ? AlarmAction::ConditionActive : AlarmAction::ConditionCleared;
  if (active) {
    active_since_ = at;
  }
  if (!hidden()) {
    if (active) {
      acknowledged_ = false;
      acknowledged_at_.reset();
      latched_ = false;
    } else if (latching_) {
      latched_ = true;
    }
    return record_change(from, action, at);
  }
  if (!active && shelve_ == ShelveKind::OneShot) {
    end_shelve();
    come_back();
    return record_change(from, AlarmAction::OneShotShelveEnded, at);
  }
  return record_change(from, action, at);
}

std::optional<Transition> AlarmLifecycle::on_suppression(bool suppressed, Timestamp at) {
  if (suppressed == suppressed_) return std::nullopt;
  const AlarmState from = state();
  suppressed_ = suppressed;
  if (!suppressed) come_back();
  return record_change(from, suppressed ? AlarmAction::Suppress : AlarmAction::Unsuppress, at);
}

std::optional<Transition> AlarmLifecycle::advance(Timestamp now) {
  if (shelve_ == ShelveKind::None || now < shelve_expires_at_) return std::nullopt;
  const AlarmState from = state();
  const Timestamp at = shelve_expires_at_;
  end_shelve();
  come_back();
  return record_change(from, AlarmAction::ShelveExpired, at);
}

AlarmRecord AlarmLifecycle::record() const {
  return {.alarm_id = id_,
          .state = state(),
          .condition_active = condition_active_,
          .acknowledged = acknowledged_,
          .latched = latched_,
          .suppressed_by_design = suppressed_,
          .out_of_service = out_of_service_,
          .shelve = shelve_,
          .shelved_at = shelved_at_,
          .shelve_expires_at = shelve_expires_at_,
          .shelved_by = shelved_by_,
          .shelve_comment = shelve_comment_,
          .active_since = active_since_,
          .acknowledged_at = acknowledged_at_,
          .state_since = state_since_};
}

void AlarmLifecycle::restore(const AlarmRecord& record) {
  condition_active_ = record.condition_active;
  acknowledged_ = record.acknowledged;
  latched_ = record.latched;
  suppressed_ = record.suppressed_by_design;
  out_of_service_ = record.out_of_service;
  shelve_ = record.shelve;
  shelved_at_ = record.shelved_at;
  shelve_expires_at_ = record.shelve_expires_at;
  shelved_by_ = record.shelved_by;
  shelve_comment_ = record.shelve_comment;
  active_since_ = record.active_since;
  acknowledged_at_ = record.acknowledged_at;
  state_since_ = record.state_since;
}

}  // namespace strata::alarms
