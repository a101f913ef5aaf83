#pragma once
// The ISA-18.2 state machine of one alarm (standards.md §4.2-4.3): what the operator sees and may do.
// The condition itself comes from a Condition; this class only hears that it changed.
//
// Rules:
//  - Annunciation: Normal -active-> Unacknowledged -ack-> Acknowledged -clear-> Normal;
//    Unacknowledged -clear-> ReturnedUnacknowledged -ack-> Normal; ReturnedUnacknowledged -active->
//    Unacknowledged. A latching alarm clears into Latched(Un)Acknowledged instead and stays there until it
//    is acknowledged and then reset; it re-alarms (Unacknowledged) if the condition comes back first.
//  - Reset is refused while unacknowledged (acknowledge first) and for an alarm that is not latched.
//  - Shelving: timed shelving is allowed in any state but out of service (ISA-18.2 allows shelving any
//    alarm, e.g. ahead of known work), for at most the definition's max_shelve_duration; 0 forbids it.
//    One-shot shelving needs an active condition, because it ends when the alarm returns to normal; it is
//    also capped at max_shelve_duration so nothing stays shelved forever. Shelving a shelved alarm replaces
//    the shelve (how an operator extends it), within the same maximum counted from now.
//  - Removing from service ends any shelve (maintenance takes over); shelving an out-of-service alarm
//    is refused.
//  - While hidden (shelved, suppressed by design or out of service) only the condition is tracked, and
//    its changes are still reported. When the last reason to hide ends, the alarm comes back from the
//    condition alone: active -> Unacknowledged (re-annunciated: nobody saw it while hidden), inactive ->
//    Normal (a latch or an unacknowledged return from before is dropped: there is nothing left to show).
//  - Hidden alarms cannot be acknowledged or reset.
//  - Comments: required for the actions the definition's CommentRules name; an all-blank comment is none.
//  - Operator actions return the transition or an error saying why they were refused (nothing changes
//    then); process, time and unit-state events cannot be refused and return no transition when they
//    change nothing.
#include <optional>
#include <string>

#include "alarms/transition.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "model/alarm_definition.hpp"

namespace strata::alarms {

struct OperatorAction {
  Timestamp at = 0;
  std::string actor;  // user name, for the journal
  std::string comment;
};

struct ShelveRequest {
  ShelveKind kind = ShelveKind::Timed;  // Timed or OneShot
  Timestamp duration = 0;               // Timed only
};

// Everything that must survive a restart for one alarm; `state` is derived and only informative.
struct AlarmRecord {
  std::string alarm_id;
  AlarmState state = AlarmState::Normal;
  bool condition_active = false;
  bool acknowledged = true;
  bool latched = false;
  bool suppressed_by_design = false;
  bool out_of_service = false;
  ShelveKind shelve = ShelveKind::None;
  Timestamp shelved_at = 0;
  Timestamp shelve_expires_at = 0;
  std::string shelved_by;
  std::string shelve_comment;
  Timestamp active_since = 0;  // start of the current (or last) activation; 0 = never active
  std::optional<Timestamp> acknowledged_at{};
  Timestamp state_since = 0;  // when the displayed state last changed
  friend bool operator==(const AlarmRecord&, const AlarmRecord&) = default;
};

class AlarmLifecycle {
 public:
  // Keeps a copy of what it needs from the definition (id and operator policy).
  explicit AlarmLifecycle(const model::AlarmDefinition& definition);

  [[nodiscard]] AlarmState state() const;
  [[nodiscard]] bool condition_active() const { return condition_active_; }
  [[nodiscard]] bool hidden() const { return out_of_service_ || shelve_ != ShelveKind::None || suppressed_; }
  [[nodiscard]] ShelveKind shelve_kind() const { return shelve_; }
  // When the shelve ends at the latest; none when not shelved.
  [[nodiscard]] std::optional<Timestamp> shelve_deadline() const;
  [[nodiscard]] AlarmRecord record() const;
  // Adopts a record of the same alarm (see AlarmBook::restore); the id is not checked here.
  void restore(const AlarmRecord& record);

  Result<Transition> acknowledge(const OperatorAction& action);
  Result<Transition> shelve(const ShelveRequest& request, const OperatorAction& action);
  Result<Transition> unshelve(const OperatorAction& action);
  Result<Transition> remove_from_service(const OperatorAction& action);
  Result<Transition> return_to_service(const OperatorAction& action);
  Result<Transition> reset(const OperatorAction& action);

  std::optional<Transition> on_condition(bool active, Timestamp at);
  std::optional<Transition> on_suppression(bool suppressed, Timestamp at);
  // Ends a shelve whose time is up; the transition is dated at the expiry, not at `now`.
  std::optional<Transition> advance(Timestamp now);

 private:
  [[nodiscard]] AlarmState annunciation_state() const;
  [[nodiscard]] Error refuse(std::string_view what) const;
  [[nodiscard]] Result<void> check_comment(bool required, std::string_view what,
                                           const OperatorAction& action) const;
  void end_shelve();
  void come_back();
  Transition record_change(AlarmState from, AlarmAction action, Timestamp at, std::string actor = {},
                           std::string comment = {});

  // From the definition.
  std::string id_;
  bool latching_ = false;
  Timestamp max_shelve_duration_ = 0;
  model::CommentRules comments_required_;
  // Runtime.
  bool condition_active_ = false;
  bool acknowledged_ = true;
  bool latched_ = false;
  bool suppressed_ = false;
  bool out_of_service_ = false;
  ShelveKind shelve_ = ShelveKind::None;
  Timestamp shelved_at_ = 0;
  Timestamp shelve_expires_at_ = 0;
  std::string shelved_by_;
  std::string shelve_comment_;
  Timestamp active_since_ = 0;
  std::optional<Timestamp> acknowledged_at_;
  Timestamp state_since_ = 0;
};

}  // namespace strata::alarms
