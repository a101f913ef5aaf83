#include "api/router.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "api/json_views.hpp"
#include "api/metrics_text.hpp"
#include "api/openapi.hpp"
#include "api/request_helpers.hpp"
#include "api/url.hpp"

namespace strata::api {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxHistoryLimit = 100'000;
constexpr std::size_t kDefaultHistoryLimit = 10'000;
constexpr std::size_t kMaxEventLimit = 10'000;

std::optional<states::PackMLCommand> command_from_json(const json& value) {
  if (value.is_string()) return states::parse_command(value.get<std::string>());
  if (value.is_number_integer()) return states::command_from_number(value.get<std::int64_t>());
  return std::nullopt;
}

std::string command_names() {
  std::string names;
  for (int number = 1; number < states::kCommandCount; ++number) {
    if (!names.empty()) names += ", ";
    names += states::to_string(*states::command_from_number(number));
  }
  return names;
}

}  // namespace

HttpResponse json_error(int status, const std::string& message) {
  return HttpResponse{status, "application/json", to_text(json{{"error", message}}), {}};
}

std::optional<Timestamp> parse_time(const std::string& text) {
  if (auto micros = parse_integer(text)) return micros;
  std::tm tm{};
  int fraction_digits = 0;
  Timestamp fraction = 0;
  const char* cursor = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (cursor == nullptr) return std::nullopt;
  if (*cursor == '.') {
    ++cursor;
    while (*cursor >= '0' && *cursor <= '9') {
      if (fraction_digits < 6) {
        fraction = fraction * 10 + (*cursor - '0');
        ++fraction_digits;
      }
      ++cursor;
    }
    if (fraction_digits == 0) return std::nullopt;
    for (int i = fraction_digits; i < 6; ++i) fraction *= 10;
  }
  if (std::string_view(cursor) != "Z") return std::nullopt;
  return static_cast<Timestamp>(timegm(&tm)) * kMicrosPerSecond + fraction;
}

bool Router::handles(const std::string& target) {
  return target == "/healthz" || target == "/metrics" || target.rfind("/api/", 0) == 0 || target == "/api";
}

bool Router::can_see(const Caller& caller, const std::string& path) const {
  return caller.policy->can_see(caller.principal, path);
}

HttpResponse Router::handle(const HttpRequest& request) {
  const auto parsed = parse_target(request.target);
  if (!parsed) return json_error(400, "malformed percent-encoding in the request target");
  const auto& s = parsed->segments;
  if (s.size() == 1 && s[0] == "healthz") {
    return request.method == "GET" || request.method == "HEAD"
               ? json_ok({{"status", "ok"}})
               : json_error(405, "method not allowed (allowed: GET)");
  }
  if (s.size() == 2 && s[0] == "api" && s[1] == "login") {
    return request.method == "POST" ? post_login(request)
                                    : json_error(405, "method not allowed (allowed: POST)");
  }
  const auto caller = context_.auth->authenticate(request);
  if (!caller) return json_error(401, "login required (POST /api/login, or an Authorization: Bearer token)");
  const bool reads = request.method == "GET" || request.method == "HEAD";
  if (!reads && !context_.auth->csrf_ok(*caller, request)) {
    return json_error(
        403, "missing or wrong CSRF token (send the X-CSRF-Token header from /api/login or /api/me)");
  }
  if (s.size() == 1 && s[0] == "metrics") {
    return reads ? get_metrics() : json_error(405, "method not allowed (allowed: GET)");
  }
  return route(request, *parsed, *caller);
}

HttpResponse Router::route(const HttpRequest& request, const ParsedTarget& target, const Caller& caller) {
  const auto& s = target.segments;
  const auto& method = request.method;
  const bool get = method == "GET" || method == "HEAD";
  const auto method_not_allowed = [&](const char* allowed) {
    auto response = json_error(405, fmt::format("method {} not allowed here (allowed: {})", method, allowed));
    response.headers.emplace_back("Allow", allowed);
    return response;
  };
  if (s.empty() || s[0] != "api") return json_error(404, "not found");
  const auto one = [&](std::string_view name) { return s.size() == 2 && s[1] == name; };
  const auto two = [&](std::string_view name) { return s.size() == 3 && s[1] == name; };
  const auto three = [&](std::string_view name, std::string_view last) {
    return s.size() == 4 && s[1] == name && s[3] == last;
  };

  if (one("openapi.json")) return get ? json_ok(openapi_document()) : method_not_allowed("GET");
  if (one("plant")) return get ? get_plant(caller) : method_not_allowed("GET");
  if (one("packml")) return get ? json_ok(packml_reference_json()) : method_not_allowed("GET");
  if (one("stats")) return get ? get_stats() : method_not_allowed("GET");
  if (one("units")) return get ? get_units(caller) : method_not_allowed("GET");
  if (two("units")) return get ? get_unit(caller, s[2]) : method_not_allowed("GET");
  if (three("units", "commands")) {
    return method == "POST" ? post_command(caller, s[2], request) : method_not_allowed("POST");
  }
  if (one("tags")) return get ? get_tags(caller, target.query) : method_not_allowed("GET");
  if (two("tags")) return get ? get_tag(caller, s[2]) : method_not_allowed("GET");
  if (three("tags", "history"))
    return get ? get_history(caller, s[2], target.query) : method_not_allowed("GET");
  if (one("events")) return get ? get_events(caller, target.query) : method_not_allowed("GET");
  if (one("me")) return get ? get_me(caller) : method_not_allowed("GET");
  if (one("logout")) return method == "POST" ? post_logout(caller, request) : method_not_allowed("POST");
  if (one("tokens")) {
    if (get) return get_tokens(caller);
    return method == "POST" ? post_token(caller, request) : method_not_allowed("GET, POST");
  }
  if (two("tokens")) return method == "DELETE" ? delete_token(caller, s[2]) : method_not_allowed("DELETE");
  if (one("users")) {
    if (get) return get_users(caller);
    return method == "POST" ? post_user(caller, request) : method_not_allowed("GET, POST");
  }
  if (three("users", "unlock"))
    return method == "POST" ? post_unlock(caller, s[2]) : method_not_allowed("POST");
  if (one("audit")) return get ? get_audit(caller, target.query) : method_not_allowed("GET");
  if (one("alarms")) return get ? get_alarms(caller, target.query) : method_not_allowed("GET");
  if (two("alarms") && s[2] == "actions") {
    return method == "POST" ? post_alarm_action(caller, request) : method_not_allowed("POST");
  }
  if (two("alarms") && s[2] == "report")
    return get ? get_alarm_report(caller, target.query) : method_not_allowed("GET");
  if (two("alarms") && s[2] == "calibration") {
    return get ? get_alarm_calibration(caller, target.query) : method_not_allowed("GET");
  }
  const bool kpi_route =
      one("kpi") || one("downtime") || two("downtime") || one("stop-reasons") || one("shift-report");
  if (kpi_route && (context_.kpi == nullptr || context_.classifications == nullptr)) {
    return json_error(503, "KPIs are not available on this node (no KPI service configured)");
  }
  if (one("kpi")) return get ? get_kpi(caller, target.query) : method_not_allowed("GET");
  if (one("downtime")) return get ? get_downtime(caller, target.query) : method_not_allowed("GET");
  if (s.size() == 3 && s[1] == "downtime" && s[2] == "classifications") {
    return method == "POST" ? post_classification(caller, request) : method_not_allowed("POST");
  }
  if (one("stop-reasons")) return get ? get_stop_reasons(caller, target.query) : method_not_allowed("GET");
  if (one("shift-report")) return get ? get_shift_report(caller, target.query) : method_not_allowed("GET");
  return json_error(404, fmt::format("no API route for {} (see /api/openapi.json)", request.target));
}

HttpResponse Router::get_plant(const Caller& caller) {
  return json_ok(plant_json(*context_.plant, [&](const std::string& id) { return can_see(caller, id); }));
}

HttpResponse Router::get_units(const Caller& caller) {
  std::vector<std::size_t> visible;
  std::vector<json> permissions;
  const auto units = context_.plant->units();
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!can_see(caller, units[i]->id)) continue;
    visible.push_back(i);
    json names = json::array();
    for (const auto permission : caller.policy->permissions_at(caller.principal, units[i]->id)) {
      names.push_back(security::to_string(permission));
    }
    permissions.push_back(std::move(names));
  }
  return ask_engine([visible, permissions](const engine::PlantState& state) {
    json list = json::array();
    for (std::size_t i = 0; i < visible.size(); ++i) {
      auto unit = unit_json(state, state.units[visible[i]]);
      unit["permissions"] = permissions[i];
      list.push_back(std::move(unit));
    }
    return json_ok(list);
  });
}

HttpResponse Router::get_unit(const Caller& caller, const std::string& id) {
  if (context_.plant->find_unit(id) == nullptr) return json_error(404, fmt::format("unknown unit '{}'", id));
  if (!can_see(caller, id)) return json_error(403, fmt::format("unit '{}' is outside your scope", id));
  json permissions = json::array();
  for (const auto permission : caller.policy->permissions_at(caller.principal, id)) {
    permissions.push_back(security::to_string(permission));
  }
  return ask_engine([id, permissions](const engine::PlantState& state) {
    auto unit = unit_json(state, *state.find_unit(id));
    unit["permissions"] = permissions;
    return json_ok(unit);
  });
}

HttpResponse Router::post_command(const Caller& caller, const std::string& id, const HttpRequest& request) {
  if (context_.plant->find_unit(id) == nullptr) return json_error(404, fmt::format("unknown unit '{}'", id));
  if (!caller.policy->allows(caller.principal, security::Permission::CommandUnit, id)) {
    return json_error(403,
                      fmt::format("you may not command unit '{}' (needs command_unit in its scope)", id));
  }
  auto body = parse_json_object(request.body, {"command", "origin", "signature"}, {"command"});
  if (!body) return json_error(400, body.error().message);
  const auto command = command_from_json((*body)["command"]);
  if (!command || *command == states::PackMLCommand::Undefined) {
    return json_error(400, fmt::format("unknown command {} (expected one of: {} or its number 1..10)",
                                       (*body)["command"].dump(), command_names()));
  }
  auto origin = string_field(*body, "origin");
  if (!origin) return json_error(400, origin.error().message);
  std::string reason;
  bool is_signed = false;
  const auto command_name = std::string(states::to_string(*command));
  if (auto refused = check_signature(caller, context_.auth->signature_required("command_unit", command_name),
                                     *body, reason, is_signed)) {
    return *refused;
  }
  auto future = context_.engine->command(id, *command, origin->value_or("api:" + caller.principal.name));
  if (future.wait_for(context_.engine_timeout) != std::future_status::ready) {
    return json_error(503, "the command was not confirmed in time; check /api/events before retrying");
  }
  const auto result = future.get();
  if (const auto* refusal = std::get_if<engine::CommandRefusal>(&result)) {
    return json_error(refusal->conflict ? 409 : 404, refusal->message);
  }
  const auto& accepted = std::get<engine::CommandAccepted>(result);
  context_.auth->audit(caller.principal.name, "command", id,
                       json{{"state", states::to_string(accepted.state_before)}}.dump(),
                       json{{"command", command_name},
                            {"target", states::to_string(accepted.target)},
                            {"journal_seq", accepted.journal_seq}}
                           .dump(),
                       reason, is_signed);
  return json_ok({{"unit", accepted.unit_id},
                  {"command", command_name},
                  {"state_before", states::to_string(accepted.state_before)},
                  {"state", states::to_string(accepted.target)},
                  {"journal_seq", accepted.journal_seq}});
}

HttpResponse Router::get_tags(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"unit"})) return *rejected;
  std::optional<std::string> unit;
  if (const auto it = query.find("unit"); it != query.end()) {
    if (context_.plant->find_unit(it->second) == nullptr) {
      return json_error(404, fmt::format("unknown unit '{}'", it->second));
    }
    if (!can_see(caller, it->second))
      return json_error(403, fmt::format("unit '{}' is outside your scope", it->second));
    unit = it->second;
  }
  std::vector<model::TagIndex> selected;
  for (model::TagIndex i = 0; i < context_.plant->tags.size(); ++i) {
    const auto& tag = context_.plant->tags[i];
    if ((!unit || tag.unit_id == *unit) && can_see(caller, tag.unit_id)) selected.push_back(i);
  }
  return ask_engine([selected](const engine::PlantState& state) {
    json tags = json::array();
    for (const auto index : selected) tags.push_back(tag_json(state, index));
    return json_ok(tags);
  });
}

HttpResponse Router::get_tag(const Caller& caller, const std::string& id) {
  const auto index = context_.plant->find_tag(id);
  if (!index) return json_error(404, fmt::format("unknown tag '{}'", id));
  if (!can_see(caller, context_.plant->tags[*index].unit_id)) {
    return json_error(403, fmt::format("tag '{}' is outside your scope", id));
  }
  return ask_engine(
      [index = *index](const engine::PlantState& state) { return json_ok(tag_json(state, index)); });
}

HttpResponse Router::get_history(const Caller& caller, const std::string& id,
                                 const std::map<std::string, std::string>& query) {
  const auto index = context_.plant->find_tag(id);
  if (!index) return json_error(404, fmt::format("unknown tag '{}'", id));
  if (!can_see(caller, context_.plant->tags[*index].unit_id)) {
    return json_error(403, fmt::format("tag '{}' is outside your scope", id));
  }
  if (auto rejected = reject_unknown_parameters(query, {"from", "to", "limit"})) return *rejected;
  const auto from = time_param(query, "from");
  if (!from) return json_error(400, from.error().message);
  const auto to = time_param(query, "to");
  if (!to) return json_error(400, to.error().message);
  const auto limit = integer_param(query, "limit");
  if (!limit) return json_error(400, limit.error().message);
  const Timestamp begin = from->value_or(0);
  const Timestamp end = to->value_or(std::numeric_limits<Timestamp>::max());
  if (end < begin) return json_error(400, "'to' is before 'from'");
  const auto count =
      static_cast<std::size_t>(limit->value_or(static_cast<std::int64_t>(kDefaultHistoryLimit)));
  if (count > kMaxHistoryLimit)
    return json_error(400, fmt::format("'limit' is at most {}", kMaxHistoryLimit));
  if (context_.reader == nullptr) return json_error(503, "no store is configured");
  const auto key = context_.tag_keys[*index];
  auto records =
      context_.reader->with([&](store::Store& store) { return store.history(key, begin, end, count); });
  if (!records) return json_error(500, records.error().message);
  json values = json::array();
  for (const auto& record : *records) values.push_back(history_record_json(record));
  return json_ok({{"tag", id}, {"from", begin}, {"to", end}, {"values", std::move(values)}});
}

HttpResponse Router::get_events(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"after", "limit", "kind"})) return *rejected;
  const auto after = integer_param(query, "after");
  if (!after) return json_error(400, after.error().message);
  const auto limit = integer_param(query, "limit");
  if (!limit) return json_error(400, limit.error().message);
  const auto count = static_cast<std::size_t>(limit->value_or(1000));
  if (count > kMaxEventLimit) return json_error(400, fmt::format("'limit' is at most {}", kMaxEventLimit));
  const auto kind_it = query.find("kind");
  const std::string kind = kind_it == query.end() ? std::string{} : kind_it->second;
  if (context_.reader == nullptr) return json_error(503, "no store is configured");
  auto events = context_.reader->with(
      [&](store::Store& store) { return store.events(after->value_or(0), count, kind); });
  if (!events) return json_error(500, events.error().message);
  json list = json::array();
  for (const auto& event : *events) {
    if (can_see(caller, event.subject)) list.push_back(event_json(event));
  }
  return json_ok({{"events", std::move(list)}});
}

HttpResponse Router::get_stats() {
  const auto engine_stats = context_.engine->stats();
  json body{{"engine",
             {{"updates_applied", engine_stats.updates_applied},
              {"updates_rejected", engine_stats.updates_rejected},
              {"ticks", engine_stats.ticks}}}};
  if (context_.writer != nullptr) {
    const auto writer_stats = context_.writer->stats();
    body["store"] = {{"history_values_written", writer_stats.history_values_written},
                     {"events_written", writer_stats.events_written},
                     {"transactions", writer_stats.transactions},
                     {"errors", writer_stats.errors}};
  }
  return json_ok(body);
}

HttpResponse Router::get_metrics() {
  NodeMetrics metrics{.engine = context_.engine->stats(),
                      .store = std::nullopt,
                      .connections = context_.engine->driver_metrics()};
  if (context_.writer != nullptr) metrics.store = context_.writer->stats();
  if (context_.other_connections) {
    auto others = context_.other_connections();
    metrics.connections.insert(metrics.connections.end(), others.begin(), others.end());
  }
  return HttpResponse{.status = 200,
                      .content_type = "text/plain; version=0.0.4; charset=utf-8",
                      .body = render_prometheus(metrics),
                      .headers = {}};
}

}  // namespace strata::api
