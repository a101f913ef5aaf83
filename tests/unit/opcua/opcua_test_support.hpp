#pragma once
// Shared by the OPC UA driver tests: a recording UpdateSink, plants from YAML, waits on conditions.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/plant_loader.hpp"
#include "engine/driver.hpp"

namespace strata::opcua::test {

// Failure guard only: every wait ends as soon as its condition holds.
inline constexpr std::chrono::seconds kGuard{30};

class RecordingSink final : public engine::UpdateSink {
 public:
  void push(std::vector<model::TagUpdate> batch) override {
    std::lock_guard lock(mutex_);
    for (auto& update : batch) {
      latest_[update.tag] = update;
      all_.push_back(std::move(update));
    }
    changed_.notify_all();
  }

  // Waits until `condition(latest values)` holds; false when the guard expired.
  bool wait(const std::function<bool(const std::map<model::TagIndex, model::TagUpdate>&)>& condition) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGuard, [&] { return condition(latest_); });
  }
  bool wait_value(model::TagIndex tag, const model::Value& value) {
    return wait([&](const auto& latest) {
      const auto it = latest.find(tag);
      return it != latest.end() && it->second.quality == model::Quality::Good && it->second.value == value;
    });
  }
  bool wait_quality(model::TagIndex tag, model::Quality quality) {
    return wait([&](const auto& latest) {
      const auto it = latest.find(tag);
      return it != latest.end() && it->second.quality == quality;
    });
  }
  bool wait_updates(model::TagIndex tag, std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGuard, [&] {
      std::size_t seen = 0;
      for (const auto& update : all_) seen += update.tag == tag ? 1 : 0;
      return seen >= count;
    });
  }
  std::vector<model::TagUpdate> updates_of(model::TagIndex tag) {
    std::lock_guard lock(mutex_);
    std::vector<model::TagUpdate> out;
    for (const auto& update : all_) {
      if (update.tag == tag) out.push_back(update);
    }
    return out;
  }
  std::optional<model::TagUpdate> latest(model::TagIndex tag) {
    std::lock_guard lock(mutex_);
    const auto it = latest_.find(tag);
    if (it == latest_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<model::TagIndex, model::TagUpdate> latest_;
  std::vector<model::TagUpdate> all_;
};

// Polls `condition` (for state not reported through a callback, like driver metrics) until it holds.
inline bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kGuard;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

inline model::Plant load_plant(const std::string& yaml) {
  auto result = config::load_plant_string(yaml, "plant.yaml");
  if (!result.plant) {
    ADD_FAILURE() << config::to_string(result.diagnostics);
    return {};
  }
  return std::move(*result.plant);
}

inline model::TagIndex tag_index(const model::Plant& plant, const std::string& name) {
  for (std::size_t i = 0; i < plant.tags.size(); ++i) {
    if (plant.tags[i].definition.name == name) return static_cast<model::TagIndex>(i);
  }
  ADD_FAILURE() << "no tag " << name;
  return 0;
}

}  // namespace strata::opcua::test
