#pragma once
// REST routes: maps a request to a response using the engine (live state, commands) and a read
// connection to the store (history, journal). Every bad request gets a 4xx with a JSON error body.
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "api/http_types.hpp"
#include "engine/engine.hpp"
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
  const model::Plant* plant = nullptr;
  StoreReader* reader = nullptr;       // may be null: history and journal answer 503
  std::vector<std::int64_t> tag_keys;  // by TagIndex
  const store::StoreWriter* writer = nullptr;
  std::chrono::milliseconds engine_timeout{5000};
};

class Router {
 public:
  explicit Router(RouterContext context) : context_(std::move(context)) {}
  // Handles /api/* and /healthz; returns nullopt-like 404 for others via handles().
  [[nodiscard]] static bool handles(const std::string& target);
  HttpResponse handle(const HttpRequest& request);

 private:
  HttpResponse get_units();
  HttpResponse get_unit(const std::string& id);
  HttpResponse post_command(const std::string& id, const HttpRequest& request);
  HttpResponse get_tags(const std::map<std::string, std::string>& query);
  HttpResponse get_tag(const std::string& id);
  HttpResponse get_history(const std::string& id, const std::map<std::string, std::string>& query);
  HttpResponse get_events(const std::map<std::string, std::string>& query);
  HttpResponse get_stats();

  template <typename Fn>
  HttpResponse ask_engine(Fn fn);

  RouterContext context_;
};

// Parses an integer count of microseconds since the epoch or an ISO 8601 UTC time
// ("2026-01-01T06:00:00Z", optional fraction).
[[nodiscard]] std::optional<Timestamp> parse_time(const std::string& text);

}  // namespace strata::api
