#pragma once
// One Modbus connection's thread: connects (with backoff after failures), polls its read plan every
// interval, pushes the changed values, writes queued commands between polls, and marks all its
// tags Bad when the connection is lost. libmodbus blocks, so each connection gets its own thread.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/modbus/connection_stats.hpp"
#include "drivers/modbus/modbus_session.hpp"
#include "drivers/modbus/poll_planner.hpp"
#include "drivers/modbus/tag_binding.hpp"
#include "engine/driver.hpp"
#include "states/packml.hpp"

namespace strata::modbus {

class ConnectionWorker {
 public:
  // Commands waiting beyond this are refused: the PLC is not keeping up and stale commands are harmful.
  static constexpr std::size_t kMaxPendingCommands = 16;

  ConnectionWorker(ConnectionBinding binding, const Clock& clock);
  ~ConnectionWorker();
  ConnectionWorker(const ConnectionWorker&) = delete;
  ConnectionWorker& operator=(const ConnectionWorker&) = delete;

  void start(engine::UpdateSink& sink);
  // Returns within about one response timeout (a blocked libmodbus call is not interruptible).
  void stop();
  // stop() in two halves, so a driver stops all its connections in one response timeout, not one each.
  void request_stop();
  void join();

  // Queues the handshake for the connection thread; refused while disconnected, so a command is never
  // written late after a reconnect.
  Result<void> queue_command(const BoundUnit& unit, states::PackMLCommand command);

  [[nodiscard]] ConnectionStats stats() const;
  [[nodiscard]] const std::string& name() const { return binding_.settings.name; }
  [[nodiscard]] const std::vector<ReadRequest>& plan() const { return plan_; }

 private:
  struct Reported {
    model::Value value;
    model::Quality quality = model::Quality::Bad;  // what the engine holds before the first report
  };
  // One tag's outcome of a poll, applied only when the whole poll completed.
  struct Reading {
    std::size_t slot = 0;  // index into binding_.tags
    model::Value value;
    model::Quality quality = model::Quality::Good;
    Timestamp time = 0;
  };
  struct PendingCommand {
    std::string unit_id;
    CommandTarget target;
    states::PackMLCommand command = states::PackMLCommand::Undefined;
  };

  void run(engine::UpdateSink& sink);
  bool try_connect();
  IoOutcome poll(std::vector<Reading>& readings);
  void read_request(std::size_t request_index, IoOutcome& outcome, std::vector<Reading>& readings);
  IoOutcome write_command(const PendingCommand& command);
  IoOutcome set_change_request(const ModbusAddress& address);
  void commit(const std::vector<Reading>& readings, std::vector<model::TagUpdate>& batch);
  void lose_connection(const std::string& message, engine::UpdateSink& sink);
  void count_request();
  void count_answer(std::chrono::steady_clock::duration round_trip);
  // Hands a non-empty batch to the engine and counts it.
  void push(std::vector<model::TagUpdate>& batch, engine::UpdateSink& sink);
  void note_error(const std::string& message);
  [[nodiscard]] std::string describe() const;  // "'plc' (10.0.0.5:502)" for logs

  ConnectionBinding binding_;
  const Clock& clock_;
  std::vector<ReadRequest> plan_;
  // Connection thread only.
  ModbusSession session_;
  std::vector<Reported> reported_;     // per binding_.tags: last pushed value and quality
  std::vector<bool> request_refused_;  // per plan_ entry: logged once until it reads again
  std::vector<std::uint16_t> registers_;
  std::vector<std::uint8_t> bits_;
  bool ever_connected_ = false;
  std::chrono::steady_clock::time_point lost_at_;
  int failed_attempts_ = 0;  // since the last successful connect

  mutable std::mutex mutex_;  // guards what follows, shared with the engine thread
  std::condition_variable wake_;
  bool stopping_ = false;
  bool connected_ = false;
  std::vector<PendingCommand> pending_;
  ConnectionStats stats_;
  std::thread thread_;
};

}  // namespace strata::modbus
