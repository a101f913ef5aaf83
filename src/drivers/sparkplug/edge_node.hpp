#pragma once
// Strata as a Sparkplug B 3.0 edge node: the published work units are devices of `edge_node_id` in
// `group_id` (see edge_catalog.hpp for device ids, metrics, aliases and quality).
//
// Session: every MQTT CONNECT carries NDEATH (bdSeq only, QoS 1, retain false) as its Will; once
// connected the node publishes NBIRTH (seq 0, bdSeq, "Node Control/Rebirth" without alias) and one
// DBIRTH per device with current values, then DDATA by alias (QoS 0) each engine tick a device's tags
// change. seq counts every message of the node, 255 wraps to 0. bdSeq starts at 0 on a fresh
// store_forward_dir, goes up by one per successful CONNECT (wrapping 255 -> 0) and is persisted in that
// directory ("bdseq"), so a restarted Strata does not reuse the bdSeq of its previous session's Will -
// a late NDEATH of the old session cannot kill the new one at the host.
// NCMD "Node Control/Rebirth" = true republishes NBIRTH (same bdSeq) and every DBIRTH. DCMD
// "Command.CntrlCmd" = <PackML command number> on a device goes to Engine::command (origin "sparkplug
// DCMD"); refusals and writes to any other metric are logged and counted, never applied. stop() publishes
// NDEATH itself (a clean DISCONNECT suppresses the Will) and disconnects.
//
// Store-and-forward: while disconnected, and after a reconnect until the backlog is drained, DDATA
// messages go to the StoreForward queue (by metric name, is_historical, original timestamps). After each
// connect: NBIRTH, DBIRTHs (current values), then the stored records in order with this session's seq at
// QoS 1, each popped only after its PUBACK, at most `max_in_flight` unacknowledged; live data produced
// meanwhile is appended behind the backlog, and live QoS 0 publishing resumes once it is empty.
// Guarantees: a change produced while the node knows it is offline is delivered once the broker is back,
// in order, unless the store's byte bound dropped it (counted in backlog().dropped, logged as an error).
// At-least-once edge cases: a record whose PUBACK was lost with the connection is sent again in the next
// session; a crash of Strata between the PUBACK and the head update repeats at most that record (the head
// is written right after the PUBACK, fdatasync'd per released segment). Live QoS 0 DDATA handed to the
// socket just before an unnoticed connection loss can be lost (Sparkplug mandates QoS 0 for DATA).
//
// Threads: on_changes (engine thread) only copies the changed values into a queue; one publisher thread
// owns the session, the store and the MQTT client (a new client per session, so libmosquitto never
// resends the previous session's in-flight messages with stale seq numbers).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "drivers/sparkplug/edge_catalog.hpp"
#include "drivers/sparkplug/edge_messages.hpp"
#include "drivers/sparkplug/mqtt_client.hpp"
#include "drivers/sparkplug/store_forward.hpp"
#include "engine/engine.hpp"

namespace strata::sparkplug {

struct EdgeNodeOptions {
  // The store-and-forward directory (also holds bdseq); empty: the connection's store_forward_dir,
  // which the caller must then have resolved (its default is next to the plant's database).
  std::filesystem::path store_forward_dir{};
  std::size_t max_in_flight = 256;                // stored records awaiting their PUBACK
  std::chrono::milliseconds death_timeout{2000};  // stop(): how long to wait for the NDEATH's PUBACK
};

struct EdgeBacklog {
  std::uint64_t records = 0;  // waiting in the store-and-forward queue
  std::uint64_t bytes = 0;
  std::uint64_t max_bytes = 0;
  std::uint64_t stored = 0;   // DDATA messages appended since start
  std::uint64_t drained = 0;  // stored messages acknowledged by the broker since start
  std::uint64_t dropped = 0;  // oldest messages discarded because the store was full, since start
  std::uint64_t corrupt = 0;  // damaged records found when the store was opened
};

class EdgeNode final : public engine::ChangeListener {
 public:
  // Opens the store-and-forward directory; errors for unusable settings. Add the node to the engine
  // (add_listener) before the engine starts.
  [[nodiscard]] static Result<std::unique_ptr<EdgeNode>> create(const model::Plant& plant,
                                                                const model::SparkplugConnection& connection,
                                                                engine::Engine& engine, const Clock& clock,
                                                                EdgeNodeOptions options = {});
  ~EdgeNode() override;  // stop()
  EdgeNode(const EdgeNode&) = delete;
  EdgeNode& operator=(const EdgeNode&) = delete;

  // Reads the password from the connection's password_env, takes a snapshot of the published tags from
  // the engine, then connects (and keeps reconnecting). The engine may start before or after.
  Result<void> start();
  // Publishes NDEATH, disconnects and joins; unpublished changes stay in the store. Call after
  // Engine::stop() so the last tick is kept. Idempotent.
  void stop();

  void on_changes(const engine::ChangeSet& changes) override;

  [[nodiscard]] engine::ConnectionMetrics metrics() const;
  [[nodiscard]] EdgeBacklog backlog() const;
  [[nodiscard]] const EdgeCatalog& catalog() const { return catalog_; }
  // The bdSeq of the current (or last) session; the next CONNECT uses the following one.
  [[nodiscard]] std::uint64_t bd_seq() const { return session_bd_seq_.load(); }

 private:
  struct Snapshot {
    std::vector<std::vector<model::TagValue>> values;  // by device, metric
  };
  struct Changes {
    Timestamp time = 0;
    std::vector<MetricChange> changes;
  };
  struct Connected {
    std::uint64_t generation = 0;
    std::uint64_t bd_seq = 0;
  };
  struct Disconnected {
    std::uint64_t generation = 0;
  };
  struct Acked {
    std::uint64_t generation = 0;
    int mid = 0;
  };
  struct Rebirth {
    std::uint64_t generation = 0;
  };
  struct DeviceCommand {
    std::string device_id;
    Payload payload;
  };
  using Event = std::variant<Snapshot, Changes, Connected, Disconnected, Acked, Rebirth, DeviceCommand>;

  enum class Mode { Offline, Draining, Live };

  struct InFlight {
    int mid = -1;  // -1: nothing sent (an unusable record), released with its predecessors
    std::uint64_t ordinal = 0;
    std::size_t values = 0;
    bool acked = false;
  };
  struct PendingCommand {
    std::future<engine::CommandResult> result;
    std::string unit_id;
    std::string device_id;
    states::PackMLCommand command = states::PackMLCommand::Undefined;
  };

  EdgeNode(const model::SparkplugConnection& connection, engine::Engine& engine, const Clock& clock,
           EdgeNodeOptions options, EdgeCatalog catalog, std::unique_ptr<StoreForward> store);

  void push(Event event);
  void run();
  void handle(Event& event);
  void on_snapshot(Snapshot& snapshot);
  void on_connected(const Connected& connected);
  void on_disconnected();
  void on_acked(int mid);
  void release_acked();
  void on_data(const Changes& changes);
  void on_device_command(const DeviceCommand& command);
  void store_changes(const Changes& changes, std::size_t from_group);
  void publish_births();
  void drain();
  void poll_commands();
  void shutdown();
  template <typename Done>
  void wait_for_acks(Done done, std::chrono::steady_clock::time_point deadline);
  void start_client();
  void on_message(std::uint64_t generation, std::string_view topic, std::string_view payload);
  Result<int> publish(const std::string& topic, Payload& payload, int qos);
  std::uint64_t next_seq();
  void record_error(const std::string& message);
  void update_backlog();
  void copy_store_stats();  // metrics_mutex_ held
  void persist_bd_seq(std::uint64_t next);

  model::SparkplugConnection connection_;
  engine::Engine& engine_;
  const Clock& clock_;
  EdgeNodeOptions options_;
  EdgeCatalog catalog_;
  std::string password_;

  // Queue from the engine thread and the MQTT callbacks to the publisher thread.
  std::mutex queue_mutex_;
  std::condition_variable queue_wake_;
  std::vector<Event> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<bool> started_{false};

  // Publisher thread only.
  std::unique_ptr<StoreForward> store_;
  std::unique_ptr<MqttClient> mqtt_;
  std::uint64_t generation_ = 0;
  bool have_snapshot_ = false;
  std::vector<std::vector<model::TagValue>> values_;  // by device, metric
  Mode mode_ = Mode::Offline;
  std::uint64_t seq_ = 0;
  std::uint64_t bd_seq_ = 0;
  std::deque<InFlight> in_flight_;
  std::vector<PendingCommand> pending_commands_;
  int death_mid_ = -1;
  bool death_acked_ = false;

  // Shared with the MQTT network thread.
  std::atomic<std::uint64_t> next_bd_seq_{0};
  std::atomic<std::uint64_t> session_bd_seq_{0};

  mutable std::mutex metrics_mutex_;
  engine::ConnectionMetrics metrics_;
  EdgeBacklog backlog_;
  std::uint64_t lost_ = 0;      // messages a failed append could not keep
  std::uint64_t sessions_ = 0;  // publisher thread only
};

}  // namespace strata::sparkplug
