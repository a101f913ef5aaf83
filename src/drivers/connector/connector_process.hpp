#pragma once
// Supervises one connector process (docs/connector-protocol.md): spawns it with pipes, says hello, waits
// for ready, pings it, forwards its stderr and `log` frames to spdlog, restarts it with exponential
// backoff when it dies or misbehaves, and stops it gracefully.
//
// One I/O thread per process owns the pipes; handlers run on it, so they must not block for long and
// must not call stop() or destroy the ConnectorProcess. send() and request() may be called from any
// thread, including from a handler.
//
//   connector::ConnectorOptions options;
//   options.name = "filler-plc";
//   options.argv = {node, script};                 // see connector_location.hpp
//   options.role = "client";
//   options.config = {{"endpoint", "opc.tcp://..."}, {"items", ...}};
//   connector::ConnectorProcess process(std::move(options));
//   process.on_message([](const nlohmann::json& m) { ... });    // "values", "connection", "written"...
//   process.on_state([](connector::ConnectorState s, const std::string& why) { ... });
//   process.start();
//   auto reply = process.request({{"type", "write"}, ...});    // std::future<Result<json>>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace strata::connector {

inline constexpr int kProtocolVersion = 1;

// Defaults are the protocol's; tests shorten them.
struct ConnectorTimings {
  std::chrono::milliseconds ping_interval{5'000};
  std::chrono::milliseconds pong_timeout{15'000};   // no pong this long after a ping: SIGKILL + restart
  std::chrono::milliseconds ready_timeout{15'000};  // hello sent, no ready/fatal: SIGKILL + restart
  std::chrono::milliseconds restart_initial{500};
  std::chrono::milliseconds restart_max{30'000};
  std::chrono::milliseconds healthy_reset{60'000};     // up this long: the next restart waits restart_initial
  std::chrono::milliseconds stdin_close_grace{2'000};  // on stop: after closing stdin, before SIGTERM
  std::chrono::milliseconds term_grace{2'000};         // on stop: after SIGTERM, before SIGKILL
};

struct ConnectorOptions {
  std::string name;               // the connection's name: hello.name and the log prefix
  std::vector<std::string> argv;  // argv[0] is a path or a name looked up on PATH; no shell involved
  std::string role = "client";    // "client" | "server"
  nlohmann::json config = nlohmann::json::object();  // hello.config
  ConnectorTimings timings{};
};

enum class ConnectorState : std::uint8_t {
  Stopped,   // not started, or stop() ran
  Starting,  // spawned, hello sent, waiting for ready
  Up,        // ready received: requests are accepted
  Down,      // died or was killed; waiting (backoff) to restart
  Failed,    // sent `fatal` (or could not be started at all): not restarted until set_config()
};

[[nodiscard]] std::string_view to_string(ConnectorState state);

struct ConnectorStats {
  std::string name;
  ConnectorState state = ConnectorState::Stopped;
  std::uint64_t starts = 0;           // processes spawned
  std::uint64_t restarts = 0;         // spawns after the first (any cause)
  std::uint64_t frames_in = 0;        // complete frames read from the connector
  std::uint64_t frames_out = 0;       // complete frames written to it
  std::uint64_t protocol_errors = 0;  // bad frames, missed heartbeats, ready timeouts
  std::string connector_version;      // from the last `ready`
  std::string last_error;             // empty until the first problem
};

class ConnectorProcess {
 public:
  // Every frame that is not handled by the supervisor itself (ready, pong, result, log, fatal), e.g.
  // values/connection/item_error/listening/written. Called on the I/O thread, in arrival order.
  using MessageHandler = std::function<void(const nlohmann::json& message)>;
  // Every state change, with a human-readable reason (empty for Up). Called on the I/O thread.
  using StateHandler = std::function<void(ConnectorState state, const std::string& reason)>;

  explicit ConnectorProcess(ConnectorOptions options);
  ~ConnectorProcess();  // stop()
  ConnectorProcess(const ConnectorProcess&) = delete;
  ConnectorProcess& operator=(const ConnectorProcess&) = delete;

  // Set handlers before start().
  void on_message(MessageHandler handler);
  void on_state(StateHandler handler);

  // Spawns the process and returns at once; progress is reported through on_state. Idempotent.
  void start();
  // Closes stdin, waits stdin_close_grace, SIGTERM, waits term_grace, SIGKILL; fails outstanding
  // requests; blocks until the I/O thread has ended. Idempotent. Must not be called from a handler.
  void stop();

  // hello.config for the next spawn. A Failed connector is restarted with it at once; a running one
  // keeps its current configuration until it next restarts (call restart() to force that).
  void set_config(nlohmann::json config);
  // Kills the running process (SIGKILL) so it is restarted with the current configuration, without backoff.
  void restart();

  // Queues one frame (an object with a string "type"). Fails when the connector is not Up, the frame is
  // over 16 MiB, or too much output is already queued (the connector does not read its stdin).
  Result<void> send(const nlohmann::json& message);
  // Sends `message` with a fresh integer "id" and resolves with the whole `result` object when it has
  // "ok": true, or an error with its "message" when "ok": false. Resolves at once with an error when the
  // connector is not Up, and with "connector restarted" / "connector stopped" when it dies first.
  [[nodiscard]] std::future<Result<nlohmann::json>> request(nlohmann::json message);

  // Blocks until Up (ok), Failed (error: the fatal message) or timeout (error: the last error).
  [[nodiscard]] Result<void> wait_until_up(std::chrono::milliseconds timeout);

  [[nodiscard]] ConnectorState state() const;
  [[nodiscard]] ConnectorStats stats() const;
  [[nodiscard]] const std::string& name() const;
  // Process id of the running connector, 0 when none (for tests that kill it from outside).
  [[nodiscard]] int pid() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::connector
