#include "alarms/alarm_book.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "alarms/definition_check.hpp"
#include "model/equipment_path.hpp"

namespace strata::alarms {

using model::AlarmKind;
using states::PackMLState;

bool is_packml_fault(PackMLState state) {
  switch (state) {
    case PackMLState::Aborting:
    case PackMLState::Aborted:
    case PackMLState::Holding:
    case PackMLState::Held:
      return true;
    default:
      return false;
  }
}

namespace {

bool follows_unit(const model::AlarmDefinition& definition) {
  return definition.kind == AlarmKind::PackMLFault || !definition.active_only_in.empty();
}

// Compressed rows: offsets[key] .. offsets[key + 1] index `entries` for each key in 0..key_count.
template <typename Entry, typename Emit>
void build_rows(std::size_t key_count, std::vector<std::uint32_t>& offsets, std::vector<Entry>& entries,
                Emit emit_all) {
  offsets.assign(key_count + 1, 0);
  emit_all([&](std::size_t key, const Entry&) { ++offsets[key + 1]; });
  for (std::size_t key = 0; key < key_count; ++key) offsets[key + 1] += offsets[key];
  entries.assign(offsets.back(), Entry{});
  std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  emit_all([&](std::size_t key, const Entry& entry) { entries[cursor[key]++] = entry; });
}

}  // namespace

Result<AlarmBook> AlarmBook::create(std::vector<model::AlarmDefinition> definitions,
                                    std::vector<model::AlarmPriority> priorities) {
  if (auto ok = check_definitions(definitions, priorities); !ok) return ok.error();
  return AlarmBook(std::move(definitions), std::move(priorities));
}

AlarmBook::AlarmBook(std::vector<model::AlarmDefinition> definitions,
                     std::vector<model::AlarmPriority> priorities)
    : definitions_(std::move(definitions)), priorities_(std::move(priorities)) {
  reset_runtime();
  build_indexes();
}

void AlarmBook::reset_runtime() {
  conditions_.clear();
  lifecycles_.clear();
  conditions_.reserve(definitions_.size());
  lifecycles_.reserve(definitions_.size());
  for (const auto& definition : definitions_) {
    conditions_.emplace_back(condition_settings(definition));
    lifecycles_.emplace_back(definition);
  }
}

void AlarmBook::build_indexes() {
  std::size_t tag_count = 0;
  for (const auto& definition : definitions_) {
    if (definition.tag) tag_count = std::max<std::size_t>(tag_count, *definition.tag + std::size_t{1});
    if (definition.setpoint_tag) {
      tag_count = std::max<std::size_t>(tag_count, *definition.setpoint_tag + std::size_t{1});
    }
  }
  build_rows(tag_count, tag_offsets_, subscriptions_, [&](auto&& add) {
    for (std::uint32_t alarm = 0; alarm < definitions_.size(); ++alarm) {
      const auto& definition = definitions_[alarm];
      if (definition.tag) add(*definition.tag, Subscription{.alarm = alarm, .setpoint = false});
      if (definition.setpoint_tag)
        add(*definition.setpoint_tag, Subscription{.alarm = alarm, .setpoint = true});
    }
  });

  unit_ids_.clear();
  for (const auto& definition : definitions_) {
    if (follows_unit(definition)) unit_ids_.push_back(definition.unit_id);
  }
  std::sort(unit_ids_.begin(), unit_ids_.end());
  unit_ids_.erase(std::unique(unit_ids_.begin(), unit_ids_.end()), unit_ids_.end());
  build_rows(unit_ids_.size(), unit_offsets_, unit_alarms_, [&](auto&& add) {
    for (std::uint32_t alarm = 0; alarm < definitions_.size(); ++alarm) {
      if (follows_unit(definitions_[alarm])) add(*unit_index(definitions_[alarm].unit_id), alarm);
    }
  });

  by_id_.resize(definitions_.size());
  for (std::uint32_t alarm = 0; alarm < definitions_.size(); ++alarm) by_id_[alarm] = alarm;
  std::sort(by_id_.begin(), by_id_.end(),
            [&](std::uint32_t a, std::uint32_t b) { return definitions_[a].id < definitions_[b].id; });
}

std::optional<std::size_t> AlarmBook::find(std::string_view alarm_id) const {
  const auto it =
      std::lower_bound(by_id_.begin(), by_id_.end(), alarm_id,
                       [&](std::uint32_t alarm, std::string_view id) { return definitions_[alarm].id < id; });
  if (it == by_id_.end() || definitions_[*it].id != alarm_id) return std::nullopt;
  return *it;
}

std::optional<std::size_t> AlarmBook::unit_index(std::string_view unit_id) const {
  const auto it = std::lower_bound(unit_ids_.begin(), unit_ids_.end(), unit_id);
  if (it == unit_ids_.end() || *it != unit_id) return std::nullopt;
  return static_cast<std::size_t>(it - unit_ids_.begin());
}

void AlarmBook::emit(std::size_t alarm, std::optional<Transition> transition) {
  if (!transition) return;
  outbox_.push_back(std::move(*transition));
  outbox_alarms_.push_back(alarm);
  outbox_records_.push_back(lifecycles_[alarm].record());
}

void AlarmBook::apply(std::size_t alarm, const ConditionEdges& edges) {
  for (const auto& edge : edges) emit(alarm, lifecycles_[alarm].on_condition(edge.active, edge.at));
}

void AlarmBook::on_sample(model::TagIndex tag, const model::TagValue& sample) {
  if (std::size_t{tag} + 1 >= tag_offsets_.size()) return;
  const Timestamp at = sample.server_time != 0 ? sample.server_time : sample.source_time;
  for (std::uint32_t i = tag_offsets_[tag]; i < tag_offsets_[tag + 1]; ++i) {
    const auto [alarm, setpoint] = subscriptions_[i];
    auto& condition = conditions_[alarm];
    apply(alarm, setpoint ? condition.on_setpoint_sample(sample, at) : condition.on_sample(sample, at));
  }
}

void AlarmBook::on_unit_state(std::size_t unit, PackMLState state, Timestamp at) {
  if (unit + 1 >= unit_offsets_.size()) return;
  for (std::uint32_t i = unit_offsets_[unit]; i < unit_offsets_[unit + 1]; ++i) {
    const std::uint32_t alarm = unit_alarms_[i];
    const auto& definition = definitions_[alarm];
    if (!definition.active_only_in.empty()) {
      const bool suppressed = std::find(definition.active_only_in.begin(), definition.active_only_in.end(),
                                        state) == definition.active_only_in.end();
      auto& lifecycle = lifecycles_[alarm];
      if (!suppressed && lifecycle.record().suppressed_by_design) {
        // Leaving suppression re-arms the condition instead of annunciating what built up while hidden.
        auto& condition = conditions_[alarm];
        const bool was_active = condition.active();
        const auto edges = condition.rearm(at);
        if (was_active) emit(alarm, lifecycle.on_condition(false, at));
        emit(alarm, lifecycle.on_suppression(false, at));
        apply(alarm, edges);
      } else {
        emit(alarm, lifecycle.on_suppression(suppressed, at));
      }
    }
    if (definition.kind == AlarmKind::PackMLFault) {
      apply(alarm, conditions_[alarm].on_value(is_packml_fault(state) ? 1.0 : 0.0, at));
    }
  }
}

bool AlarmBook::on_unit_state(std::string_view unit_id, PackMLState state, Timestamp at) {
  const auto unit = unit_index(unit_id);
  if (!unit) return false;
  on_unit_state(*unit, state, at);
  return true;
}

void AlarmBook::advance(Timestamp now) {
  for (std::size_t alarm = 0; alarm < definitions_.size(); ++alarm) {
    auto& lifecycle = lifecycles_[alarm];
    auto& condition = conditions_[alarm];
    const auto shelve_deadline = lifecycle.shelve_deadline();
    const auto condition_deadline = condition.pending_deadline();
    if (!shelve_deadline && !condition_deadline) continue;
    // Whichever is due first happens first, so the journal reads in time order.
    if (shelve_deadline && (!condition_deadline || *shelve_deadline < *condition_deadline)) {
      emit(alarm, lifecycle.advance(now));
    }
    apply(alarm, condition.advance(now));
    emit(alarm, lifecycle.advance(now));
  }
}

template <typename Operation>
Result<Transition> AlarmBook::operate(std::string_view alarm_id, Operation operation) {
  const auto alarm = find(alarm_id);
  if (!alarm) return make_error(fmt::format("no alarm {}", alarm_id));
  Result<Transition> result = operation(lifecycles_[*alarm]);
  if (result) emit(*alarm, *result);
  return result;
}

Result<Transition> AlarmBook::acknowledge(std::string_view alarm_id, const OperatorAction& action) {
  return operate(alarm_id, [&](AlarmLifecycle& alarm) { return alarm.acknowledge(action); });
}
Result<Transition> AlarmBook::shelve(std::string_view alarm_id, const ShelveRequest& request,
                                     const OperatorAction& action) {
  return operate(alarm_id, [&](AlarmLifecycle& alarm) { return alarm.shelve(request, action); });
}
Result<Transition> AlarmBook::unshelve(std::string_view alarm_id, const OperatorAction& action) {
  return operate(alarm_id, [&](AlarmLifecycle& alarm) { return alarm.unshelve(action); });
}
Result<Transition> AlarmBook::remove_from_service(std::string_view alarm_id, const OperatorAction& action) {
  return operate(alarm_id, [&](AlarmLifecycle& alarm) { return alarm.remove_from_service(action); });
}
Result<Transition> AlarmBook::return_to_service(std::string_view alarm_id, const OperatorAction& action) {
  return operate(alarm_id, [&](AlarmLifecycle& alarm) { return alarm.return_to_service(action); });
}
Result<Transition> AlarmBook::reset(std::string_view alarm_id, const OperatorAction& action) {
  return operate(alarm_id, [&](AlarmLifecycle& alarm) { return alarm.reset(action); });
}

std::vector<Transition> AlarmBook::drain_transitions() {
  std::vector<Transition> drained;
  for (auto& emitted : drain_emitted()) drained.push_back(std::move(emitted.transition));
  return drained;
}

std::vector<EmittedTransition> AlarmBook::drain_emitted() {
  std::vector<EmittedTransition> drained;
  drained.reserve(outbox_.size());
  for (std::size_t i = 0; i < outbox_.size(); ++i) {
    drained.push_back({std::move(outbox_[i]), outbox_alarms_[i], std::move(outbox_records_[i])});
  }
  outbox_.clear();
  outbox_alarms_.clear();
  outbox_records_.clear();
  return drained;
}

std::vector<AlarmRecord> AlarmBook::snapshot() const {
  std::vector<AlarmRecord> records;
  for (const auto& lifecycle : lifecycles_) {
    if (lifecycle.state() != AlarmState::Normal) records.push_back(lifecycle.record());
  }
  return records;
}

RestoreSummary AlarmBook::restore(std::span<const AlarmRecord> records) {
  reset_runtime();
  RestoreSummary summary;
  for (const auto& record : records) {
    const auto alarm = find(record.alarm_id);
    if (!alarm) {
      summary.unknown_alarms.push_back(record.alarm_id);
      continue;
    }
    lifecycles_[*alarm].restore(record);
    conditions_[*alarm].restore(record.condition_active);
    ++summary.restored;
  }
  return summary;
}

AlarmView AlarmBook::view(std::size_t alarm) const {
  return {.definition = &definitions_[alarm], .record = lifecycles_[alarm].record()};
}

std::vector<AlarmView> AlarmBook::list(const AlarmFilter& filter) const {
  const auto wanted = [](const auto& set, const auto& value) {
    return set.empty() || std::find(set.begin(), set.end(), value) != set.end();
  };
  std::vector<AlarmView> views;
  for (std::size_t alarm = 0; alarm < definitions_.size(); ++alarm) {
    const auto& definition = definitions_[alarm];
    if (!wanted(filter.priorities, definition.priority)) continue;
    if (!wanted(filter.states, lifecycles_[alarm].state())) continue;
    if (!model::scope_covers(filter.scope, definition.id)) continue;
    views.push_back(view(alarm));
  }
  std::sort(views.begin(), views.end(), [&](const AlarmView& a, const AlarmView& b) {
    const int rank_a = priorities_[a.definition->priority].rank;
    const int rank_b = priorities_[b.definition->priority].rank;
    if (rank_a != rank_b) return rank_a > rank_b;
    if (a.record.active_since != b.record.active_since) return a.record.active_since > b.record.active_since;
    return a.definition->id < b.definition->id;
  });
  return views;
}

std::vector<AlarmView> AlarmBook::shelved() const {
  std::vector<AlarmView> views;
  for (std::size_t alarm = 0; alarm < definitions_.size(); ++alarm) {
    if (lifecycles_[alarm].shelve_kind() != ShelveKind::None) views.push_back(view(alarm));
  }
  std::sort(views.begin(), views.end(), [](const AlarmView& a, const AlarmView& b) {
    if (a.record.shelve_expires_at != b.record.shelve_expires_at) {
      return a.record.shelve_expires_at < b.record.shelve_expires_at;
    }
    return a.definition->id < b.definition->id;
  });
  return views;
}

}  // namespace strata::alarms
