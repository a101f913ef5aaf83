// Alarm console, operator actions (ISA-18.2 lifecycle), alarm KPI report and calibration routes.
#include <fmt/format.h>

#include <memory>
#include <set>

#include "alarms/names.hpp"
#include "api/alarm_json.hpp"
#include "api/request_helpers.hpp"
#include "api/router.hpp"
#include "common/duration.hpp"
#include "reporting/alarm_history.hpp"

namespace strata::api {
namespace {

using nlohmann::json;
constexpr std::size_t kMaxCommentLength = 2000;

struct ActionSpec {
  std::string_view name;
  engine::AlarmOperationKind kind;
  security::Permission permission;
};

constexpr ActionSpec kActions[] = {
    {"acknowledge", engine::AlarmOperationKind::Acknowledge, security::Permission::AckAlarm},
    {"reset", engine::AlarmOperationKind::Reset, security::Permission::AckAlarm},
    {"shelve", engine::AlarmOperationKind::Shelve, security::Permission::ShelveAlarm},
    {"unshelve", engine::AlarmOperationKind::Unshelve, security::Permission::ShelveAlarm},
    {"remove_from_service", engine::AlarmOperationKind::RemoveFromService,
     security::Permission::OutOfServiceAlarm},
    {"return_to_service", engine::AlarmOperationKind::ReturnToService,
     security::Permission::OutOfServiceAlarm},
};

std::string action_names() {
  std::string names;
  for (const auto& action : kActions) names += (names.empty() ? "" : ", ") + std::string(action.name);
  return names;
}

// "a,b,c" -> {"a","b","c"}
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const auto end = std::min(text.find(',', begin), text.size());
    if (end > begin) items.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

// The units of a resolved (and caller-filtered) scope, as a report filter.
reporting::UnitFilter unit_filter(const reporting::Scope& scope) {
  auto units = std::make_shared<std::set<std::string, std::less<>>>();
  for (const auto* unit : scope.units) units->insert(unit->id);
  return [units](std::string_view unit_id) { return units->count(unit_id) != 0; };
}

}  // namespace

HttpResponse Router::get_alarms(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope", "state", "priority", "shelved"}))
    return *rejected;
  const auto scope = query.count("scope") != 0 ? query.at("scope") : std::string{};
  if (!can_see(caller, scope)) {
    return json_error(403, scope.empty()
                               ? std::string("the whole plant is outside your scope: pass scope=<your line>")
                               : fmt::format("'{}' is outside your scope", scope));
  }
  alarms::AlarmFilter filter;
  filter.scope = scope;
  if (query.count("state") != 0) {
    for (const auto& name : split_list(query.at("state"))) {
      const auto state = alarms::parse_alarm_state(name);
      if (!state)
        return json_error(400, fmt::format("unknown alarm state '{}' (e.g. Unacknowledged, Acknowledged, "
                                           "ReturnedUnacknowledged, Shelved, OutOfService, Normal)",
                                           name));
      filter.states.push_back(*state);
    }
  } else {
    // The console shows what needs attention or is hidden; Normal alarms are listed only on request.
    for (const auto state :
         {alarms::AlarmState::Unacknowledged, alarms::AlarmState::Acknowledged,
          alarms::AlarmState::ReturnedUnacknowledged, alarms::AlarmState::LatchedUnacknowledged,
          alarms::AlarmState::LatchedAcknowledged, alarms::AlarmState::Shelved,
          alarms::AlarmState::SuppressedByDesign, alarms::AlarmState::OutOfService}) {
      filter.states.push_back(state);
    }
  }
  if (query.count("priority") != 0) {
    const auto& priorities = context_.plant->alarm_priorities;
    for (const auto& name : split_list(query.at("priority"))) {
      const auto it =
          std::find_if(priorities.begin(), priorities.end(), [&](const auto& p) { return p.name == name; });
      if (it == priorities.end()) return json_error(400, fmt::format("unknown alarm priority '{}'", name));
      filter.priorities.push_back(static_cast<std::size_t>(it - priorities.begin()));
    }
  }
  const bool shelved_only = query.count("shelved") != 0 && query.at("shelved") == "true";
  return ask_engine([filter, shelved_only, caller, this](const engine::PlantState& state) {
    json list = json::array();
    if (state.alarms == nullptr) return json_ok({{"alarms", list}, {"priorities", json::array()}});
    const auto views = shelved_only ? state.alarms->shelved() : state.alarms->list(filter);
    for (const auto& view : views) {
      if (!can_see(caller, view.definition->unit_id) ||
          !model::scope_covers(filter.scope, view.definition->id))
        continue;
      auto entry = alarm_json(view, *state.alarms);
      json permissions = json::array();
      for (const auto& action : kActions) {
        if (caller.policy->allows(caller.principal, action.permission, view.definition->unit_id)) {
          permissions.push_back(action.name);
        }
      }
      entry["allowed_actions"] = std::move(permissions);
      list.push_back(std::move(entry));
    }
    json priorities = json::array();
    for (const auto& priority : state.alarms->priorities()) {
      priorities.push_back({{"name", priority.name}, {"rank", priority.rank}});
    }
    return json_ok({{"alarms", std::move(list)}, {"priorities", std::move(priorities)}});
  });
}

HttpResponse Router::post_alarm_action(const Caller& caller, const HttpRequest& request) {
  auto body = parse_json_object(
      request.body, {"alarm", "action", "comment", "shelve", "duration", "signature"}, {"alarm", "action"});
  if (!body) return json_error(400, body.error().message);
  const auto alarm_id = string_field(*body, "alarm");
  if (!alarm_id) return json_error(400, alarm_id.error().message);
  const auto action_name = string_field(*body, "action");
  if (!action_name) return json_error(400, action_name.error().message);
  const auto spec = std::find_if(std::begin(kActions), std::end(kActions),
                                 [&](const ActionSpec& a) { return a.name == **action_name; });
  if (spec == std::end(kActions)) {
    return json_error(
        400, fmt::format("unknown alarm action '{}' (expected one of: {})", **action_name, action_names()));
  }
  const auto* definition = [&]() -> const model::AlarmDefinition* {
    for (const auto& alarm : context_.plant->alarms) {
      if (alarm.id == **alarm_id) return &alarm;
    }
    return nullptr;
  }();
  if (definition == nullptr) return json_error(404, fmt::format("unknown alarm '{}'", **alarm_id));
  if (!caller.policy->allows(caller.principal, spec->permission, definition->unit_id)) {
    return json_error(403, fmt::format("you may not {} alarms of '{}' (needs {} in its scope)", spec->name,
                                       definition->unit_id, security::to_string(spec->permission)));
  }
  const auto comment = string_field(*body, "comment");
  if (!comment) return json_error(400, comment.error().message);
  if (comment->value_or("").size() > kMaxCommentLength) {
    return json_error(400, fmt::format("'comment' is longer than {} characters", kMaxCommentLength));
  }
  engine::AlarmOperation operation{
      spec->kind, definition->id, {}, caller.principal.name, comment->value_or("")};
  if (spec->kind == engine::AlarmOperationKind::Shelve) {
    const auto kind = string_field(*body, "shelve");
    if (!kind) return json_error(400, kind.error().message);
    const auto shelve = alarms::parse_shelve_kind(kind->value_or("timed"));
    if (!shelve || *shelve == alarms::ShelveKind::None) {
      return json_error(400, "'shelve' must be timed or one_shot");
    }
    operation.shelve.kind = *shelve;
    const auto duration = string_field(*body, "duration");
    if (!duration) return json_error(400, duration.error().message);
    if (*shelve == alarms::ShelveKind::Timed) {
      const auto parsed = parse_duration(duration->value_or(""));
      if (!parsed || *parsed <= 0) {
        return json_error(400, "a timed shelve needs 'duration', e.g. '30m' or '2h'");
      }
      operation.shelve.duration = *parsed;
    }
  } else if (body->contains("shelve") || body->contains("duration")) {
    return json_error(400, "'shelve' and 'duration' only go with the shelve action");
  }
  std::string reason;
  bool is_signed = false;
  if (auto refused = check_signature(
          caller, context_.auth->signature_required(security::to_string(spec->permission), spec->name), *body,
          reason, is_signed)) {
    return *refused;
  }
  auto future = context_.engine->alarm_operation(operation);
  if (future.wait_for(context_.engine_timeout) != std::future_status::ready) {
    return json_error(503, "the alarm action was not confirmed in time; check /api/alarms before retrying");
  }
  auto done = future.get();
  if (!done) return json_error(409, done.error().message);
  context_.auth->audit(
      caller.principal.name, fmt::format("alarm.{}", spec->name), definition->id,
      json{{"state", alarms::to_string(done->transition.from)}}.dump(),
      json{{"state", alarms::to_string(done->transition.to)}, {"journal_seq", done->journal_seq}}.dump(),
      reason.empty() ? operation.comment : reason, is_signed);
  auto answer = transition_json(done->transition);
  answer["journal_seq"] = done->journal_seq;
  return json_ok(answer);
}

HttpResponse Router::get_alarm_report(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope", "from", "to", "period"})) return *rejected;
  auto scope = visible_scope(caller, query);
  if (auto* error = std::get_if<HttpResponse>(&scope)) return *error;
  auto period = requested_period(query);
  if (auto* error = std::get_if<HttpResponse>(&period)) return *error;
  auto interval = std::get<kpi::Interval>(period);
  interval.end = std::min(interval.end, context_.auth->now());  // rates are per elapsed time
  if (interval.length() == 0) return json_error(400, "the period is empty (or not begun yet)");
  if (context_.reader == nullptr) return json_error(503, "no store is configured");
  const auto includes = unit_filter(std::get<reporting::Scope>(scope));
  auto report = context_.reader->with([&](store::Store& store) {
    return reporting::alarm_kpi_report(store, *context_.plant, interval, includes);
  });
  if (!report) return json_error(422, report.error().message);
  return json_ok(alarm_kpi_json(*report, context_.plant->alarm_priorities));
}

HttpResponse Router::get_alarm_calibration(const Caller& caller,
                                           const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope", "from", "to", "period"})) return *rejected;
  auto scope = visible_scope(caller, query);
  if (auto* error = std::get_if<HttpResponse>(&scope)) return *error;
  auto period = requested_period(query);
  if (auto* error = std::get_if<HttpResponse>(&period)) return *error;
  if (context_.reader == nullptr) return json_error(503, "no store is configured");
  const auto includes = unit_filter(std::get<reporting::Scope>(scope));
  auto reports = context_.reader->with([&](store::Store& store) {
    return reporting::calibrate_alarms(store, *context_.plant, context_.tag_keys,
                                       std::get<kpi::Interval>(period), includes);
  });
  if (!reports) return json_error(422, reports.error().message);
  json list = json::array();
  for (const auto& report : *reports) list.push_back(calibration_json(report));
  return json_ok({{"proposals", std::move(list)}});
}

}  // namespace strata::api
