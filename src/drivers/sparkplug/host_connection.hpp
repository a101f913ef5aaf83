#pragma once
// One broker connection of the Sparkplug host application: an MqttClient subscribed to the edge nodes
// the tags read, a HostSession interpreting their messages, a timer thread for reorder timeouts, and
// the STATE birth/death of a primary host (when host_id is set).
//
// Threads: messages are handled on the MQTT network thread, which is also the only one pushing tag
// updates (so they reach the sink in message order); the timer thread only sends Rebirth requests.
// send_command() and metrics() may be called from any thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/sparkplug/host_session.hpp"
#include "drivers/sparkplug/mqtt_client.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "engine/driver.hpp"
#include "model/sparkplug_connection.hpp"

namespace strata::sparkplug {

// One metric of a DCMD/NCMD; `datatype` is used when no BIRTH has defined the metric yet.
struct CommandWrite {
  std::string metric{};
  MetricValue value{};
  DataType datatype = DataType::Unknown;
};

// The MQTT settings the host role uses for a connection: client id "<client_id or strata-<name>>", with
// "-host" appended when the connection also plays the edge-node role (two MQTT sessions must not share an
// id); the password read from password_env.
[[nodiscard]] MqttSettings host_mqtt_settings(const model::SparkplugConnection& connection);

// STATE payloads (UTF-8 JSON, §6): {"online":true|false,"timestamp":<ms>}.
[[nodiscard]] std::string state_payload(bool online, std::uint64_t timestamp_ms);

class HostConnection {
 public:
  HostConnection(model::SparkplugConnection settings, std::vector<MetricBinding> bindings,
                 const Clock& clock);
  ~HostConnection();
  HostConnection(const HostConnection&) = delete;
  HostConnection& operator=(const HostConnection&) = delete;

  void start(engine::UpdateSink& sink);
  // Publishes the STATE death (if a primary host), disconnects, joins the threads.
  void stop();

  // Queues a DCMD (device_id set) or NCMD; errors when the broker is not connected.
  Result<void> send_command(const std::string& edge_node_id, const std::string& device_id,
                            const std::vector<CommandWrite>& writes);

  [[nodiscard]] engine::ConnectionMetrics metrics() const;
  [[nodiscard]] const std::string& name() const { return settings_.name; }

 private:
  std::optional<MqttWill> before_connect();
  void on_connect();
  void on_disconnect(bool expected);
  void on_message(std::string_view topic, std::string_view payload);
  void deliver(SessionOutput& out);
  void send_rebirth(const std::string& edge_node_id);
  void publish_state_birth();
  void timer_loop();
  void record_error(const std::string& message);

  model::SparkplugConnection settings_;
  const Clock& clock_;
  engine::UpdateSink* sink_ = nullptr;
  std::unique_ptr<MqttClient> mqtt_;  // created with the connection, lives until its destruction

  mutable std::mutex mutex_;  // guards session_, state_timestamp_ms_, last_error_, stopping_
  std::condition_variable timer_wake_;
  std::condition_variable acked_;
  std::vector<int> acked_mids_;  // QoS 1 publishes acknowledged while stopping (guarded by mutex_)
  HostSession session_;
  std::uint64_t state_timestamp_ms_ = 0;  // of the current connection's STATE Will and birth
  bool stopping_ = false;
  std::string last_error_;
  std::thread timer_;

  std::atomic<std::uint64_t> messages_{0};
  std::atomic<std::uint64_t> values_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> write_errors_{0};
};

}  // namespace strata::sparkplug
