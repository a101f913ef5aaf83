#pragma once
// The live state of the plant, owned by the engine thread: current tag values and each unit's
// PackML machine. Other threads see it only through Engine::query or change notifications.
#include <optional>
#include <span>
#include <vector>

#include "alarms/alarm_book.hpp"
#include "model/plant.hpp"
#include "states/packml.hpp"

namespace strata::engine {

struct UnitRuntime {
  const model::WorkUnit* unit = nullptr;
  std::size_t index = 0;
  states::UnitStateMachine machine;
  Timestamp since = 0;          // when the current state was entered
  bool state_reported = false;  // false until the state tag delivered a valid state
};

struct PlantState {
  const model::Plant* plant = nullptr;
  std::vector<model::TagValue> values;                        // by TagIndex
  std::vector<UnitRuntime> units;                             // in Plant::units() order
  std::vector<std::optional<std::size_t>> unit_of_state_tag;  // by TagIndex
  std::vector<std::optional<std::size_t>> unit_of_mode_tag;   // by TagIndex
  const alarms::AlarmBook* alarms = nullptr;                  // null when the plant defines no alarms

  [[nodiscard]] const UnitRuntime* find_unit(std::string_view id) const;
};

// What changed during one engine tick; a listener reads it on the engine thread.
struct ChangeSet {
  Timestamp time = 0;
  std::span<const model::TagIndex> tags;  // each at most once
  std::span<const std::size_t> units;     // units whose state or mode changed, each at most once
  const PlantState* state = nullptr;
  // Every update of the tags some listener observes, in arrival order (a listener filters its own).
  std::span<const model::TagUpdate> samples;
  std::span<const alarms::Transition> alarm_transitions;  // this tick's, in order
};

class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Runs on the engine thread: must be quick and must not block (hand work to other threads).
  virtual void on_changes(const ChangeSet& changes) = 0;
  // Called at the end of every tick, changes or not (for work that falls due with time), after on_changes.
  virtual void on_tick(Timestamp /*now*/) {}
  // Tags whose every update (not only the last of a tick) this listener needs in ChangeSet::samples.
  [[nodiscard]] virtual std::vector<model::TagIndex> observed_tags() const { return {}; }
};

}  // namespace strata::engine
