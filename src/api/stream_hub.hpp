#pragma once
// Fans engine change sets out to WebSocket clients. The engine thread builds one delta per tick and
// only merges it into each client's pending set; clients send when their socket is free, so a slow
// client receives fewer, coalesced messages and never holds up the engine.
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "engine/plant_state.hpp"

namespace strata::api {

struct StreamDelta {
  Timestamp time = 0;
  std::vector<std::pair<std::size_t, nlohmann::json>> units;
  std::vector<std::pair<model::TagIndex, nlohmann::json>> tags;
  struct AlarmChange {
    std::size_t unit = 0;  // for visibility
    std::string id;
    nlohmann::json alarm;
  };
  std::vector<AlarmChange> alarms{};  // the alarm after this tick's transitions
  std::vector<std::pair<std::size_t, nlohmann::json>> notifications{};  // by unit, for visibility
};

class StreamClient {
 public:
  virtual ~StreamClient() = default;
  // Thread-safe and non-blocking.
  virtual void offer(const std::shared_ptr<const StreamDelta>& delta) = 0;
};

// What one client may see, by unit index (Plant::units() order) and by tag index.
struct StreamVisibility {
  std::vector<bool> units;
  std::vector<bool> tags;
};

// Coalesces deltas for one client: later values of the same unit or tag replace earlier ones.
class PendingChanges {
 public:
  void merge(const StreamDelta& delta, const StreamVisibility& visibility);
  [[nodiscard]] bool empty() const {
    return units_.empty() && tags_.empty() && alarms_.empty() && notifications_.empty();
  }
  // Renders {"type":"changes",...} and clears.
  std::string take_message();

 private:
  Timestamp time_ = 0;
  std::map<std::size_t, nlohmann::json> units_;
  std::map<model::TagIndex, nlohmann::json> tags_;
  std::map<std::string, nlohmann::json> alarms_;
  std::vector<nlohmann::json> notifications_;  // not coalesced: each is a message to someone
};

class StreamHub final : public engine::ChangeListener {
 public:
  void on_changes(const engine::ChangeSet& changes) override;
  // Call on the engine thread (through Engine::query): registers the client and returns the
  // snapshot message it must send first, so no change falls between snapshot and stream.
  std::string subscribe(const std::shared_ptr<StreamClient>& client, const engine::PlantState& state,
                        const StreamVisibility& visibility);
  void unsubscribe(const StreamClient* client);
  // An escalation notification for the cockpit, shown to clients that see `unit_index`; thread-safe (the
  // notifier's thread calls it).
  void publish_notification(std::size_t unit_index, nlohmann::json notification);
  [[nodiscard]] std::size_t client_count() const;

 private:
  std::vector<std::shared_ptr<StreamClient>> live_clients();
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<StreamClient>> clients_;
};

}  // namespace strata::api
