#include "drivers/sparkplug/mqtt_client.hpp"

#include <fmt/format.h>
#include <mosquitto.h>

#include <algorithm>
#include <cerrno>

namespace strata::sparkplug {
namespace {

// How long one mosquitto_loop() call may wait for the socket; bounds how late stop() is noticed.
constexpr int kLoopTimeoutMs = 100;
// Loop iterations granted to flush the DISCONNECT (and anything queued before it) on stop.
constexpr int kDrainIterations = 20;
// MQTT's largest payload (the remaining-length field's limit).
constexpr std::size_t kMaxPayload = 268'435'455;

void init_library() {
  // mosquitto_lib_init is not thread-safe and must run once per process; it is never undone because
  // other clients may still exist during static destruction.
  static const int once = mosquitto_lib_init();
  (void)once;
}

std::string describe(int rc) {
  if (rc == MOSQ_ERR_ERRNO) return fmt::format("{} (errno {})", mosquitto_strerror(rc), errno);
  return mosquitto_strerror(rc);
}

}  // namespace

MqttClient::MqttClient(MqttSettings settings, MqttCallbacks callbacks)
    : settings_(std::move(settings)), callbacks_(std::move(callbacks)) {}

MqttClient::~MqttClient() {
  stop();
  if (mosq_ != nullptr) mosquitto_destroy(mosq_);
}

Result<void> MqttClient::start() {
  if (mosq_ != nullptr) return make_error("mqtt client already started");
  init_library();
  const char* id = settings_.client_id.empty() ? nullptr : settings_.client_id.c_str();
  mosq_ = mosquitto_new(id, /*clean_session=*/true, this);
  if (mosq_ == nullptr) return make_error(fmt::format("mosquitto_new failed (errno {})", errno));
  // publish()/subscribe() come from other threads while run() drives the socket.
  mosquitto_threaded_set(mosq_, true);
  if (!settings_.username.empty()) {
    const int rc = mosquitto_username_pw_set(
        mosq_, settings_.username.c_str(), settings_.password.empty() ? nullptr : settings_.password.c_str());
    if (rc != MOSQ_ERR_SUCCESS) return make_error("mqtt credentials refused: " + describe(rc));
  }
  mosquitto_connect_callback_set(
      mosq_, [](mosquitto*, void* self, int rc) { static_cast<MqttClient*>(self)->handle_connect(rc); });
  mosquitto_disconnect_callback_set(
      mosq_, [](mosquitto*, void* self, int rc) { static_cast<MqttClient*>(self)->handle_disconnect(rc); });
  mosquitto_message_callback_set(mosq_, [](mosquitto*, void* self, const mosquitto_message* message) {
    if (message != nullptr) static_cast<MqttClient*>(self)->handle_message(*message);
  });
  mosquitto_subscribe_callback_set(mosq_, [](mosquitto*, void* self, int, int, const int*) {
    static_cast<MqttClient*>(self)->handle_subscribed();
  });
  mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int mid) {
    auto& client = *static_cast<MqttClient*>(self);
    if (client.callbacks_.on_publish) client.callbacks_.on_publish(mid);
  });
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  return {};
}

void MqttClient::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int> MqttClient::publish(std::string_view topic, std::string_view payload, int qos, bool retain) {
  if (!connected()) return make_error("mqtt not connected");
  if (payload.size() > kMaxPayload) return make_error("mqtt payload too large");
  int mid = 0;
  const std::string topic_text(topic);
  const int rc = mosquitto_publish(mosq_, &mid, topic_text.c_str(), static_cast<int>(payload.size()),
                                   payload.data(), qos, retain);
  if (rc != MOSQ_ERR_SUCCESS) return make_error("mqtt publish failed: " + describe(rc));
  return mid;
}

Result<void> MqttClient::subscribe(std::string pattern, int qos) {
  bool send_now = false;
  {
    // Decided under the lock that handle_connect takes to copy the list, so a subscription is either in
    // that copy or sent here.
    std::lock_guard lock(mutex_);
    const auto known = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                                    [&](const auto& entry) { return entry.first == pattern; });
    if (known == subscriptions_.end()) subscriptions_.emplace_back(pattern, qos);
    send_now = connected_.load();
  }
  if (!send_now) return {};
  pending_subacks_.fetch_add(1);
  const int rc = mosquitto_subscribe(mosq_, nullptr, pattern.c_str(), qos);
  if (rc != MOSQ_ERR_SUCCESS) {
    pending_subacks_.fetch_sub(1);
    if (rc != MOSQ_ERR_NO_CONN) return make_error("mqtt subscribe failed: " + describe(rc));
  }
  return {};
}

void MqttClient::apply_will() {
  std::optional<MqttWill> will;
  if (callbacks_.before_connect) will = callbacks_.before_connect();
  if (!will) {
    mosquitto_will_clear(mosq_);
    return;
  }
  const int rc = mosquitto_will_set(mosq_, will->topic.c_str(), static_cast<int>(will->payload.size()),
                                    will->payload.data(), will->qos, will->retain);
  if (rc != MOSQ_ERR_SUCCESS && callbacks_.on_error)
    callbacks_.on_error("mqtt will refused: " + describe(rc));
}

void MqttClient::wait_backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void MqttClient::run() {
  auto backoff = settings_.reconnect.initial;
  bool first = true;
  while (!stopping_) {
    apply_will();
    session_up_ = false;
    const int keepalive = static_cast<int>(settings_.keepalive.count());
    int rc = first ? mosquitto_connect_async(mosq_, settings_.host.c_str(), settings_.port, keepalive)
                   : mosquitto_reconnect_async(mosq_);
    if (rc == MOSQ_ERR_SUCCESS) {
      first = false;
      while (!stopping_) {
        rc = mosquitto_loop(mosq_, kLoopTimeoutMs, 1);
        if (rc != MOSQ_ERR_SUCCESS) break;
      }
    }
    if (stopping_) break;
    if (rc != MOSQ_ERR_SUCCESS && callbacks_.on_error) {
      callbacks_.on_error(fmt::format("mqtt {}:{}: {}", settings_.host, settings_.port, describe(rc)));
    }
    if (connected_.exchange(false)) {
      // The socket failed without libmosquitto reporting a disconnect.
      if (callbacks_.on_disconnect) callbacks_.on_disconnect(false);
    }
    if (session_up_) backoff = settings_.reconnect.initial;  // the broker was reachable: start over
    wait_backoff(backoff);
    backoff = std::min(backoff * 2, settings_.reconnect.max);
  }
  if (connected()) {
    mosquitto_disconnect(mosq_);
    for (int i = 0; i < kDrainIterations && connected(); ++i) {
      if (mosquitto_loop(mosq_, kLoopTimeoutMs, 1) != MOSQ_ERR_SUCCESS) break;
    }
    if (connected_.exchange(false) && callbacks_.on_disconnect) callbacks_.on_disconnect(true);
  }
}

void MqttClient::handle_connect(int rc) {
  if (rc != 0) {
    if (callbacks_.on_error)
      callbacks_.on_error(fmt::format("mqtt connection refused: {}", mosquitto_connack_string(rc)));
    return;
  }
  session_up_ = true;
  std::vector<std::pair<std::string, int>> subscriptions;
  {
    std::lock_guard lock(mutex_);
    subscriptions = subscriptions_;
    pending_subacks_.store(static_cast<int>(subscriptions.size()));
    connected_.store(true, std::memory_order_release);
  }
  for (const auto& [pattern, qos] : subscriptions) {
    if (mosquitto_subscribe(mosq_, nullptr, pattern.c_str(), qos) != MOSQ_ERR_SUCCESS)
      pending_subacks_.fetch_sub(1);
  }
  connects_.fetch_add(1, std::memory_order_relaxed);
  if (callbacks_.on_connect) callbacks_.on_connect();
}

void MqttClient::handle_disconnect(int rc) {
  if (!connected_.exchange(false)) return;
  if (callbacks_.on_disconnect) callbacks_.on_disconnect(rc == 0 && stopping_);
}

void MqttClient::handle_subscribed() {
  if (pending_subacks_.fetch_sub(1) == 1 && callbacks_.on_subscribed) callbacks_.on_subscribed();
}

void MqttClient::handle_message(const mosquitto_message& message) {
  if (!callbacks_.on_message || message.topic == nullptr) return;
  const std::string_view payload(static_cast<const char*>(message.payload),
                                 message.payloadlen > 0 ? static_cast<std::size_t>(message.payloadlen) : 0);
  callbacks_.on_message(message.topic, payload);
}

}  // namespace strata::sparkplug
