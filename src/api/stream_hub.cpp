#include "api/stream_hub.hpp"

#include <algorithm>
#include <map>

#include "api/alarm_json.hpp"
#include "api/json_views.hpp"

namespace strata::api {

using nlohmann::json;

void PendingChanges::merge(const StreamDelta& delta, const StreamVisibility& visibility) {
  time_ = std::max(time_, delta.time);
  for (const auto& [index, unit] : delta.units) {
    if (visibility.units[index]) units_[index] = unit;
  }
  for (const auto& [index, tag] : delta.tags) {
    if (visibility.tags[index]) tags_[index] = tag;
  }
  for (const auto& change : delta.alarms) {
    if (visibility.units[change.unit]) alarms_[change.id] = change.alarm;
  }
  // A client that stopped reading does not grow without bound: it keeps the latest notifications.
  constexpr std::size_t kMaxPendingNotifications = 100;
  for (const auto& [unit, notification] : delta.notifications) {
    if (!visibility.units[unit]) continue;
    if (notifications_.size() == kMaxPendingNotifications) notifications_.erase(notifications_.begin());
    notifications_.push_back(notification);
  }
}

std::string PendingChanges::take_message() {
  json units = json::array();
  for (auto& [index, unit] : units_) units.push_back(std::move(unit));
  json tags = json::array();
  for (auto& [index, tag] : tags_) tags.push_back(std::move(tag));
  json alarms = json::array();
  for (auto& [id, alarm] : alarms_) alarms.push_back(std::move(alarm));
  json notifications = json::array();
  for (auto& notification : notifications_) notifications.push_back(std::move(notification));
  units_.clear();
  tags_.clear();
  alarms_.clear();
  notifications_.clear();
  return to_text(json{{"type", "changes"},
                      {"time", time_},
                      {"units", std::move(units)},
                      {"tags", std::move(tags)},
                      {"alarms", std::move(alarms)},
                      {"notifications", std::move(notifications)}});
}

std::vector<std::shared_ptr<StreamClient>> StreamHub::live_clients() {
  std::vector<std::shared_ptr<StreamClient>> live;
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [](const auto& weak) { return weak.expired(); });
  for (const auto& weak : clients_) {
    if (auto client = weak.lock()) live.push_back(std::move(client));
  }
  return live;
}

void StreamHub::on_changes(const engine::ChangeSet& changes) {
  const auto live = live_clients();
  if (live.empty()) return;
  auto delta = std::make_shared<StreamDelta>();
  delta->time = changes.time;
  delta->units.reserve(changes.units.size());
  for (const auto unit : changes.units) {
    delta->units.emplace_back(unit, unit_state_json(changes.state->units[unit]));
  }
  delta->tags.reserve(changes.tags.size());
  for (const auto tag : changes.tags) delta->tags.emplace_back(tag, tag_change_json(*changes.state, tag));
  if (const auto* book = changes.state->alarms) {
    std::map<std::string, std::size_t> changed;  // alarm id -> book index, each alarm once
    for (const auto& transition : changes.alarm_transitions) {
      if (const auto index = book->find(transition.alarm_id)) changed.emplace(transition.alarm_id, *index);
    }
    for (const auto& [id, index] : changed) {
      const auto& definition = book->definition(index);
      const auto* unit = changes.state->find_unit(definition.unit_id);
      if (unit == nullptr) continue;
      delta->alarms.push_back(
          {unit->index, id,
           alarm_json(alarms::AlarmView{&definition, book->lifecycle(index).record()}, *book)});
    }
  }
  const std::shared_ptr<const StreamDelta> shared = delta;
  for (const auto& client : live) client->offer(shared);
}

std::string StreamHub::subscribe(const std::shared_ptr<StreamClient>& client, const engine::PlantState& state,
                                 const StreamVisibility& visibility) {
  {
    std::lock_guard lock(mutex_);
    clients_.push_back(client);
  }
  json units = json::array();
  for (const auto& runtime : state.units) {
    if (visibility.units[runtime.index]) units.push_back(unit_json(state, runtime));
  }
  return to_text(json{{"type", "snapshot"}, {"units", std::move(units)}});
}

void StreamHub::publish_notification(std::size_t unit_index, nlohmann::json notification) {
  auto delta = std::make_shared<StreamDelta>();
  delta->notifications.emplace_back(unit_index, std::move(notification));
  const std::shared_ptr<const StreamDelta> shared = delta;
  for (const auto& client : live_clients()) client->offer(shared);
}

void StreamHub::unsubscribe(const StreamClient* client) {
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [client](const auto& weak) {
    const auto locked = weak.lock();
    return !locked || locked.get() == client;
  });
}

std::size_t StreamHub::client_count() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

}  // namespace strata::api
