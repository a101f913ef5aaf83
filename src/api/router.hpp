#pragma once
// REST routes: maps a request to a response using the engine (live state, commands) and a read
// connection to the store (history, journal). Every bad request gets a 4xx with a JSON error body.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/auth_service.hpp"
#include "api/http_types.hpp"
#include "api/url.hpp"
#include "engine/engine.hpp"
#include "reporting/kpi_service.hpp"
#include "store/store.hpp"

namespace strata::api {

// One read connection shared by HTTP threads; SQLite connections are not shared without a lock.
class StoreReader {
 public:
  explicit StoreReader(std::unique_ptr<store::Store> store) : store_(std::move(store)) {}
  template <typename Fn>
  auto with(Fn fn) {
    std::lock_guard lock(mutex_);
    return fn(*store_);
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<store::Store> store_;
};

struct RouterContext {
  engine::Engine* engine = nullptr;
  AuthService* auth = nullptr;
  const model::Plant* plant = nullptr;
  StoreReader* reader = nullptr;       // may be null: history and journal answer 503
  std::vector<std::int64_t> tag_keys;  // by TagIndex
  const store::StoreWriter* writer = nullptr;
  std::chrono::milliseconds engine_timeout{5000};
  const reporting::KpiService* kpi = nullptr;  // KPI routes answer 503 without it
  reporting::ClassificationBook* classifications = nullptr;
  // Connections that are not engine drivers (e.g. a Sparkplug edge node), for /metrics; may be empty.
  std::function<std::vector<engine::ConnectionMetrics>()> other_connections{};
};

class Router {
 public:
  explicit Router(RouterContext context) : context_(std::move(context)) {}
  // Whether a path (without query) is an API path rather than a cockpit file.
  [[nodiscard]] static bool handles(const std::string& path);
  // Authenticates (401), checks CSRF for state-changing requests (403), then routes.
  HttpResponse handle(const HttpRequest& request);
  // For the WebSocket upgrade: who is asking, or nullopt (answer 401).
  std::optional<Caller> authenticate(const HttpRequest& request) {
    return context_.auth->authenticate(request);
  }
  [[nodiscard]] bool can_see(const Caller& caller, const std::string& path) const;

 private:
  HttpResponse route(const HttpRequest& request, const ParsedTarget& target, const Caller& caller);
  HttpResponse get_plant(const Caller& caller);
  HttpResponse get_units(const Caller& caller);
  HttpResponse get_unit(const Caller& caller, const std::string& id);
  HttpResponse post_command(const Caller& caller, const std::string& id, const HttpRequest& request);
  HttpResponse get_tags(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse get_tag(const Caller& caller, const std::string& id);
  HttpResponse get_history(const Caller& caller, const std::string& id,
                           const std::map<std::string, std::string>& query);
  HttpResponse get_events(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse get_stats();
  HttpResponse get_metrics();

  // KPI routes (kpi_routes.cpp).
  HttpResponse get_kpi(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse get_downtime(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse get_stop_reasons(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse post_classification(const Caller& caller, const HttpRequest& request);
  HttpResponse get_shift_report(const Caller& caller, const std::map<std::string, std::string>& query);
  // The `scope` query parameter resolved and visible to the caller, or the 4xx answer.
  std::variant<reporting::Scope, HttpResponse> visible_scope(const Caller& caller,
                                                             const std::map<std::string, std::string>& query);
  // `period` (shift, previous_shift, today, yesterday; default shift) or `from`/`to`, or the 400 answer.
  std::variant<kpi::Interval, HttpResponse> requested_period(const std::map<std::string, std::string>& query);

  // Alarm routes (alarm_routes.cpp).
  HttpResponse get_alarms(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse post_alarm_action(const Caller& caller, const HttpRequest& request);
  HttpResponse get_alarm_report(const Caller& caller, const std::map<std::string, std::string>& query);
  HttpResponse get_alarm_calibration(const Caller& caller, const std::map<std::string, std::string>& query);

  // Security routes (security_routes.cpp).
  HttpResponse post_login(const HttpRequest& request);
  HttpResponse post_logout(const Caller& caller, const HttpRequest& request);
  HttpResponse get_me(const Caller& caller);
  HttpResponse get_tokens(const Caller& caller);
  HttpResponse post_token(const Caller& caller, const HttpRequest& request);
  HttpResponse delete_token(const Caller& caller, const std::string& id);
  HttpResponse get_users(const Caller& caller);
  HttpResponse post_user(const Caller& caller, const HttpRequest& request);
  HttpResponse post_unlock(const Caller& caller, const std::string& name);
  HttpResponse get_audit(const Caller& caller, const std::map<std::string, std::string>& query);
  // Checks a {"password","reason"} signature object when `required`; nullopt when fine.
  std::optional<HttpResponse> check_signature(const Caller& caller, bool required, const nlohmann::json& body,
                                              std::string& reason, bool& is_signed);

  template <typename Fn>
  HttpResponse ask_engine(Fn fn);

  RouterContext context_;
};

template <typename Fn>
HttpResponse Router::ask_engine(Fn fn) {
  auto future = context_.engine->query(std::move(fn));
  if (future.wait_for(context_.engine_timeout) != std::future_status::ready) {
    return json_error(503, "the engine did not answer in time");
  }
  return future.get();
}

// Parses an integer count of microseconds since the epoch or an ISO 8601 UTC time
// ("2026-01-01T06:00:00Z", optional fraction).
[[nodiscard]] std::optional<Timestamp> parse_time(const std::string& text);

}  // namespace strata::api
