#pragma once
// A thin RAII wrapper over libmosquitto for the Sparkplug drivers: one network thread per client that
// connects, reconnects with exponential backoff (model::ReconnectPolicy), re-subscribes after every
// connect, and calls back on that thread.
//
// Thread-safety: publish(), subscribe(), connected() and the counters may be called from any thread.
// Callbacks run on the client's network thread, one at a time; they may call publish()/subscribe() but
// must not call stop() or destroy the client, and should return quickly (the network waits for them).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "model/connections.hpp"

struct mosquitto;
struct mosquitto_message;

namespace strata::sparkplug {

struct MqttSettings {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id{};  // empty: the broker assigns one (needs a clean session)
  std::string username{};   // empty: anonymous
  std::string password{};
  std::chrono::seconds keepalive{30};
  model::ReconnectPolicy reconnect{};
};

// The MQTT Will ("last will and testament") the broker publishes if the connection drops uncleanly.
struct MqttWill {
  std::string topic{};
  std::string payload{};
  int qos = 1;
  bool retain = false;
};

struct MqttCallbacks {
  // Before every connect attempt: the Will for that attempt (nullopt: none). Sparkplug needs a new Will
  // per CONNECT (the NDEATH bdSeq, the STATE timestamp).
  std::function<std::optional<MqttWill>()> before_connect{};
  // The broker accepted the connection; subscriptions are already re-sent. Publish BIRTHs here.
  std::function<void()> on_connect{};
  // The connection ended; `expected` when stop() asked for it.
  std::function<void(bool expected)> on_disconnect{};
  std::function<void(std::string_view topic, std::string_view payload)> on_message{};
  // Every subscription sent so far (at connect, or by subscribe()) was acknowledged by the broker: from
  // now on messages on them arrive.
  std::function<void()> on_subscribed{};
  // A QoS 1/2 publish was acknowledged (QoS 0: handed to the socket); the id publish() returned.
  std::function<void(int mid)> on_publish{};
  // A connect attempt failed or the connection broke, for logs and metrics.
  std::function<void(const std::string& reason)> on_error{};
};

class MqttClient {
 public:
  MqttClient(MqttSettings settings, MqttCallbacks callbacks);
  ~MqttClient();  // stops
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Starts the network thread, which connects and keeps reconnecting until stop(). Errors only when
  // libmosquitto refuses the settings (e.g. a client id it cannot use).
  Result<void> start();
  // Sends DISCONNECT (so the broker does not publish the Will) after what is already queued, and joins
  // the network thread. Idempotent.
  void stop();

  // Queues a message; the id identifies it in on_publish. Errors when not connected.
  Result<int> publish(std::string_view topic, std::string_view payload, int qos, bool retain);
  // Remembered and re-sent after every reconnect; sent now when connected.
  Result<void> subscribe(std::string pattern, int qos);

  // True from the broker's CONNACK (just before on_connect runs) until the connection is lost.
  [[nodiscard]] bool connected() const { return connected_.load(std::memory_order_acquire); }
  // Successful connects since start (the first one included).
  [[nodiscard]] std::uint64_t connects() const { return connects_.load(std::memory_order_relaxed); }

 private:
  void run();
  void apply_will();
  void wait_backoff(std::chrono::milliseconds delay);
  void handle_connect(int rc);
  void handle_disconnect(int rc);
  void handle_message(const mosquitto_message& message);
  void handle_subscribed();

  MqttSettings settings_;
  MqttCallbacks callbacks_;
  mosquitto* mosq_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> connects_{0};
  std::atomic<int> pending_subacks_{0};
  bool session_up_ = false;  // network thread only: a CONNACK arrived in the current session
  std::mutex mutex_;         // guards subscriptions_, wakes backoff waits
  std::condition_variable wake_;
  std::vector<std::pair<std::string, int>> subscriptions_;
};

}  // namespace strata::sparkplug
