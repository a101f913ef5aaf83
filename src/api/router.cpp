#include "api/router.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "api/json_views.hpp"
#include "api/openapi.hpp"
#include "api/url.hpp"

namespace strata::api {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxHistoryLimit = 100'000;
constexpr std::size_t kDefaultHistoryLimit = 10'000;
constexpr std::size_t kMaxEventLimit = 10'000;

HttpResponse json_ok(const json& body, int status = 200) {
  return HttpResponse{status, "application/json", body.dump(), {}};
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

// Reads an optional non-negative integer query parameter, or explains why it is bad.
Result<std::optional<std::int64_t>> integer_param(const std::map<std::string, std::string>& query,
                                                  const std::string& name) {
  const auto it = query.find(name);
  if (it == query.end()) return std::optional<std::int64_t>{};
  const auto value = parse_integer(it->second);
  if (!value || *value < 0)
    return make_error(
        fmt::format("query parameter '{}' must be a non-negative integer, got '{}'", name, it->second));
  return std::optional<std::int64_t>{*value};
}

Result<std::optional<Timestamp>> time_param(const std::map<std::string, std::string>& query,
                                            const std::string& name) {
  const auto it = query.find(name);
  if (it == query.end()) return std::optional<Timestamp>{};
  const auto value = parse_time(it->second);
  if (!value) {
    return make_error(
        fmt::format("query parameter '{}' must be microseconds since the epoch or an ISO 8601 UTC time like "
                    "2026-01-01T06:00:00Z, got '{}'",
                    name, it->second));
  }
  return std::optional<Timestamp>{*value};
}

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

// A typo in a query parameter must not silently widen a query; name what is accepted instead.
std::optional<HttpResponse> reject_unknown_parameters(const std::map<std::string, std::string>& query,
                                                      std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return json_error(
          400, fmt::format("unknown query parameter '{}' (expected: {})", key, fmt::join(allowed, ", ")));
    }
  }
  return std::nullopt;
}

}  // namespace

HttpResponse json_error(int status, const std::string& message) {
  return HttpResponse{status, "application/json", json{{"error", message}}.dump(), {}};
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
  return target == "/healthz" || target.rfind("/api/", 0) == 0 || target == "/api";
}

template <typename Fn>
HttpResponse Router::ask_engine(Fn fn) {
  auto future = context_.engine->query(std::move(fn));
  if (future.wait_for(context_.engine_timeout) != std::future_status::ready) {
    return json_error(503, "the engine did not answer in time");
  }
  return future.get();
}

HttpResponse Router::handle(const HttpRequest& request) {
  const auto parsed = parse_target(request.target);
  if (!parsed) return json_error(400, "malformed percent-encoding in the request target");
  const auto& s = parsed->segments;
  const bool get = request.method == "GET" || request.method == "HEAD";
  const auto method_not_allowed = [&](const char* allowed) {
    auto response =
        json_error(405, fmt::format("method {} not allowed here (allowed: {})", request.method, allowed));
    response.headers.emplace_back("Allow", allowed);
    return response;
  };

  if (s.size() == 1 && s[0] == "healthz")
    return get ? json_ok({{"status", "ok"}}) : method_not_allowed("GET");
  if (s.empty() || s[0] != "api") return json_error(404, "not found");
  if (s.size() == 2 && s[1] == "openapi.json") {
    return get ? json_ok(openapi_document()) : method_not_allowed("GET");
  }
  if (s.size() == 2 && s[1] == "plant")
    return get ? json_ok(plant_json(*context_.plant)) : method_not_allowed("GET");
  if (s.size() == 2 && s[1] == "packml")
    return get ? json_ok(packml_reference_json()) : method_not_allowed("GET");
  if (s.size() == 2 && s[1] == "stats") return get ? get_stats() : method_not_allowed("GET");
  if (s.size() == 2 && s[1] == "units") return get ? get_units() : method_not_allowed("GET");
  if (s.size() == 3 && s[1] == "units") return get ? get_unit(s[2]) : method_not_allowed("GET");
  if (s.size() == 4 && s[1] == "units" && s[3] == "commands") {
    return request.method == "POST" ? post_command(s[2], request) : method_not_allowed("POST");
  }
  if (s.size() == 2 && s[1] == "tags") return get ? get_tags(parsed->query) : method_not_allowed("GET");
  if (s.size() == 3 && s[1] == "tags") return get ? get_tag(s[2]) : method_not_allowed("GET");
  if (s.size() == 4 && s[1] == "tags" && s[3] == "history") {
    return get ? get_history(s[2], parsed->query) : method_not_allowed("GET");
  }
  if (s.size() == 2 && s[1] == "events") return get ? get_events(parsed->query) : method_not_allowed("GET");
  return json_error(404, fmt::format("no API route for {} (see /api/openapi.json)", request.target));
}

HttpResponse Router::get_units() {
  return ask_engine([](const engine::PlantState& state) { return json_ok(units_json(state)); });
}

HttpResponse Router::get_unit(const std::string& id) {
  return ask_engine([id](const engine::PlantState& state) {
    const auto* runtime = state.find_unit(id);
    if (runtime == nullptr) return json_error(404, fmt::format("unknown unit '{}'", id));
    return json_ok(unit_json(state, *runtime));
  });
}

HttpResponse Router::post_command(const std::string& id, const HttpRequest& request) {
  if (context_.plant->find_unit(id) == nullptr) return json_error(404, fmt::format("unknown unit '{}'", id));
  const auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return json_error(400, "body must be a JSON object like {\"command\": \"Start\"}");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "command" && key != "origin") {
      return json_error(400, fmt::format("unknown field '{}' (expected: command, origin)", key));
    }
  }
  if (!body.contains("command")) return json_error(400, "missing field 'command'");
  const auto command = command_from_json(body["command"]);
  if (!command || *command == states::PackMLCommand::Undefined) {
    return json_error(400, fmt::format("unknown command {} (expected one of: {} or its number 1..10)",
                                       body["command"].dump(), command_names()));
  }
  std::string origin = "api";
  if (body.contains("origin")) {
    if (!body["origin"].is_string()) return json_error(400, "field 'origin' must be a string");
    origin = body["origin"].get<std::string>();
  }
  auto future = context_.engine->command(id, *command, origin);
  if (future.wait_for(context_.engine_timeout) != std::future_status::ready) {
    return json_error(503, "the command was not confirmed in time; check /api/events before retrying");
  }
  const auto result = future.get();
  if (const auto* refusal = std::get_if<engine::CommandRefusal>(&result)) {
    return json_error(refusal->conflict ? 409 : 404, refusal->message);
  }
  const auto& accepted = std::get<engine::CommandAccepted>(result);
  return json_ok({{"unit", accepted.unit_id},
                  {"command", states::to_string(accepted.command)},
                  {"state_before", states::to_string(accepted.state_before)},
                  {"state", states::to_string(accepted.target)},
                  {"journal_seq", accepted.journal_seq}});
}

HttpResponse Router::get_tags(const std::map<std::string, std::string>& query) {
  if (auto rejected = reject_unknown_parameters(query, {"unit"})) return *rejected;
  std::optional<std::string> unit;
  if (const auto it = query.find("unit"); it != query.end()) {
    if (context_.plant->find_unit(it->second) == nullptr) {
      return json_error(404, fmt::format("unknown unit '{}'", it->second));
    }
    unit = it->second;
  }
  return ask_engine([unit](const engine::PlantState& state) {
    json tags = json::array();
    for (model::TagIndex i = 0; i < state.plant->tags.size(); ++i) {
      if (!unit || state.plant->tags[i].unit_id == *unit) tags.push_back(tag_json(state, i));
    }
    return json_ok(tags);
  });
}

HttpResponse Router::get_tag(const std::string& id) {
  const auto index = context_.plant->find_tag(id);
  if (!index) return json_error(404, fmt::format("unknown tag '{}'", id));
  return ask_engine(
      [index = *index](const engine::PlantState& state) { return json_ok(tag_json(state, index)); });
}

HttpResponse Router::get_history(const std::string& id, const std::map<std::string, std::string>& query) {
  const auto index = context_.plant->find_tag(id);
  if (!index) return json_error(404, fmt::format("unknown tag '{}'", id));
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

HttpResponse Router::get_events(const std::map<std::string, std::string>& query) {
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
  for (const auto& event : *events) list.push_back(event_json(event));
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

}  // namespace strata::api
