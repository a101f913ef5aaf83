#include "drivers/sparkplug/host_connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <utility>

#include "drivers/sparkplug/topic.hpp"

namespace strata::sparkplug {
namespace {

constexpr std::chrono::milliseconds kDeathAckTimeout{2000};

std::uint64_t to_millis(Timestamp micros) {
  return micros > 0 ? static_cast<std::uint64_t>(micros / kMicrosPerMilli) : 0;
}

}  // namespace

MqttSettings host_mqtt_settings(const model::SparkplugConnection& connection) {
  MqttSettings settings;
  settings.host = connection.host;
  settings.port = connection.port;
  settings.client_id = connection.client_id.empty() ? "strata-" + connection.name : connection.client_id;
  if (!connection.edge_node_id.empty()) settings.client_id += "-host";
  settings.username = connection.username;
  if (!connection.password_env.empty()) {
    if (const char* password = std::getenv(connection.password_env.c_str())) settings.password = password;
  }
  settings.keepalive = connection.keepalive;
  settings.reconnect = connection.reconnect;
  return settings;
}

std::string state_payload(bool online, std::uint64_t timestamp_ms) {
  return fmt::format(R"({{"online":{},"timestamp":{}}})", online ? "true" : "false", timestamp_ms);
}

HostConnection::HostConnection(model::SparkplugConnection settings, std::vector<MetricBinding> bindings,
                               const Clock& clock)
    : settings_(std::move(settings)),
      clock_(clock),
      session_(settings_.group_id, std::move(bindings), settings_.reorder_timeout) {
  mqtt_ = std::make_unique<MqttClient>(
      host_mqtt_settings(settings_),
      MqttCallbacks{
          .before_connect = [this] { return before_connect(); },
          .on_connect = [this] { on_connect(); },
          .on_disconnect = [this](bool expected) { on_disconnect(expected); },
          .on_message = [this](std::string_view topic,
                               std::string_view payload) { on_message(topic, payload); },
          .on_publish =
              [this](int mid) {
                {
                  std::lock_guard lock(mutex_);
                  if (stopping_) acked_mids_.push_back(mid);  // only stop() waits for one
                }
                acked_.notify_all();
              },
          .on_error = [this](const std::string& reason) { record_error(reason); },
      });
}

HostConnection::~HostConnection() {
  stop();
}

void HostConnection::start(engine::UpdateSink& sink) {
  sink_ = &sink;
  // Every message of each edge node the tags read: NBIRTH/NDATA/NDEATH and DBIRTH/DDATA/DDEATH ('#' also
  // matches the parent level, so the node topics are included).
  for (const auto& node : session_.edge_nodes()) {
    (void)mqtt_->subscribe(fmt::format("{}/{}/+/{}/#", kNamespace, settings_.group_id, node), 1);
  }
  if (!settings_.host_id.empty()) (void)mqtt_->subscribe(state_topic(settings_.host_id), 1);
  if (auto started = mqtt_->start(); !started) record_error(started.error().message);
  timer_ = std::thread([this] { timer_loop(); });
}

void HostConnection::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  timer_wake_.notify_all();
  if (timer_.joinable()) timer_.join();
  if (!settings_.host_id.empty() && mqtt_->connected()) {
    // A clean disconnect suppresses the Will, so the death is published explicitly, with the birth's
    // timestamp; it is queued ahead of the DISCONNECT.
    std::uint64_t timestamp = 0;
    {
      std::lock_guard lock(mutex_);
      timestamp = state_timestamp_ms_;
    }
    // Waiting for the PUBACK (bounded) keeps the DISCONNECT from overtaking the death on a busy machine.
    if (const auto mid =
            mqtt_->publish(state_topic(settings_.host_id), state_payload(false, timestamp), 1, true)) {
      std::unique_lock lock(mutex_);
      acked_.wait_for(lock, kDeathAckTimeout, [&] {
        return std::find(acked_mids_.begin(), acked_mids_.end(), *mid) != acked_mids_.end();
      });
    }
  }
  mqtt_->stop();
}

std::optional<MqttWill> HostConnection::before_connect() {
  if (settings_.host_id.empty()) return std::nullopt;
  const auto timestamp = to_millis(clock_.now());
  {
    std::lock_guard lock(mutex_);
    state_timestamp_ms_ = timestamp;
  }
  return MqttWill{.topic = state_topic(settings_.host_id),
                  .payload = state_payload(false, timestamp),
                  .qos = 1,
                  .retain = true};
}

void HostConnection::publish_state_birth() {
  std::uint64_t timestamp = 0;
  {
    std::lock_guard lock(mutex_);
    // Once stop() began, the death is (being) published: a late birth would leave "online" retained.
    if (stopping_) return;
    timestamp = state_timestamp_ms_;
  }
  // The birth carries the timestamp of the Will of this same CONNECT (§6).
  if (auto sent = mqtt_->publish(state_topic(settings_.host_id), state_payload(true, timestamp), 1, true);
      !sent) {
    record_error(sent.error().message);
  }
}

void HostConnection::on_connect() {
  spdlog::info("sparkplug host {}: connected to {}:{}", settings_.name, settings_.host, settings_.port);
  if (!settings_.host_id.empty()) publish_state_birth();
  // Whatever the edge nodes published while we were away is unknown: ask each for a fresh BIRTH rather
  // than wait for DATA we could not interpret.
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::string> nodes;
  {
    std::lock_guard lock(mutex_);
    nodes = session_.edge_nodes();
    for (const auto& node : nodes) session_.rebirth_requested(node, now);
  }
  for (const auto& node : nodes) send_rebirth(node);
}

void HostConnection::on_disconnect(bool expected) {
  if (expected) return;  // stop(): the driver is going away, nothing reads the tags any more
  SessionOutput out;
  {
    std::lock_guard lock(mutex_);
    session_.connection_lost(clock_.now(), out);
  }
  spdlog::warn("sparkplug host {}: disconnected from {}:{}", settings_.name, settings_.host, settings_.port);
  deliver(out);
}

void HostConnection::on_message(std::string_view topic, std::string_view payload) {
  messages_.fetch_add(1, std::memory_order_relaxed);
  if (!settings_.host_id.empty() && topic == state_topic(settings_.host_id)) {
    // Another client (or our own old Will) says this host is offline while it is connected: republish the
    // birth (§6). Our own older deaths carry an older timestamp and are ignored.
    // Anyone can publish there: checked field by field, since json::value() throws on a wrong type.
    const auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    const bool offline = json.is_object() && json.contains("online") && json["online"].is_boolean() &&
                         !json["online"].get<bool>();
    const bool timestamped = offline && json.contains("timestamp") && json["timestamp"].is_number_unsigned();
    if (timestamped) {
      std::uint64_t current = 0;
      {
        std::lock_guard lock(mutex_);
        current = state_timestamp_ms_;
      }
      if (json["timestamp"].get<std::uint64_t>() >= current) publish_state_birth();
    }
    return;
  }
  SessionOutput out;
  {
    std::lock_guard lock(mutex_);
    session_.handle(topic, payload, std::chrono::steady_clock::now(), clock_.now(), out);
  }
  timer_wake_.notify_all();  // a reorder deadline may have been set
  deliver(out);
}

void HostConnection::deliver(SessionOutput& out) {
  if (out.errors > 0) {
    errors_.fetch_add(out.errors, std::memory_order_relaxed);
    spdlog::debug("sparkplug host {}: {}", settings_.name, out.last_error);
    std::lock_guard lock(mutex_);
    last_error_ = out.last_error;
  }
  if (!out.updates.empty()) {
    values_.fetch_add(out.updates.size(), std::memory_order_relaxed);
    if (sink_ != nullptr) sink_->push(std::move(out.updates));
  }
  for (const auto& node : out.rebirth) send_rebirth(node);
}

void HostConnection::send_rebirth(const std::string& edge_node_id) {
  Payload payload;
  payload.timestamp = to_millis(clock_.now());
  payload.metrics.push_back(
      Metric{.name = std::string(kRebirthMetric), .datatype = DataType::Boolean, .value = true});
  const auto topic = node_topic(settings_.group_id, MessageType::NCmd, edge_node_id);
  spdlog::info("sparkplug host {}: asking edge node {} for a Rebirth", settings_.name, edge_node_id);
  if (auto sent = mqtt_->publish(topic, encode(payload), 0, false); !sent) record_error(sent.error().message);
}

Result<void> HostConnection::send_command(const std::string& edge_node_id, const std::string& device_id,
                                          const std::vector<CommandWrite>& writes) {
  Payload payload;
  payload.timestamp = to_millis(clock_.now());
  {
    std::lock_guard lock(mutex_);
    for (const auto& write : writes) {
      const auto born = session_.datatype_of(edge_node_id, device_id, write.metric);
      payload.metrics.push_back(Metric{.name = write.metric,
                                       .datatype = born == DataType::Unknown ? write.datatype : born,
                                       .value = write.value});
    }
  }
  const auto topic = device_id.empty()
                         ? node_topic(settings_.group_id, MessageType::NCmd, edge_node_id)
                         : device_topic(settings_.group_id, MessageType::DCmd, edge_node_id, device_id);
  auto sent = mqtt_->publish(topic, encode(payload), 0, false);
  if (!sent) {
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    return make_error(fmt::format("sparkplug connection {}: {}", settings_.name, sent.error().message));
  }
  writes_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

void HostConnection::timer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto deadline = session_.next_deadline();
    if (deadline) {
      timer_wake_.wait_until(lock, *deadline);
    } else {
      timer_wake_.wait(lock);
    }
    if (stopping_) break;
    SessionOutput out;
    session_.expire(std::chrono::steady_clock::now(), out);
    if (out.rebirth.empty()) continue;
    lock.unlock();
    for (const auto& node : out.rebirth) send_rebirth(node);
    lock.lock();
  }
}

void HostConnection::record_error(const std::string& message) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("sparkplug host {}: {}", settings_.name, message);
  std::lock_guard lock(mutex_);
  last_error_ = message;
}

engine::ConnectionMetrics HostConnection::metrics() const {
  engine::ConnectionMetrics metrics;
  metrics.driver = "sparkplug-host";
  metrics.connection = settings_.name;
  metrics.connected = mqtt_->connected();
  metrics.reads = messages_.load(std::memory_order_relaxed);
  metrics.values = values_.load(std::memory_order_relaxed);
  metrics.errors = errors_.load(std::memory_order_relaxed);
  const auto connects = mqtt_->connects();
  metrics.reconnects = connects > 0 ? connects - 1 : 0;
  metrics.writes = writes_.load(std::memory_order_relaxed);
  metrics.write_errors = write_errors_.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  metrics.last_error = last_error_;
  return metrics;
}

}  // namespace strata::sparkplug
