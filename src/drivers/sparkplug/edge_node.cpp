#include "drivers/sparkplug/edge_node.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>

#include "drivers/sparkplug/topic.hpp"

namespace strata::sparkplug {
namespace {

constexpr int kQosData = 0;    // Sparkplug: BIRTH and DATA are QoS 0
constexpr int kQosStored = 1;  // drained records are popped on their PUBACK
constexpr int kQosDeath = 1;
constexpr std::uint64_t kSeqModulus = 256;
constexpr std::string_view kBdSeqFile = "bdseq";

std::uint64_t read_bd_seq(const std::filesystem::path& dir) {
  std::ifstream in(dir / kBdSeqFile);
  std::uint64_t value = 0;
  if (in >> value && value < kSeqModulus) return value;
  return 0;
}

}  // namespace

Result<std::unique_ptr<EdgeNode>> EdgeNode::create(const model::Plant& plant,
                                                   const model::SparkplugConnection& connection,
                                                   engine::Engine& engine, const Clock& clock,
                                                   EdgeNodeOptions options) {
  if (connection.edge_node_id.empty()) {
    return make_error(fmt::format("sparkplug connection '{}' has no edge_node_id", connection.name));
  }
  if (options.store_forward_dir.empty()) options.store_forward_dir = connection.store_forward_dir;
  if (options.store_forward_dir.empty()) {
    return make_error(
        fmt::format("sparkplug connection '{}': no store-and-forward directory", connection.name));
  }
  options.max_in_flight = std::max<std::size_t>(options.max_in_flight, 1);
  auto catalog = EdgeCatalog::build(plant, connection);
  if (!catalog) return catalog.error();
  auto store = StoreForward::open(options.store_forward_dir, connection.store_forward_max_bytes);
  if (!store) return store.error();
  return std::unique_ptr<EdgeNode>(
      new EdgeNode(connection, engine, clock, std::move(options), std::move(*catalog), std::move(*store)));
}

EdgeNode::EdgeNode(const model::SparkplugConnection& connection, engine::Engine& engine, const Clock& clock,
                   EdgeNodeOptions options, EdgeCatalog catalog, std::unique_ptr<StoreForward> store)
    : connection_(connection),
      engine_(engine),
      clock_(clock),
      options_(std::move(options)),
      catalog_(std::move(catalog)),
      store_(std::move(store)) {
  next_bd_seq_ = read_bd_seq(options_.store_forward_dir);
  metrics_.driver = "sparkplug";
  metrics_.connection = connection_.name;
  values_.resize(catalog_.devices().size());
  for (std::size_t d = 0; d < values_.size(); ++d) values_[d].resize(catalog_.devices()[d].metrics.size());
  update_backlog();
  const auto& stats = store_->stats();
  if (stats.corrupt > 0) {
    spdlog::error("sparkplug edge node {}: {} damaged store-and-forward record(s) in {} were discarded",
                  connection_.name, stats.corrupt, options_.store_forward_dir.string());
  }
  if (stats.records > 0) {
    spdlog::info(
        "sparkplug edge node {}: {} stored message(s) from a previous run will be sent after connecting",
        connection_.name, stats.records);
  }
}

EdgeNode::~EdgeNode() {
  stop();
}

Result<void> EdgeNode::start() {
  if (started_.exchange(true)) return make_error("sparkplug edge node already started");
  if (!connection_.password_env.empty()) {
    const char* password = std::getenv(connection_.password_env.c_str());
    if (password == nullptr) {
      started_ = false;
      return make_error(
          fmt::format("sparkplug connection '{}': environment variable {} (password_env) is not set",
                      connection_.name, connection_.password_env));
    }
    password_ = password;
  }
  // The snapshot travels through the same queue as the changes, so it is ordered with them: changes
  // queued before it are older than it and are skipped.
  (void)engine_.query([this](const engine::PlantState& state) {
    Snapshot snapshot;
    snapshot.values.resize(catalog_.devices().size());
    for (std::size_t d = 0; d < catalog_.devices().size(); ++d) {
      const auto& metrics = catalog_.devices()[d].metrics;
      snapshot.values[d].resize(metrics.size());
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        if (metrics[m].tag && *metrics[m].tag < state.values.size()) {
          snapshot.values[d][m] = state.values[*metrics[m].tag];
        }
      }
    }
    push(std::move(snapshot));
  });
  thread_ = std::thread([this] { run(); });
  return {};
}

void EdgeNode::stop() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EdgeNode::on_changes(const engine::ChangeSet& changes) {
  if (!started_.load(std::memory_order_relaxed)) return;  // nobody would take them; start() snapshots
  Changes batch{changes.time, {}};
  for (const auto tag : changes.tags) {
    const auto ref = catalog_.find_tag(tag);
    if (!ref) continue;
    batch.changes.push_back(MetricChange{static_cast<std::uint32_t>(ref->device),
                                         static_cast<std::uint32_t>(ref->metric),
                                         changes.state->values[tag]});
  }
  if (!batch.changes.empty()) push(std::move(batch));
}

void EdgeNode::push(Event event) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(event));
  }
  queue_wake_.notify_one();
}

void EdgeNode::run() {
  std::vector<Event> events;
  while (true) {
    bool stopping = false;
    {
      std::unique_lock lock(queue_mutex_);
      // Command replies are polled: wait briefly while some are pending.
      const auto wait =
          pending_commands_.empty() ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(10);
      queue_wake_.wait_for(lock, wait, [this] { return !queue_.empty() || stopping_; });
      events.swap(queue_);
      stopping = stopping_;
    }
    for (auto& event : events) handle(event);
    events.clear();
    if (stopping) break;
    if (!mqtt_ && have_snapshot_) start_client();
    drain();
    poll_commands();
    update_backlog();
  }
  shutdown();
  update_backlog();
}

void EdgeNode::handle(Event& event) {
  std::visit(
      [this](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, Snapshot>) {
          on_snapshot(e);
        } else if constexpr (std::is_same_v<E, Changes>) {
          if (have_snapshot_) on_data(e);  // older than the snapshot otherwise
        } else if constexpr (std::is_same_v<E, Connected>) {
          if (e.generation == generation_) on_connected(e);
        } else if constexpr (std::is_same_v<E, Disconnected>) {
          if (e.generation == generation_) on_disconnected();
        } else if constexpr (std::is_same_v<E, Acked>) {
          if (e.generation == generation_) on_acked(e.mid);
        } else if constexpr (std::is_same_v<E, Rebirth>) {
          if (e.generation == generation_ && mode_ != Mode::Offline) {
            spdlog::info("sparkplug edge node {}: Rebirth requested", connection_.name);
            publish_births();
          }
        } else if constexpr (std::is_same_v<E, DeviceCommand>) {
          on_device_command(e);
        }
      },
      event);
}

void EdgeNode::on_snapshot(Snapshot& snapshot) {
  values_ = std::move(snapshot.values);
  // The synthetic command metric has no tag: it reads 0 ("no command"), good.
  for (std::size_t d = 0; d < values_.size(); ++d) {
    const auto& metrics = catalog_.devices()[d].metrics;
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      if (!metrics[m].tag) values_[d][m] = model::TagValue{std::int64_t{0}, model::Quality::Good, 0, 0};
    }
  }
  have_snapshot_ = true;
}

void EdgeNode::start_client() {
  const auto generation = ++generation_;
  MqttSettings settings{
      .host = connection_.host,
      .port = connection_.port,
      .client_id = connection_.client_id.empty() ? "strata-" + connection_.name : connection_.client_id,
      .username = connection_.username,
      .password = password_,
      .keepalive = connection_.keepalive,
      .reconnect = connection_.reconnect};
  const auto death_topic = node_topic(connection_.group_id, MessageType::NDeath, connection_.edge_node_id);
  MqttCallbacks callbacks{
      .before_connect = [this, death_topic]() -> std::optional<MqttWill> {
        return MqttWill{.topic = death_topic,
                        .payload = encode(ndeath_payload(next_bd_seq_.load(), clock_.now())),
                        .qos = kQosDeath,
                        .retain = false};
      },
      .on_connect =
          [this, generation] {
            // This CONNECT carried the Will with next_bd_seq_; the following CONNECT gets the next one.
            const auto bd_seq = next_bd_seq_.load();
            next_bd_seq_ = (bd_seq + 1) % kSeqModulus;
            session_bd_seq_ = bd_seq;
            persist_bd_seq(next_bd_seq_.load());
            push(Connected{generation, bd_seq});
          },
      .on_disconnect = [this, generation](bool) { push(Disconnected{generation}); },
      .on_message = [this, generation](std::string_view topic,
                                       std::string_view payload) { on_message(generation, topic, payload); },
      .on_publish =
          [this, generation](int mid) {
            push(Acked{generation, mid});
          },
      .on_error =
          [this](const std::string& reason) {
            std::lock_guard lock(metrics_mutex_);
            ++metrics_.errors;
            metrics_.last_error = reason;
          },
  };
  mqtt_ = std::make_unique<MqttClient>(std::move(settings), std::move(callbacks));
  (void)mqtt_->subscribe(node_topic(connection_.group_id, MessageType::NCmd, connection_.edge_node_id), 1);
  (void)mqtt_->subscribe(device_topic(connection_.group_id, MessageType::DCmd, connection_.edge_node_id, "+"),
                         1);
  if (auto started = mqtt_->start(); !started) record_error(started.error().message);
}

void EdgeNode::persist_bd_seq(std::uint64_t next) {
  // Written beside the store; a lost update only means a bdSeq is used twice across a power loss.
  const auto path = options_.store_forward_dir / kBdSeqFile;
  const auto temporary = options_.store_forward_dir / "bdseq.tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << next << '\n';
    if (!out) return;
  }
  std::error_code ignored;
  std::filesystem::rename(temporary, path, ignored);
}

std::uint64_t EdgeNode::next_seq() {
  const auto seq = seq_;
  seq_ = (seq_ + 1) % kSeqModulus;
  return seq;
}

Result<int> EdgeNode::publish(const std::string& topic, Payload& payload, int qos) {
  if (!mqtt_) return make_error("no mqtt client");
  payload.seq = seq_;
  auto mid = mqtt_->publish(topic, encode(payload), qos, false);
  if (mid) next_seq();  // a message that never left does not use up a seq
  return mid;
}

void EdgeNode::on_connected(const Connected& connected) {
  bd_seq_ = connected.bd_seq;
  {
    std::lock_guard lock(metrics_mutex_);
    metrics_.connected = true;
    if (++sessions_ > 1) ++metrics_.reconnects;
  }
  in_flight_.clear();
  store_->rewind();
  mode_ = Mode::Draining;  // until publish_births() and the backlog say otherwise
  publish_births();
  if (mode_ != Mode::Offline) {
    spdlog::info(
        "sparkplug edge node {}: online as {}/{} (bdSeq {}), {} device(s), {} stored message(s) to send",
        connection_.name, connection_.group_id, connection_.edge_node_id, bd_seq_, catalog_.devices().size(),
        store_->stats().records);
  }
}

void EdgeNode::publish_births() {
  const auto now = clock_.now();
  seq_ = 0;  // NBIRTH always carries seq 0
  auto nbirth = nbirth_payload(bd_seq_, now);
  const auto node = node_topic(connection_.group_id, MessageType::NBirth, connection_.edge_node_id);
  bool sent = publish(node, nbirth, kQosData).ok();
  for (std::size_t d = 0; sent && d < catalog_.devices().size(); ++d) {
    const auto& device = catalog_.devices()[d];
    auto dbirth = dbirth_payload(device, values_[d], now);
    sent = publish(device_topic(connection_.group_id, MessageType::DBirth, connection_.edge_node_id,
                                device.device_id),
                   dbirth, kQosData)
               .ok();
  }
  if (!sent) {
    mode_ = Mode::Offline;  // the Disconnected event follows; the next session births again
    return;
  }
  if (mode_ == Mode::Draining && store_->empty() && in_flight_.empty()) mode_ = Mode::Live;
}

void EdgeNode::on_disconnected() {
  spdlog::warn("sparkplug edge node {}: connection to {}:{} lost; storing data until it is back",
               connection_.name, connection_.host, connection_.port);
  {
    std::lock_guard lock(metrics_mutex_);
    metrics_.connected = false;
  }
  mode_ = Mode::Offline;
  in_flight_.clear();
  store_->rewind();
  // A fresh client: libmosquitto would otherwise resend this session's unacknowledged messages, with their
  // old seq, before the next NBIRTH.
  if (mqtt_) {
    mqtt_->stop();
    mqtt_.reset();
  }
  start_client();
}

void EdgeNode::on_acked(int mid) {
  if (mid == death_mid_) {
    death_acked_ = true;
    return;
  }
  for (auto& entry : in_flight_) {
    if (entry.mid == mid && !entry.acked) {
      entry.acked = true;
      break;
    }
  }
  release_acked();
}

// Pops the acknowledged prefix of the in-flight records (PUBACKs may overtake each other).
void EdgeNode::release_acked() {
  std::optional<std::uint64_t> last;
  std::uint64_t records = 0;
  std::uint64_t values = 0;
  while (!in_flight_.empty() && in_flight_.front().acked) {
    last = in_flight_.front().ordinal;
    values += in_flight_.front().values;
    ++records;
    in_flight_.pop_front();
  }
  if (!last) return;
  if (auto popped = store_->pop_until(*last + 1); !popped) record_error(popped.error().message);
  std::lock_guard lock(metrics_mutex_);
  metrics_.values += values;
  backlog_.drained += records;
  copy_store_stats();
}

void EdgeNode::on_data(const Changes& changes) {
  for (const auto& change : changes.changes) values_[change.device][change.metric] = change.value;
  if (mode_ != Mode::Live) {
    store_changes(changes, 0);
    return;
  }
  // One DDATA per device, devices in catalog order.
  std::map<std::uint32_t, std::vector<MetricChange>> by_device;
  for (const auto& change : changes.changes) by_device[change.device].push_back(change);
  std::size_t group = 0;
  std::uint64_t values = 0;
  for (const auto& [device, device_changes] : by_device) {
    const auto& published = catalog_.devices()[device];
    auto payload = ddata_payload(published, device_changes, changes.time, false);
    const auto topic =
        device_topic(connection_.group_id, MessageType::DData, connection_.edge_node_id, published.device_id);
    if (auto sent = publish(topic, payload, kQosData); !sent) {
      if (mqtt_ && mqtt_->connected()) {  // refused for itself (e.g. too large): no use retrying it
        record_error(
            fmt::format("DDATA of device '{}' not published: {}", published.device_id, sent.error().message));
        ++group;
        continue;
      }
      mode_ = Mode::Offline;  // the Disconnected event is on its way
      store_changes(changes, group);
      break;
    }
    values += device_changes.size();
    ++group;
  }
  std::lock_guard lock(metrics_mutex_);
  metrics_.values += values;
}

void EdgeNode::store_changes(const Changes& changes, std::size_t from_group) {
  std::map<std::uint32_t, std::vector<MetricChange>> by_device;
  for (const auto& change : changes.changes) by_device[change.device].push_back(change);
  std::vector<StoredRecord> records;
  std::size_t group = 0;
  for (const auto& [device, device_changes] : by_device) {
    if (group++ < from_group) continue;
    const auto& published = catalog_.devices()[device];
    records.push_back(StoredRecord{
        device_topic(connection_.group_id, MessageType::DData, connection_.edge_node_id, published.device_id),
        encode(ddata_payload(published, device_changes, changes.time, true))});
  }
  if (records.empty()) return;
  const auto dropped_before = store_->stats().dropped;
  if (auto appended = store_->append(records); !appended) {
    spdlog::error("sparkplug edge node {}: store-and-forward append failed, {} message(s) lost: {}",
                  connection_.name, records.size(), appended.error().message);
    record_error(appended.error().message);
    std::lock_guard lock(metrics_mutex_);
    lost_ += records.size();
    return;
  }
  const auto dropped = store_->stats().dropped - dropped_before;
  if (dropped > 0) {
    spdlog::error(
        "sparkplug edge node {}: store-and-forward is full ({} bytes): dropped the {} oldest stored "
        "message(s), {} dropped since start",
        connection_.name, store_->max_bytes(), dropped, store_->stats().dropped);
  }
  std::lock_guard lock(metrics_mutex_);
  backlog_.stored += records.size();
  copy_store_stats();  // under the same lock: readers see stored and records move together
}

void EdgeNode::drain() {
  if (mode_ != Mode::Draining) return;
  while (in_flight_.size() < options_.max_in_flight) {
    auto next = store_->next();
    if (!next) {
      record_error(next.error().message);
      return;
    }
    if (!*next) {
      if (in_flight_.empty()) {
        mode_ = Mode::Live;
        spdlog::info("sparkplug edge node {}: stored messages sent, publishing live data", connection_.name);
      }
      return;
    }
    auto& [ordinal, record] = **next;
    InFlight entry{.mid = -1, .ordinal = ordinal, .values = 0, .acked = true};
    const auto topic = parse_topic(record.topic);
    auto payload = decode(record.payload);
    const auto device = topic ? catalog_.find_device(topic->device_id) : std::nullopt;
    if (!device || !payload) {
      spdlog::warn(
          "sparkplug edge node {}: stored message on '{}' no longer matches the published devices, "
          "skipped",
          connection_.name, record.topic);
    } else {
      const auto unknown = resolve_aliases(catalog_, *device, *payload);
      if (unknown > 0) {
        spdlog::warn(
            "sparkplug edge node {}: {} stored metric(s) of device '{}' are no longer published, skipped",
            connection_.name, unknown, topic->device_id);
      }
      if (!payload->metrics.empty()) {
        auto mid = publish(record.topic, *payload, kQosStored);
        if (!mid && !(mqtt_ && mqtt_->connected())) return;  // the Disconnected event rewinds
        if (!mid) {
          record_error(fmt::format("stored message on '{}' not published, skipped: {}", record.topic,
                                   mid.error().message));
          in_flight_.push_back(entry);
          release_acked();
          continue;
        }
        entry = InFlight{.mid = *mid, .ordinal = ordinal, .values = payload->metrics.size(), .acked = false};
      }
    }
    in_flight_.push_back(entry);
    if (entry.acked) release_acked();
  }
}

// Handles PUBACKs (and keeps late changes) until `done` or the deadline; other events no longer matter.
template <typename Done>
void EdgeNode::wait_for_acks(Done done, std::chrono::steady_clock::time_point deadline) {
  std::vector<Event> events;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_wake_.wait_until(lock, deadline, [this] { return !queue_.empty(); });
      events.swap(queue_);
    }
    for (auto& event : events) {
      if (auto* acked = std::get_if<Acked>(&event); acked != nullptr && acked->generation == generation_) {
        on_acked(acked->mid);
      } else if (auto* changes = std::get_if<Changes>(&event); changes != nullptr && have_snapshot_) {
        store_changes(*changes, 0);  // kept for the next run
      }
    }
    events.clear();
  }
}

void EdgeNode::shutdown() {
  if (mqtt_ && mqtt_->connected() && mode_ != Mode::Offline) {
    const auto deadline = std::chrono::steady_clock::now() + options_.death_timeout;
    // Stored records already sent: their PUBACKs pop them now rather than resend them next run.
    mode_ = Mode::Offline;
    wait_for_acks([this] { return in_flight_.empty(); }, deadline);
    // A clean DISCONNECT suppresses the Will: say goodbye explicitly.
    auto death = ndeath_payload(bd_seq_, clock_.now());
    auto mid = mqtt_->publish(node_topic(connection_.group_id, MessageType::NDeath, connection_.edge_node_id),
                              encode(death), kQosDeath, false);
    if (mid) {
      death_mid_ = *mid;
      wait_for_acks([this] { return death_acked_; }, deadline);
    }
  }
  if (mqtt_) {
    mqtt_->stop();
    mqtt_.reset();
  }
  std::lock_guard lock(metrics_mutex_);
  metrics_.connected = false;
}

void EdgeNode::record_error(const std::string& message) {
  spdlog::error("sparkplug edge node {}: {}", connection_.name, message);
  std::lock_guard lock(metrics_mutex_);
  ++metrics_.errors;
  metrics_.last_error = message;
}

void EdgeNode::update_backlog() {
  std::lock_guard lock(metrics_mutex_);
  copy_store_stats();
}

void EdgeNode::copy_store_stats() {
  const auto& stats = store_->stats();
  backlog_.records = stats.records;
  backlog_.bytes = stats.bytes;
  backlog_.max_bytes = store_->max_bytes();
  backlog_.dropped = stats.dropped + lost_;
  backlog_.corrupt = stats.corrupt;
}

engine::ConnectionMetrics EdgeNode::metrics() const {
  std::lock_guard lock(metrics_mutex_);
  return metrics_;
}

EdgeBacklog EdgeNode::backlog() const {
  std::lock_guard lock(metrics_mutex_);
  return backlog_;
}

}  // namespace strata::sparkplug
