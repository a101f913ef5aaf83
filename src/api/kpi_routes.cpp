// KPI, downtime and shift report routes (ISO 22400).
#include <fmt/format.h>

#include <limits>

#include "api/alarm_json.hpp"
#include "api/kpi_json.hpp"
#include "api/request_helpers.hpp"
#include "api/router.hpp"

namespace strata::api {
namespace {

using nlohmann::json;
constexpr Timestamp kClassificationSearch = 12LL * 3600 * kMicrosPerSecond;
constexpr std::size_t kMaxCommentLength = 2000;
constexpr std::size_t kShiftReportTopStops = 5;

}  // namespace

std::variant<reporting::Scope, HttpResponse> Router::visible_scope(
    const Caller& caller, const std::map<std::string, std::string>& query) {
  const auto it = query.find("scope");
  const std::string id = it == query.end() ? std::string{} : it->second;
  auto scope = reporting::resolve_scope(*context_.plant, id);
  if (!scope) return json_error(404, scope.error().message);
  // A scope above the caller's grants (the plant, an area) covers only the units the caller may see: an
  // L2 operator asking for the area gets L2's figures, never L1's.
  std::erase_if(scope->units, [&](const model::WorkUnit* unit) { return !can_see(caller, unit->id); });
  std::erase_if(scope->lines, [&](const model::WorkCenter* line) {
    return std::none_of(scope->units.begin(), scope->units.end(), [&](const model::WorkUnit* unit) {
      return context_.plant->work_center_of(*unit) == line;
    });
  });
  if (scope->units.empty()) {
    return json_error(403, id.empty() ? std::string("no equipment of the plant is in your scope")
                                      : fmt::format("'{}' is outside your scope", id));
  }
  return std::move(*scope);
}

std::variant<kpi::Interval, HttpResponse> Router::requested_period(
    const std::map<std::string, std::string>& query) {
  const auto from = time_param(query, "from");
  if (!from) return json_error(400, from.error().message);
  const auto to = time_param(query, "to");
  if (!to) return json_error(400, to.error().message);
  const auto period_it = query.find("period");
  const Timestamp now = context_.auth->now();
  if (*from || *to) {
    if (period_it != query.end()) return json_error(400, "give either 'period' or 'from'/'to', not both");
    if (!*from) return json_error(400, "'to' needs a 'from'");
    const kpi::Interval period{**from, to->value_or(now)};
    if (period.end < period.begin) return json_error(400, "'to' is before 'from'");
    return period;
  }
  const std::string name = period_it == query.end() ? "shift" : period_it->second;
  if (name == "shift") return context_.kpi->shift_at(now).planned;
  if (name == "previous_shift") return context_.kpi->previous_shift(now).planned;
  if (name == "today" || name == "yesterday") {
    auto day = context_.kpi->shift_at(now);  // around the clock: the local day
    if (!context_.plant->calendar.around_the_clock()) {
      const Timestamp offset = context_.plant->calendar.utc_offset;
      const Timestamp local = now + offset;
      const Timestamp start =
          local - ((local % model::kMicrosPerDay) + model::kMicrosPerDay) % model::kMicrosPerDay - offset;
      day.planned = {start, start + model::kMicrosPerDay};
    }
    if (name == "yesterday") day.planned = {day.planned.begin - model::kMicrosPerDay, day.planned.begin};
    return day.planned;
  }
  return json_error(400,
                    fmt::format("unknown period '{}' (expected shift, previous_shift, today or yesterday, "
                                "or give from/to)",
                                name));
}

HttpResponse Router::get_kpi(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope", "from", "to", "period", "by"}))
    return *rejected;
  auto scope = visible_scope(caller, query);
  if (auto* error = std::get_if<HttpResponse>(&scope)) return *error;
  auto period = requested_period(query);
  if (auto* error = std::get_if<HttpResponse>(&period)) return *error;
  const auto by_it = query.find("by");
  const auto bucketing = reporting::parse_bucketing(by_it == query.end() ? "none" : by_it->second);
  if (!bucketing)
    return json_error(400,
                      fmt::format("unknown bucket '{}' (expected none, shift, day or hour)", by_it->second));
  auto report = context_.kpi->performance(std::get<reporting::Scope>(scope), std::get<kpi::Interval>(period),
                                          *bucketing);
  if (!report) return json_error(422, report.error().message);
  auto body = performance_report_json(*report);
  const auto named = query.find("period");
  const auto name = named == query.end() ? std::string("shift") : named->second;
  if (query.count("from") == 0 && (name == "shift" || name == "previous_shift")) {
    const Timestamp now = context_.auth->now();
    body["shift"] =
        shift_json(name == "shift" ? context_.kpi->shift_at(now) : context_.kpi->previous_shift(now));
  }
  return json_ok(body);
}

HttpResponse Router::get_downtime(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope", "from", "to", "period", "micro"}))
    return *rejected;
  auto scope = visible_scope(caller, query);
  if (auto* error = std::get_if<HttpResponse>(&scope)) return *error;
  auto period = requested_period(query);
  if (auto* error = std::get_if<HttpResponse>(&period)) return *error;
  bool include_micro = false;
  if (const auto micro = query.find("micro"); micro != query.end()) {
    if (micro->second != "true" && micro->second != "false") {
      return json_error(400, "'micro' must be true or false");
    }
    include_micro = micro->second == "true";
  }
  auto report = context_.kpi->downtime(std::get<reporting::Scope>(scope), std::get<kpi::Interval>(period));
  if (!report) return json_error(422, report.error().message);
  return json_ok(downtime_report_json(*report, context_.plant->calendar, include_micro));
}

HttpResponse Router::get_stop_reasons(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope"})) return *rejected;
  auto scope = visible_scope(caller, query);
  if (auto* error = std::get_if<HttpResponse>(&scope)) return *error;
  json lines = json::array();
  for (const auto* line : std::get<reporting::Scope>(scope).lines) {
    json reasons = json::array();
    for (const auto& reason : line->stop_reasons) reasons.push_back(stop_reason_json(reason));
    lines.push_back({{"line", line->id}, {"reasons", std::move(reasons)}});
  }
  return json_ok({{"lines", std::move(lines)}});
}

HttpResponse Router::post_classification(const Caller& caller, const HttpRequest& request) {
  auto body =
      parse_json_object(request.body, {"unit", "begin", "code", "comment"}, {"unit", "begin", "code"});
  if (!body) return json_error(400, body.error().message);
  const auto unit_id = string_field(*body, "unit");
  if (!unit_id) return json_error(400, unit_id.error().message);
  const auto* unit = context_.plant->find_unit(**unit_id);
  if (unit == nullptr) return json_error(404, fmt::format("unknown unit '{}'", **unit_id));
  if (!caller.policy->allows(caller.principal, security::Permission::ClassifyDowntime, unit->id)) {
    return json_error(
        403,
        fmt::format("you may not classify stops of '{}' (needs classify_downtime in its scope)", unit->id));
  }
  if (!(*body)["begin"].is_number_integer() || !(*body)["code"].is_number_integer()) {
    return json_error(400, "'begin' (microseconds since the epoch) and 'code' must be integers");
  }
  const auto begin = (*body)["begin"].get<Timestamp>();
  const auto code = (*body)["code"].get<std::int64_t>();
  const auto comment = string_field(*body, "comment");
  if (!comment) return json_error(400, comment.error().message);
  if (comment->value_or("").size() > kMaxCommentLength) {
    return json_error(400, fmt::format("'comment' is longer than {} characters", kMaxCommentLength));
  }
  const auto* line = context_.plant->work_center_of(*unit);
  const auto* reason = model::find_stop_reason(line->stop_reasons, code);
  if (reason == nullptr) {
    return json_error(
        400, fmt::format("{} is not a stop reason code of line '{}' (see /api/stop-reasons?scope={})", code,
                         line->id, line->id));
  }
  auto scope = reporting::resolve_scope(*context_.plant, unit->id);
  auto downtime =
      context_.kpi->downtime(*scope, {begin - kClassificationSearch, begin + kClassificationSearch});
  if (!downtime) return json_error(422, downtime.error().message);
  const auto& records = downtime->units.front().records;
  // `begin` may be a record's begin as listed for a period that cut it; it still names that record.
  const auto record = std::find_if(records.begin(), records.end(), [&](const kpi::DowntimeRecord& r) {
    return r.record_begin == begin || (r.stop.span.begin == begin && r.stop.span.length() > 0);
  });
  if (record == records.end()) {
    return json_error(
        404, fmt::format("no stop of '{}' begins at {} (take 'begin' from /api/downtime)", unit->id, begin));
  }
  kpi::OperatorClassification classification{record->record_begin, code, comment->value_or(""),
                                             caller.principal.name, 0};
  auto committed = context_.engine->record(std::string(reporting::kClassificationEvent), unit->id,
                                           reporting::ClassificationBook::payload(classification));
  if (committed.wait_for(context_.engine_timeout) != std::future_status::ready) {
    return json_error(503,
                      "the classification was not confirmed in time; check /api/downtime before retrying");
  }
  const auto seq = committed.get();
  classification.at = context_.auth->now();
  context_.classifications->add(unit->id, classification);
  const json before =
      record->classification ? json{{"code", record->classification->code}} : json{{"code", nullptr}};
  context_.auth->audit(caller.principal.name, "classify_downtime", unit->id, before.dump(),
                       json{{"record_begin", record->record_begin},
                            {"code", code},
                            {"reason", reason->path()},
                            {"journal_seq", seq}}
                           .dump(),
                       classification.comment);
  return json_ok({{"unit", unit->id},
                  {"begin", record->record_begin},
                  {"reason", stop_reason_json(*reason)},
                  {"comment", classification.comment},
                  {"by", classification.by},
                  {"at", classification.at},
                  {"journal_seq", seq}});
}

HttpResponse Router::get_shift_report(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"scope", "shift", "at"})) return *rejected;
  auto scope_or_error = visible_scope(caller, query);
  if (auto* error = std::get_if<HttpResponse>(&scope_or_error)) return *error;
  const auto& scope = std::get<reporting::Scope>(scope_or_error);
  const auto at = time_param(query, "at");
  if (!at) return json_error(400, at.error().message);
  const Timestamp when = at->value_or(context_.auth->now());
  const auto which = query.count("shift") != 0 ? query.at("shift") : std::string("current");
  if (which != "current" && which != "previous") {
    return json_error(400, fmt::format("unknown shift '{}' (expected current or previous)", which));
  }
  const auto shift = which == "current" ? context_.kpi->shift_at(when) : context_.kpi->previous_shift(when);
  auto performance = context_.kpi->performance(scope, shift.planned, reporting::Bucketing::None);
  if (!performance) return json_error(422, performance.error().message);
  auto downtime = context_.kpi->downtime(scope, shift.planned);
  if (!downtime) return json_error(422, downtime.error().message);
  auto stops = downtime_report_json(*downtime, context_.plant->calendar, false);
  auto& records = stops["records"];
  std::sort(records.begin(), records.end(), [](const json& a, const json& b) {
    return a["seconds"].get<double>() > b["seconds"].get<double>();
  });
  if (records.size() > kShiftReportTopStops)
    records.erase(records.begin() + kShiftReportTopStops, records.end());
  json unexplained = 0;
  for (const auto& unit : downtime->units) {
    for (const auto& record : unit.records) {
      if (!record.micro && !record.reason()) unexplained = unexplained.get<int>() + 1;
    }
  }
  // Open alarms for the handover: what the next shift inherits (active, unacknowledged or hidden).
  auto open_alarms = ask_engine([&scope, &caller, this](const engine::PlantState& state) {
    json list = json::array();
    if (state.alarms != nullptr) {
      alarms::AlarmFilter filter;
      filter.scope = scope.id;
      for (const auto& view : state.alarms->list(filter)) {
        if (view.record.state == alarms::AlarmState::Normal || !can_see(caller, view.definition->unit_id))
          continue;
        list.push_back(alarm_json(view, *state.alarms));
      }
    }
    return json_ok(list);
  });
  if (open_alarms.status != 200) return open_alarms;
  return json_ok({{"shift", shift_json(shift)},
                  {"open_alarms", json::parse(open_alarms.body)},
                  {"scope", stops["scope"]},
                  {"generated_at", context_.auth->now()},
                  {"performance", performance_report_json(*performance)},
                  {"top_stops", std::move(records)},
                  {"downtime", stops["summary"]},
                  {"unexplained_stops", unexplained}});
}

}  // namespace strata::api
