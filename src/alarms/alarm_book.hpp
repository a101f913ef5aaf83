#pragma once
// All alarms of a plant: definitions, their conditions and lifecycles, dispatched by tag and unit index
// so the engine's per-sample cost is one array lookup plus the alarms that actually read that tag.
// Everything that happens is appended as a Transition to an outbox that the engine drains and journals.
//
// Rules:
//  - A sample's time is its server_time (the engine clock, the same clock that drives advance()), or its
//    source_time when the engine did not stamp one; using PLC clocks would skew delays and shelve expiry.
//  - A tag may feed several alarms, as process value and as a Deviation setpoint.
//  - Unit states drive suppression by design (active_only_in) and PackMLFault alarms. Until the first
//    state of a unit arrives, its alarms are not suppressed: an unknown state shows alarms rather than
//    hiding them. When a suppression ends, the condition is re-armed (Condition::rearm): what built up
//    while hidden is cleared (journaled) and must hold for its on-delay again before it annunciates, so a
//    unit restarting does not raise "speed low" for the seconds it takes to ramp up.
//  - advance(now) completes pending on/off delays and ends expired shelves, in time order per alarm.
//  - Operator actions name the alarm by id; their transition is returned and also put in the outbox
//    (journal from the outbox only, so nothing is written twice).
//  - snapshot() holds every alarm that is not Normal; restore() first resets every alarm to Normal, then
//    applies the records, so a fresh book comes back exactly as it was (active and unacknowledged alarms
//    included, their conditions seeded so the next normal sample clears them). Restoring emits nothing.
//    Records of alarms that are no longer defined are skipped and listed.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alarms/condition.hpp"
#include "alarms/lifecycle.hpp"
#include "alarms/transition.hpp"
#include "common/result.hpp"
#include "model/alarm_definition.hpp"
#include "model/tag.hpp"
#include "states/packml.hpp"

namespace strata::alarms {

// The PackMLFault rule: Aborting, Aborted, Holding and Held, the states the KPI classifier counts as
// failures. Stopped and Suspended (starved / blocked) are not faults.
[[nodiscard]] bool is_packml_fault(states::PackMLState state);

// One alarm as a console shows it.
struct AlarmView {
  const model::AlarmDefinition* definition = nullptr;  // owned by the book, valid as long as it lives
  AlarmRecord record;
};

struct AlarmFilter {
  std::vector<AlarmState> states{};       // empty: every state, Normal included
  std::vector<std::size_t> priorities{};  // priority indexes; empty: all
  std::string scope{};                    // equipment path covering the alarm id ("" = the whole plant)
};

// A transition with the alarm's whole record right after it (what the journal persists).
struct EmittedTransition {
  Transition transition;
  std::size_t alarm = 0;  // index in the book
  AlarmRecord after;
};

struct RestoreSummary {
  std::size_t restored = 0;
  std::vector<std::string> unknown_alarms{};
};

class AlarmBook {
 public:
  // Checks the definitions (definition_check.hpp) and builds the dispatch tables.
  [[nodiscard]] static Result<AlarmBook> create(
      std::vector<model::AlarmDefinition> definitions,
      std::vector<model::AlarmPriority> priorities = model::default_alarm_priorities());

  AlarmBook(const AlarmBook&) = delete;
  AlarmBook& operator=(const AlarmBook&) = delete;
  AlarmBook(AlarmBook&&) noexcept = default;
  AlarmBook& operator=(AlarmBook&&) noexcept = default;
  ~AlarmBook() = default;

  [[nodiscard]] std::size_t size() const { return definitions_.size(); }
  [[nodiscard]] const model::AlarmDefinition& definition(std::size_t alarm) const {
    return definitions_[alarm];
  }
  [[nodiscard]] const AlarmLifecycle& lifecycle(std::size_t alarm) const { return lifecycles_[alarm]; }
  [[nodiscard]] const Condition& condition(std::size_t alarm) const { return conditions_[alarm]; }
  [[nodiscard]] const std::vector<model::AlarmPriority>& priorities() const { return priorities_; }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view alarm_id) const;
  // Index of a unit some alarm follows (active_only_in or PackMLFault); none for other units.
  [[nodiscard]] std::optional<std::size_t> unit_index(std::string_view unit_id) const;

  // Process and time.
  void on_sample(model::TagIndex tag, const model::TagValue& sample);
  void on_unit_state(std::size_t unit, states::PackMLState state, Timestamp at);
  // Same by unit id; false when no alarm follows that unit (nothing to do).
  bool on_unit_state(std::string_view unit_id, states::PackMLState state, Timestamp at);
  void advance(Timestamp now);

  // Operators.
  Result<Transition> acknowledge(std::string_view alarm_id, const OperatorAction& action);
  Result<Transition> shelve(std::string_view alarm_id, const ShelveRequest& request,
                            const OperatorAction& action);
  Result<Transition> unshelve(std::string_view alarm_id, const OperatorAction& action);
  Result<Transition> remove_from_service(std::string_view alarm_id, const OperatorAction& action);
  Result<Transition> return_to_service(std::string_view alarm_id, const OperatorAction& action);
  Result<Transition> reset(std::string_view alarm_id, const OperatorAction& action);

  // The outbox, oldest first.
  [[nodiscard]] const std::vector<Transition>& pending_transitions() const { return outbox_; }
  [[nodiscard]] std::vector<Transition> drain_transitions();
  // The same with each alarm's record as it was right after that transition.
  [[nodiscard]] std::vector<EmittedTransition> drain_emitted();

  // Persistence.
  [[nodiscard]] std::vector<AlarmRecord> snapshot() const;
  RestoreSummary restore(std::span<const AlarmRecord> records);

  // Console queries: most urgent priority (highest rank) first, then the most recent activation, then id.
  [[nodiscard]] std::vector<AlarmView> list(const AlarmFilter& filter) const;
  // Shelved alarms, the one expiring first first (the shift-change review list).
  [[nodiscard]] std::vector<AlarmView> shelved() const;

 private:
  struct Subscription {
    std::uint32_t alarm = 0;
    bool setpoint = false;  // the tag is this alarm's Deviation setpoint, not its process value
  };

  AlarmBook(std::vector<model::AlarmDefinition> definitions, std::vector<model::AlarmPriority> priorities);
  void build_indexes();
  void reset_runtime();
  void apply(std::size_t alarm, const ConditionEdges& edges);
  void emit(std::size_t alarm, std::optional<Transition> transition);
  template <typename Operation>
  Result<Transition> operate(std::string_view alarm_id, Operation operation);
  [[nodiscard]] AlarmView view(std::size_t alarm) const;

  std::vector<model::AlarmDefinition> definitions_;
  std::vector<model::AlarmPriority> priorities_;
  std::vector<Condition> conditions_;
  std::vector<AlarmLifecycle> lifecycles_;
  // Per tag (compressed rows): subscriptions_[tag_offsets_[tag] .. tag_offsets_[tag + 1]).
  std::vector<std::uint32_t> tag_offsets_;
  std::vector<Subscription> subscriptions_;
  // Per followed unit, sorted by id: its alarms are unit_alarms_[unit_offsets_[u] .. unit_offsets_[u + 1]).
  std::vector<std::string> unit_ids_;
  std::vector<std::uint32_t> unit_offsets_;
  std::vector<std::uint32_t> unit_alarms_;
  std::vector<std::uint32_t> by_id_;  // alarm indexes sorted by id
  std::vector<Transition> outbox_;
  std::vector<std::size_t> outbox_alarms_;   // parallel to outbox_
  std::vector<AlarmRecord> outbox_records_;  // parallel to outbox_: the record right after each transition
};

}  // namespace strata::alarms
