#pragma once
// Runs the fixture connectors in tests/unit/connector/fixtures with node, and records what they report.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "drivers/connector/connector_location.hpp"
#include "drivers/connector/connector_process.hpp"

namespace strata::connector::test {

// Failure guard only: every wait ends as soon as its condition holds.
inline constexpr std::chrono::seconds kGuard{20};

inline std::string fixture(const std::string& name) {
  return std::string(STRATA_SOURCE_DIR) + "/tests/unit/connector/fixtures/" + name;
}

inline ConnectorOptions fixture_options(const std::string& script) {
  ConnectorOptions options;
  options.name = "fixture";
  options.argv = {find_node().value(), fixture(script)};
  options.config = {{"endpoint", "opc.tcp://127.0.0.1:1"}};
  // Quick restarts and heartbeats keep the tests short; none of the assertions depends on them.
  options.timings.ping_interval = std::chrono::milliseconds{50};
  options.timings.pong_timeout = std::chrono::milliseconds{400};
  options.timings.restart_initial = std::chrono::milliseconds{10};
  options.timings.restart_max = std::chrono::milliseconds{40};
  options.timings.stdin_close_grace = std::chrono::milliseconds{2000};
  options.timings.term_grace = std::chrono::milliseconds{300};
  return options;
}

// Everything a ConnectorProcess reports, with waits for conditions on it.
class Recorder {
 public:
  void attach(ConnectorProcess& process) {
    process.on_message([this](const nlohmann::json& message) {
      std::lock_guard lock(mutex_);
      messages_.push_back(message);
      changed_.notify_all();
    });
    process.on_state([this](ConnectorState state, const std::string& reason) {
      std::lock_guard lock(mutex_);
      states_.push_back(state);
      reasons_.push_back(reason);
      changed_.notify_all();
    });
  }

  bool wait(const std::function<bool()>& condition) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGuard, condition);
  }
  std::size_t count(ConnectorState state) {
    std::lock_guard lock(mutex_);
    return count_locked(state);
  }
  bool wait_count(ConnectorState state, std::size_t n) {
    return wait([&] { return count_locked(state) >= n; });
  }
  bool wait_message(const std::string& type) {
    return wait([&] {
      for (const auto& m : messages_) {
        if (m["type"] == type) return true;
      }
      return false;
    });
  }
  std::vector<nlohmann::json> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<ConnectorState> states() {
    std::lock_guard lock(mutex_);
    return states_;
  }
  std::vector<std::string> reasons() {
    std::lock_guard lock(mutex_);
    return reasons_;
  }

 private:
  std::size_t count_locked(ConnectorState state) const {
    std::size_t n = 0;
    for (auto s : states_) n += s == state ? 1 : 0;
    return n;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> messages_;
  std::vector<ConnectorState> states_;
  std::vector<std::string> reasons_;
};

}  // namespace strata::connector::test
