#include "api/stream_hub.hpp"

#include <algorithm>

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
}

std::string PendingChanges::take_message() {
  json units = json::array();
  for (auto& [index, unit] : units_) units.push_back(std::move(unit));
  json tags = json::array();
  for (auto& [index, tag] : tags_) tags.push_back(std::move(tag));
  units_.clear();
  tags_.clear();
  return to_text(
      json{{"type", "changes"}, {"time", time_}, {"units", std::move(units)}, {"tags", std::move(tags)}});
}

void StreamHub::on_changes(const engine::ChangeSet& changes) {
  std::vector<std::shared_ptr<StreamClient>> live;
  {
    std::lock_guard lock(mutex_);
    std::erase_if(clients_, [](const auto& weak) { return weak.expired(); });
    for (const auto& weak : clients_) {
      if (auto client = weak.lock()) live.push_back(std::move(client));
    }
  }
  if (live.empty()) return;
  auto delta = std::make_shared<StreamDelta>();
  delta->time = changes.time;
  delta->units.reserve(changes.units.size());
  for (const auto unit : changes.units) {
    delta->units.emplace_back(unit, unit_state_json(changes.state->units[unit]));
  }
  delta->tags.reserve(changes.tags.size());
  for (const auto tag : changes.tags) delta->tags.emplace_back(tag, tag_change_json(*changes.state, tag));
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
