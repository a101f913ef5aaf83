#pragma once
// The Sparkplug B host application's view of the edge nodes one connection reads (standards.md §6),
// without any I/O: it consumes broker messages and says which tag updates to push and which edge nodes
// to ask for a Rebirth. Not thread-safe; the owning HostConnection serialises calls.
//
// Per edge node: NBIRTH starts a session (seq reset, bdSeq remembered, metric names/datatypes/aliases);
// every later message but NDEATH must carry the previous seq + 1 (mod 256). An out-of-order message is
// held for up to `reorder_timeout` waiting for the missing ones; if the gap does not fill, the node is
// asked for a Rebirth and its DATA is ignored until the new NBIRTH. DATA from a node or device that has
// not been born also triggers a Rebirth. NDEATH (matching bdSeq) makes every metric of the node and its
// devices Stale; DDEATH those of the device. Only changes of value or quality are reported.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "drivers/sparkplug/payload.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "model/tag.hpp"

namespace strata::sparkplug {

// One tag fed by one metric.
struct MetricBinding {
  model::TagIndex tag = 0;
  model::TagType type = model::TagType::Float64;
  std::string edge_node_id{};
  std::string device_id{};  // empty: a metric of the edge node
  std::string metric{};
};

struct SessionOutput {
  std::vector<model::TagUpdate> updates{};
  std::vector<std::string> rebirth{};  // edge node ids to send NCMD Node Control/Rebirth to
  std::uint64_t errors = 0;            // undecodable payloads, protocol violations, unconvertible values
  std::string last_error{};
};

class HostSession {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  // An unanswered Rebirth request is repeated on the node's next DATA once max(reorder_timeout, this)
  // has passed, so a lost NCMD does not leave the node unread and a chatty node does not cause a storm.
  static constexpr std::chrono::milliseconds kMinRebirthRetry{100};
  // Out-of-order messages held per node while waiting for a gap to fill; more asks for a Rebirth at once.
  static constexpr std::size_t kMaxHeld = 256;

  HostSession(std::string group_id, std::vector<MetricBinding> bindings,
              std::chrono::milliseconds reorder_timeout);

  // One message from the broker (topic and raw payload). `now` is the host's UTC time for STALE marks
  // and metrics without timestamps.
  void handle(std::string_view topic, std::string_view payload, SteadyTime steady_now, Timestamp now,
              SessionOutput& out);
  // Gaps whose reorder timeout expired by `steady_now` become Rebirth requests.
  void expire(SteadyTime steady_now, SessionOutput& out);
  [[nodiscard]] std::optional<SteadyTime> next_deadline() const;
  // The broker connection is gone: nothing is known any more. Every born tag turns Stale and every node
  // must be born again.
  void connection_lost(Timestamp now, SessionOutput& out);
  // The host is about to ask every node for a Rebirth (e.g. after connecting): later DATA waits for it.
  void rebirth_requested(const std::string& edge_node_id, SteadyTime steady_now);

  // Edge nodes referenced by the bindings, sorted.
  [[nodiscard]] std::vector<std::string> edge_nodes() const;
  // The datatype a BIRTH gave a metric; Unknown if not born.
  [[nodiscard]] DataType datatype_of(std::string_view edge_node_id, std::string_view device_id,
                                     std::string_view metric) const;
  [[nodiscard]] bool node_born(std::string_view edge_node_id) const;
  [[nodiscard]] const std::string& group_id() const { return group_id_; }

 private:
  struct MetricInfo {
    DataType datatype = DataType::Unknown;
    std::vector<std::size_t> bindings{};  // indices into bindings_
  };
  // The edge node itself (device "") or one of its devices.
  struct Scope {
    bool born = false;
    std::unordered_map<std::string, MetricInfo> metrics{};  // by name, from the BIRTH
    std::unordered_map<std::uint64_t, std::string> aliases{};
    std::vector<std::size_t> bound{};  // bindings of this scope, fixed
  };
  struct Held {
    Topic topic{};
    Payload payload{};
  };
  struct Node {
    bool born = false;
    std::optional<std::int64_t> bd_seq{};
    std::uint8_t last_seq = 0;
    bool awaiting_rebirth = false;
    std::optional<SteadyTime> last_rebirth_request{};
    std::optional<SteadyTime> gap_deadline{};
    std::map<std::uint8_t, Held> held{};  // by seq
    Scope scope{};
    std::map<std::string, Scope, std::less<>> devices{};
  };
  struct Last {
    model::Value value{};
    model::Quality quality = model::Quality::Bad;
  };

  void sequenced(Node& node, Topic topic, Payload payload, SteadyTime steady_now, Timestamp now,
                 SessionOutput& out);
  void apply(Node& node, const Topic& topic, const Payload& payload, SteadyTime steady_now, Timestamp now,
             SessionOutput& out);
  void node_birth(Node& node, const Payload& payload, Timestamp now, SessionOutput& out);
  void node_death(Node& node, const Payload& payload, Timestamp now, SessionOutput& out);
  void birth(Scope& scope, const Payload& payload, Timestamp now, SessionOutput& out);
  void data(Scope& scope, const Payload& payload, Timestamp now, SessionOutput& out);
  void mark_stale(Scope& scope, Timestamp time, SessionOutput& out);
  void request_rebirth(const std::string& id, Node& node, SteadyTime steady_now, SessionOutput& out);
  void emit(std::size_t binding, model::Value value, model::Quality quality, Timestamp source_time,
            SessionOutput& out);
  void emit_metric(std::size_t binding, const MetricValue& value, DataType datatype, Timestamp source_time,
                   SessionOutput& out);

  std::string group_id_;
  std::vector<MetricBinding> bindings_;
  std::chrono::milliseconds reorder_timeout_;
  std::chrono::milliseconds rebirth_retry_;
  std::map<std::string, Node, std::less<>> nodes_;
  std::vector<Last> last_;  // per binding: what was last reported
};

}  // namespace strata::sparkplug
