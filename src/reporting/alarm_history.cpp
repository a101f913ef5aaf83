#include "reporting/alarm_history.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "alarms/names.hpp"
#include "engine/alarm_journal.hpp"
#include "model/equipment_path.hpp"

namespace strata::reporting {
namespace {

using alarms::AlarmAction;
using alarms::AlarmState;
using nlohmann::json;

bool returns_from_hiding(AlarmAction action) {
  return action == AlarmAction::Unshelve || action == AlarmAction::ShelveExpired ||
         action == AlarmAction::OneShotShelveEnded || action == AlarmAction::Unsuppress ||
         action == AlarmAction::ReturnToService;
}

struct Parsed {
  AlarmAction action = AlarmAction::ConditionActive;
  AlarmState to = AlarmState::Normal;
  Timestamp at = 0;
  bool condition_active = false;
  std::string unit;
  std::string priority;
};

Result<Parsed> parse(const store::JournalEvent& event) {
  const auto body = json::parse(event.payload, nullptr, false);
  if (!body.is_object())
    return make_error("alarm event " + std::to_string(event.seq) + " is not a JSON object");
  const auto action = alarms::parse_alarm_action(body.value("action", ""));
  const auto to = alarms::parse_alarm_state(body.value("to", ""));
  if (!action || !to || !body.contains("at") || !body["at"].is_number_integer()) {
    return make_error("alarm event " + std::to_string(event.seq) + " lacks action, state or time");
  }
  return Parsed{*action,
                *to,
                body["at"].get<Timestamp>(),
                body.value("condition_active", false),
                body.value("unit", ""),
                body.value("priority", "")};
}

}  // namespace

std::string operator_position(std::string_view unit_id) {
  // site/area/line/unit -> site/area
  std::size_t slashes = 0;
  for (std::size_t i = 0; i < unit_id.size(); ++i) {
    if (unit_id[i] == '/' && ++slashes == 2) return std::string(unit_id.substr(0, i));
  }
  return std::string(unit_id);
}

Result<std::vector<alarms::AlarmActivation>> activations_from_journal(
    std::span<const store::JournalEvent> events, const model::Plant& plant,
    std::span<const alarms::AlarmActivation> already) {
  std::map<std::string, std::size_t> open;  // alarm id -> index of its running activation
  std::vector<alarms::AlarmActivation> log(already.begin(), already.end());
  for (std::size_t i = 0; i < log.size(); ++i) open[log[i].alarm_id] = i;
  for (const auto& event : events) {
    auto parsed = parse(event);
    if (!parsed) return parsed.error();
    const auto running = open.find(event.subject);
    const bool starts = (parsed->action == AlarmAction::ConditionActive && parsed->condition_active) ||
                        (returns_from_hiding(parsed->action) && parsed->to == AlarmState::Unacknowledged);
    if (starts) {
      const auto& priorities = plant.alarm_priorities;
      std::size_t priority = 0;
      for (std::size_t i = 0; i < priorities.size(); ++i) {
        if (priorities[i].name == parsed->priority) priority = i;
      }
      if (running != open.end() && !log[running->second].cleared) {
        // Re-shown: the hidden activation ends here.
        log[running->second].cleared = std::max(parsed->at, log[running->second].activated);
      }
      open[event.subject] = log.size();
      log.push_back(alarms::AlarmActivation{event.subject, operator_position(parsed->unit), priority,
                                            parsed->at, std::nullopt, std::nullopt,
                                            parsed->to == AlarmState::Unacknowledged});
      continue;
    }
    if (running == open.end()) continue;
    auto& activation = log[running->second];
    // Transitions of one tick may carry times a few microseconds apart out of order (a delay is dated at its
    // deadline); an end is never before its beginning. Any transition with the condition inactive ends the
    // activation: a condition clear, and also the end of a one-shot shelve when the alarm returned to normal.
    const Timestamp at = std::max(parsed->at, activation.activated);
    if (!parsed->condition_active && !activation.cleared) activation.cleared = at;
    if (parsed->action == AlarmAction::Acknowledge && !activation.acknowledged) activation.acknowledged = at;
  }
  return log;
}

Result<std::vector<alarms::AlarmRecord>> persisted_alarm_states(const store::Store& store) {
  auto events = store.latest_events(std::string(engine::kAlarmEvent));
  if (!events) return events.error();
  std::vector<alarms::AlarmRecord> records;
  for (const auto& event : *events) {
    const auto body = json::parse(event.payload, nullptr, false);
    if (!body.is_object() || !body.contains("record")) {
      return make_error("alarm event " + std::to_string(event.seq) + " carries no record");
    }
    auto record = engine::alarm_record_from_json(body["record"]);
    if (!record) return record.error();
    records.push_back(std::move(*record));
  }
  return records;
}

Result<alarms::KpiReport> alarm_kpi_report(const store::Store& store, const model::Plant& plant,
                                           kpi::Interval period, const UnitFilter& includes) {
  const Timestamp window = period.begin - kAlarmLookback;
  auto events = store.events_between(std::string(engine::kAlarmEvent), window, period.end);
  if (!events) return events.error();
  auto before = store.latest_events(std::string(engine::kAlarmEvent), window);
  if (!before) return before.error();
  std::map<std::string_view, std::string_view> unit_of_alarm;
  for (const auto& definition : plant.alarms) unit_of_alarm[definition.id] = definition.unit_id;
  const auto in_scope_only = [&](std::vector<store::JournalEvent>& list) {
    std::erase_if(list, [&](const store::JournalEvent& event) {
      const auto unit = unit_of_alarm.find(event.subject);
      return unit == unit_of_alarm.end() || !includes(unit->second);
    });
  };
  in_scope_only(*events);
  in_scope_only(*before);
  const auto& in_scope = *events;
  // Alarms shown and active when the window opens: still standing unless an event in it clears them.
  std::vector<alarms::AlarmActivation> running;
  for (const auto& event : *before) {
    const auto body = json::parse(event.payload, nullptr, false);
    if (!body.is_object() || !body.contains("record") || !body["record"].is_object()) continue;
    const auto& record = body["record"];
    const auto state = alarms::parse_alarm_state(record.value("state", ""));
    const bool shown = state && *state != AlarmState::Normal && *state != AlarmState::Shelved &&
                       *state != AlarmState::SuppressedByDesign && *state != AlarmState::OutOfService;
    if (!record.value("condition_active", false) || !shown) continue;
    std::size_t priority = 0;
    for (std::size_t i = 0; i < plant.alarm_priorities.size(); ++i) {
      if (plant.alarm_priorities[i].name == body.value("priority", "")) priority = i;
    }
    const Timestamp since = record.value("active_since", Timestamp{0});
    running.push_back(alarms::AlarmActivation{event.subject, operator_position(body.value("unit", "")),
                                              priority, since > 0 ? since : body.value("at", event.time),
                                              std::nullopt, std::nullopt, true});
  }
  auto log = activations_from_journal(in_scope, plant, running);
  if (!log) return log.error();
  // Shelved at the period end: the last record of each alarm before it.
  std::map<std::string, std::pair<bool, std::string>> shelved;  // alarm -> (shelved, unit)
  for (const auto& event : in_scope) {
    const auto body = json::parse(event.payload, nullptr, false);
    if (!body.is_object() || !body.contains("record")) continue;
    shelved[event.subject] = {body["record"].value("shelve", "none") != "none", body.value("unit", "")};
  }
  std::vector<alarms::ShelvedAlarm> shelved_at_end;
  for (const auto& [alarm, state] : shelved) {
    if (state.first) shelved_at_end.push_back({alarm, operator_position(state.second)});
  }
  alarms::KpiRules rules;
  rules.priority_count = plant.alarm_priorities.size();
  return alarms::alarm_kpi_report(
      alarms::KpiReportInput{{period.begin, period.end}, *log, shelved_at_end, rules});
}

Result<std::vector<alarms::CalibrationReport>> calibrate_alarms(const store::Store& store,
                                                                const model::Plant& plant,
                                                                const std::vector<std::int64_t>& tag_keys,
                                                                kpi::Interval period,
                                                                const UnitFilter& includes) {
  constexpr std::size_t kMaxSamples = 5'000'000;
  std::vector<alarms::CalibrationReport> reports;
  for (const auto& definition : plant.alarms) {
    if (!includes(definition.unit_id) || !definition.tag || definition.setpoint_tag) continue;
    if (definition.kind == model::AlarmKind::PackMLFault) continue;
    auto history = store.history(tag_keys.at(*definition.tag), period.begin, period.end, kMaxSamples);
    if (!history) return history.error();
    std::vector<alarms::RecordedSample> samples;
    samples.reserve(history->size());
    for (const auto& record : *history) {
      // The live condition evaluates only Good and Uncertain samples; the replay must see what it saw.
      if (record.quality != model::Quality::Good && record.quality != model::Quality::Uncertain) continue;
      if (const auto value = model::as_number(record.value)) samples.push_back({record.source_time, *value});
    }
    auto report = alarms::calibrate(definition, samples);
    if (!report) return make_error(definition.id + ": " + report.error().message);
    if (report->before.chattering_activations > 0) reports.push_back(std::move(*report));
  }
  return reports;
}

}  // namespace strata::reporting
