#pragma once
// Shared by the Modbus tests: a one-line plant built from (name, type, source) triples, fast
// connection settings for a local test server, and a sink that records every pushed update.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drivers/modbus/connection_settings.hpp"
#include "engine/driver.hpp"
#include "model/plant.hpp"

namespace strata::modbus::test {

using namespace std::chrono_literals;

struct TagSpec {
  std::string name;
  model::TagType type = model::TagType::Int64;
  std::string source;
};

struct UnitSpec {
  std::string local_id;
  std::vector<TagSpec> tags;
};

inline constexpr std::string_view kLineId = "site/area/L1";

inline std::string unit_id(std::string_view local_id) {
  return std::string(kLineId) + "/" + std::string(local_id);
}

// One line with the given units; a tag named Status.StateCurrent becomes its unit's state tag.
inline model::Plant make_plant(const std::vector<UnitSpec>& units) {
  model::Plant plant;
  plant.enterprise = {"acme", "ACME"};
  model::WorkCenter line;
  line.id = std::string(kLineId);
  line.local_id = "L1";
  for (const auto& spec : units) {
    model::WorkUnit unit;
    unit.id = unit_id(spec.local_id);
    unit.local_id = spec.local_id;
    for (const auto& tag : spec.tags) {
      const auto index = static_cast<model::TagIndex>(plant.tags.size());
      plant.tags.push_back(
          model::Tag{unit.id + "/" + tag.name, unit.id, {tag.name, tag.type, "", tag.source, ""}});
      unit.tags.push_back(index);
      if (tag.name == "Status.StateCurrent") unit.state_tag = index;
    }
    line.units.push_back(unit);
  }
  model::Area area;
  area.id = "site/area";
  area.local_id = "area";
  area.work_centers.push_back(line);
  model::Site site;
  site.id = "site";
  site.local_id = "site";
  site.areas.push_back(area);
  plant.sites.push_back(site);
  return plant;
}

inline model::Plant make_plant(const std::vector<TagSpec>& tags) {
  return make_plant(std::vector<UnitSpec>{{"filler", tags}});
}

inline model::TagIndex tag_index(const model::Plant& plant, std::string_view local_unit,
                                 std::string_view name) {
  return *plant.find_tag(unit_id(local_unit) + "/" + std::string(name));
}

// Polls fast and gives up fast, so the tests spend little time waiting.
inline ConnectionSettings local_connection(int port, std::string name = "plc") {
  ConnectionSettings settings;
  settings.name = std::move(name);
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.poll_interval = 10ms;
  settings.response_timeout = 500ms;
  settings.reconnect.initial = 10ms;
  settings.reconnect.max = 100ms;
  return settings;
}

class RecordingSink final : public engine::UpdateSink {
 public:
  // Generous: conditions normally hold within milliseconds; the deadline only stops a hung test.
  static constexpr std::chrono::seconds kDeadline{20};

  void push(std::vector<model::TagUpdate> batch) override {
    std::lock_guard lock(mutex_);
    batches_.push_back(batch);
    for (auto& update : batch) {
      latest_[update.tag] = update;
      ++update_count_[update.tag];
    }
    changed_.notify_all();
  }

  // Waits until `condition` holds over the latest update per tag; false when the deadline passed.
  bool wait_until(const std::function<bool(const std::map<model::TagIndex, model::TagUpdate>&)>& condition) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, [&] { return condition(latest_); });
  }

  bool wait_for_quality(model::TagIndex tag, model::Quality quality) {
    return wait_until([&](const auto& latest) {
      const auto found = latest.find(tag);
      return found != latest.end() && found->second.quality == quality;
    });
  }

  bool wait_for_value(model::TagIndex tag, const model::Value& value) {
    return wait_until([&](const auto& latest) {
      const auto found = latest.find(tag);
      return found != latest.end() && found->second.quality == model::Quality::Good &&
             found->second.value == value;
    });
  }

  std::optional<model::TagUpdate> latest(model::TagIndex tag) {
    std::lock_guard lock(mutex_);
    const auto found = latest_.find(tag);
    if (found == latest_.end()) return std::nullopt;
    return found->second;
  }

  std::size_t updates_of(model::TagIndex tag) {
    std::lock_guard lock(mutex_);
    const auto found = update_count_.find(tag);
    return found == update_count_.end() ? 0 : found->second;
  }

  std::vector<std::vector<model::TagUpdate>> batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<model::TagUpdate>> batches_;
  std::map<model::TagIndex, model::TagUpdate> latest_;
  std::map<model::TagIndex, std::size_t> update_count_;
};

// Waits (real time, generous deadline) until `condition` holds; for conditions outside the sink.
inline bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + RecordingSink::kDeadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

}  // namespace strata::modbus::test
