#pragma once
// Peers for the host-driver tests: a scripted Sparkplug edge node (a real MQTT client publishing real
// Sparkplug payloads), a sink recording what the driver pushes, and a one-line plant whose tags read
// sparkplug metrics.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drivers/sparkplug/mqtt_client.hpp"
#include "drivers/sparkplug/payload.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "engine/driver.hpp"
#include "model/plant.hpp"
#include "wait_for.hpp"

namespace strata::sparkplug::test {

inline constexpr std::string_view kGroup = "plant";
inline constexpr std::string_view kLineId = "site/area/L1";

struct ReceivedCommand {
  std::string topic;
  Payload payload;
};

// An edge node following the Sparkplug rules just enough to drive the host: bdSeq per CONNECT in the
// NDEATH Will and the NBIRTH, seq per message. With `auto_birth`, it publishes its BIRTHs whenever its
// subscriptions are live and whenever asked for a Rebirth, as real edge nodes do.
class TestEdgeNode {
 public:
  TestEdgeNode(int port, std::string node_id, bool auto_birth)
      : node_id_(std::move(node_id)), auto_birth_(auto_birth) {
    MqttSettings settings;
    settings.port = port;
    settings.client_id = "test-edge-" + node_id_;
    settings.reconnect = {.initial = std::chrono::milliseconds(20), .max = std::chrono::milliseconds(200)};
    client_ = std::make_unique<MqttClient>(
        settings, MqttCallbacks{.before_connect = [this]() -> std::optional<MqttWill> { return will(); },
                                .on_connect = {},
                                .on_disconnect = {},
                                .on_message = [this](std::string_view topic,
                                                     std::string_view bytes) { on_message(topic, bytes); },
                                .on_subscribed =
                                    [this] {
                                      signal.update([this] { ++subscribed_; });
                                      if (auto_birth_) publish_births();
                                    },
                                .on_publish = {},
                                .on_error = {}});
    (void)client_->subscribe(node_topic(kGroup, MessageType::NCmd, node_id_), 1);
    (void)client_->subscribe(device_topic(kGroup, MessageType::DCmd, node_id_, "+"), 1);
  }
  ~TestEdgeNode() { client_->stop(); }

  void start() { (void)client_->start(); }
  void stop() { client_->stop(); }
  bool wait_subscribed(int times = 1) {
    return signal.wait([&] { return subscribed_ >= times; });
  }

  // BIRTH definitions; bdSeq and Node Control/Rebirth are added to the NBIRTH.
  void define_node(std::vector<Metric> metrics) {
    std::lock_guard lock(mutex_);
    node_metrics_ = std::move(metrics);
  }
  void define_device(const std::string& device, std::vector<Metric> metrics) {
    std::lock_guard lock(mutex_);
    devices_[device] = std::move(metrics);
  }

  void publish_births() {
    std::lock_guard lock(mutex_);
    seq_ = 0;
    Payload nbirth{.timestamp = 1000, .seq = 0};
    nbirth.metrics.push_back(Metric{.name = "bdSeq", .datatype = DataType::Int64, .value = bd_seq_});
    nbirth.metrics.push_back(
        Metric{.name = "Node Control/Rebirth", .datatype = DataType::Boolean, .value = false});
    for (const auto& metric : node_metrics_) nbirth.metrics.push_back(metric);
    raw(node_topic(kGroup, MessageType::NBirth, node_id_), encode(nbirth));
    for (const auto& [device, metrics] : devices_) {
      Payload dbirth{.timestamp = 1000, .seq = next_seq(), .metrics = metrics};
      raw(device_topic(kGroup, MessageType::DBirth, node_id_, device), encode(dbirth));
    }
  }
  void ndata(std::vector<Metric> metrics) {
    sequenced(node_topic(kGroup, MessageType::NData, node_id_), metrics);
  }
  void ddata(const std::string& device, std::vector<Metric> metrics) {
    sequenced(device_topic(kGroup, MessageType::DData, node_id_, device), std::move(metrics));
  }
  void ddeath(const std::string& device) {
    sequenced(device_topic(kGroup, MessageType::DDeath, node_id_, device), {}, std::uint64_t{5000});
  }
  // What the broker would publish as the Will: only bdSeq, no seq.
  void ndeath(std::optional<std::int64_t> bd_seq = std::nullopt) {
    std::lock_guard lock(mutex_);
    Payload payload;
    payload.metrics.push_back(
        Metric{.name = "bdSeq", .datatype = DataType::Int64, .value = bd_seq.value_or(bd_seq_)});
    raw(node_topic(kGroup, MessageType::NDeath, node_id_), encode(payload));
  }
  // A message with an explicit seq, not advancing the node's own counter unless asked.
  void ddata_with_seq(const std::string& device, std::uint64_t seq, std::vector<Metric> metrics) {
    std::lock_guard lock(mutex_);
    Payload payload{.timestamp = 2000, .seq = seq, .metrics = std::move(metrics)};
    raw(device_topic(kGroup, MessageType::DData, node_id_, device), encode(payload));
  }
  std::uint8_t skip_seq() {
    std::lock_guard lock(mutex_);
    return static_cast<std::uint8_t>(next_seq());
  }
  void publish_raw(const std::string& topic, const std::string& bytes) {
    std::lock_guard lock(mutex_);
    raw(topic, bytes);
  }

  int rebirth_requests() {
    return signal.read([&] { return rebirths_; });
  }
  bool wait_rebirth_requests(int count, std::chrono::milliseconds guard = kFailureGuard) {
    return signal.wait([&] { return rebirths_ >= count; }, guard);
  }
  // Waits for a command on `topic` and returns the last one received there.
  std::optional<Payload> wait_command(const std::string& topic) {
    std::optional<Payload> found;
    signal.wait([&] {
      for (const auto& command : commands_) {
        if (command.topic == topic) found = command.payload;
      }
      return found.has_value();
    });
    return found;
  }
  std::vector<ReceivedCommand> commands() {
    return signal.read([&] { return commands_; });
  }

  Signal signal;

 private:
  std::optional<MqttWill> will() {
    std::lock_guard lock(mutex_);
    bd_seq_ = connects_ % 256;
    ++connects_;
    Payload death;
    death.metrics.push_back(Metric{.name = "bdSeq", .datatype = DataType::Int64, .value = bd_seq_});
    return MqttWill{
        .topic = node_topic(kGroup, MessageType::NDeath, node_id_), .payload = encode(death), .qos = 1};
  }

  void on_message(std::string_view topic, std::string_view bytes) {
    auto payload = decode(bytes);
    if (!payload) return;
    bool rebirth = false;
    for (const auto& metric : payload->metrics) {
      if (metric.name == "Node Control/Rebirth" && metric.value == MetricValue{true}) rebirth = true;
    }
    signal.update([&] {
      if (rebirth) ++rebirths_;
      commands_.push_back(ReceivedCommand{std::string(topic), *payload});
    });
    if (rebirth && auto_birth_) publish_births();
  }

  void sequenced(const std::string& topic, std::vector<Metric> metrics, std::uint64_t timestamp = 2000) {
    std::lock_guard lock(mutex_);
    Payload payload{.timestamp = timestamp, .seq = next_seq(), .metrics = std::move(metrics)};
    raw(topic, encode(payload));
  }
  std::uint64_t next_seq() {
    seq_ = (seq_ + 1) % 256;
    return seq_;
  }
  void raw(const std::string& topic, const std::string& bytes) {
    (void)client_->publish(topic, bytes, 0, false);
  }

  std::string node_id_;
  bool auto_birth_;
  std::unique_ptr<MqttClient> client_;
  std::mutex mutex_;  // guards the definitions and counters below
  std::vector<Metric> node_metrics_;
  std::map<std::string, std::vector<Metric>> devices_;
  std::int64_t bd_seq_ = 0;
  std::int64_t connects_ = 0;
  std::uint64_t seq_ = 0;
  int subscribed_ = 0;  // guarded by signal
  int rebirths_ = 0;
  std::vector<ReceivedCommand> commands_;
};

// Remembers every pushed update and the latest per tag.
class RecordingSink final : public engine::UpdateSink {
 public:
  void push(std::vector<model::TagUpdate> batch) override {
    signal.update([&] {
      for (auto& update : batch) {
        latest_[update.tag] = update;
        all_.push_back(std::move(update));
      }
    });
  }
  std::optional<model::TagUpdate> latest(model::TagIndex tag) {
    return signal.read([&]() -> std::optional<model::TagUpdate> {
      const auto it = latest_.find(tag);
      if (it == latest_.end()) return std::nullopt;
      return it->second;
    });
  }
  // Waits until the tag's latest update has this value and quality.
  bool wait_for(model::TagIndex tag, const model::Value& value,
                model::Quality quality = model::Quality::Good) {
    return signal.wait([&] {
      const auto it = latest_.find(tag);
      return it != latest_.end() && it->second.value == value && it->second.quality == quality;
    });
  }
  bool wait_for_quality(model::TagIndex tag, model::Quality quality) {
    return signal.wait([&] {
      const auto it = latest_.find(tag);
      return it != latest_.end() && it->second.quality == quality;
    });
  }
  std::size_t count() {
    return signal.read([&] { return all_.size(); });
  }
  std::vector<model::TagUpdate> history(model::TagIndex tag) {
    return signal.read([&] {
      std::vector<model::TagUpdate> out;
      for (const auto& update : all_) {
        if (update.tag == tag) out.push_back(update);
      }
      return out;
    });
  }

  Signal signal;

 private:
  std::map<model::TagIndex, model::TagUpdate> latest_;
  std::vector<model::TagUpdate> all_;
};

struct TagSpec {
  std::string name;
  model::TagType type = model::TagType::Int64;
  std::string source;
};

// One line with one unit "filler" carrying the given tags, and a sparkplug connection "uns".
inline model::Plant make_plant(const std::vector<TagSpec>& tags, int port) {
  model::Plant plant;
  plant.enterprise = {"acme", "ACME"};
  model::WorkCenter line;
  line.id = std::string(kLineId);
  line.local_id = "L1";
  model::WorkUnit unit;
  unit.id = line.id + "/filler";
  unit.local_id = "filler";
  for (const auto& spec : tags) {
    const auto index = static_cast<model::TagIndex>(plant.tags.size());
    plant.tags.push_back(
        model::Tag{unit.id + "/" + spec.name, unit.id, {spec.name, spec.type, "", spec.source, ""}});
    unit.tags.push_back(index);
  }
  line.units.push_back(unit);
  model::Area area;
  area.id = "site/area";
  area.local_id = "area";
  area.work_centers.push_back(line);
  model::Site site;
  site.id = "site";
  site.local_id = "site";
  site.areas.push_back(area);
  plant.sites.push_back(site);
  model::SparkplugConnection connection;
  connection.name = "uns";
  connection.port = port;
  connection.group_id = std::string(kGroup);
  connection.client_id = "strata-test-host";
  connection.reconnect = {.initial = std::chrono::milliseconds(20), .max = std::chrono::milliseconds(200)};
  connection.reorder_timeout = std::chrono::milliseconds(50);
  plant.sparkplug_connections.push_back(connection);
  return plant;
}

inline model::TagIndex tag_index(const model::Plant& plant, std::string_view name) {
  return *plant.find_tag(std::string(kLineId) + "/filler/" + std::string(name));
}

}  // namespace strata::sparkplug::test
