#pragma once
// One OPC UA connection: its connector process (role client), the values it reports turned into tag
// updates (pushed only on change of value or quality; everything Bad while the session or the connector
// is down), and a thread that writes queued PackML commands through the connector.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/connector/connector_process.hpp"
#include "drivers/opcua/opcua_binding.hpp"
#include "engine/driver.hpp"
#include "states/packml.hpp"

namespace strata::opcua {

class OpcUaSession {
 public:
  // Commands waiting beyond this are refused: the server is not keeping up and stale commands are harmful.
  static constexpr std::size_t kMaxPendingCommands = 16;

  // `options` carries argv and timings; name, role and config are filled in from the binding.
  OpcUaSession(OpcUaBinding binding, connector::ConnectorOptions options, std::string password,
               const Clock& clock);
  ~OpcUaSession();
  OpcUaSession(const OpcUaSession&) = delete;
  OpcUaSession& operator=(const OpcUaSession&) = delete;

  void start(engine::UpdateSink& sink);
  void stop();
  // Refused while the session is not connected, so a command is never written late after a reconnect.
  Result<void> queue_command(const BoundCommand& command, states::PackMLCommand number);

  [[nodiscard]] engine::ConnectionMetrics metrics() const;
  [[nodiscard]] const std::string& name() const { return binding_.connection.name; }

 private:
  struct Reported {
    model::Value value;
    model::Quality quality = model::Quality::Bad;  // what the engine holds before the first report
  };
  struct PendingCommand {
    BoundCommand target;
    states::PackMLCommand command = states::PackMLCommand::Undefined;
  };

  void handle(const nlohmann::json& message);
  void on_state(connector::ConnectorState state, const std::string& reason);
  void on_values(const nlohmann::json& items);
  void on_item_error(const nlohmann::json& message);
  void mark_all_bad();
  // Appends an update for item `h` when its value or quality changed.
  void report(std::size_t h, model::Value value, model::Quality quality, Timestamp time,
              std::vector<model::TagUpdate>& batch);
  void push(std::vector<model::TagUpdate>& batch);
  void note_error(const std::string& message);
  void run_commands();
  Result<void> write(const WriteTarget& target, nlohmann::json value);

  OpcUaBinding binding_;
  const Clock& clock_;
  std::unique_ptr<connector::ConnectorProcess> process_;
  engine::UpdateSink* sink_ = nullptr;

  // Touched only by the connector's I/O thread.
  std::vector<Reported> reported_;
  std::set<std::size_t> logged_item_errors_;
  std::set<std::size_t> logged_type_errors_;
  bool ever_connected_ = false;

  mutable std::mutex mutex_;
  std::condition_variable commands_changed_;
  engine::ConnectionMetrics metrics_;
  std::deque<PendingCommand> pending_;
  bool stopping_ = false;
  std::thread command_thread_;
};

}  // namespace strata::opcua
