#pragma once
// A pure, deterministic simulation of one work center: its units in material-flow order run the
// PackML cycle, produce into small buffers between them, fault at random and recover. Same seed and
// same calls give the same updates, so hours of plant time can be replayed in tests.
// Faults come only during Execute; a profile with mean_time_between_faults <= 0 never faults.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/sim/prng.hpp"
#include "drivers/sim/sim_signal.hpp"
#include "drivers/sim/simulation_summary.hpp"
#include "model/plant.hpp"
#include "states/packml.hpp"

namespace strata::sim {

// Current values of one simulated unit, as its "sim:" tags would report them.
struct UnitSignals {
  states::PackMLState state = states::PackMLState::Stopped;
  states::UnitMode mode = states::kModeProduction;
  double speed = 0.0;  // units per minute
  std::int64_t processed = 0;
  std::int64_t defective = 0;
  bool blocked = false;
  bool starved = false;
  std::int64_t stop_reason = 0;  // 0 none, 100+ fault code (first out)
};

class LineSimulator {
 public:
  static constexpr Timestamp kStep = 100 * kMicrosPerMilli;  // plant time per internal step
  static constexpr std::int64_t kFirstFaultCode = 100;

  LineSimulator(const model::Plant& plant, const model::WorkCenter& line, std::uint64_t seed,
                Timestamp start);

  // Steps up to `now` and returns the values of sim tags that changed, stamped with their step's time.
  // The first call also reports every sim tag's current value, stamped with the start time.
  std::vector<model::TagUpdate> advance_to(Timestamp now);
  // Steps up to `now` without collecting updates (offline runs); a later advance_to reports changes
  // relative to what was last reported.
  void run_to(Timestamp now);
  // An operator command through the unit's state machine; refusals come back as errors.
  Result<void> command(std::string_view unit_id, states::PackMLCommand command);

  // Lists every "sim:" tag whose signal the simulator does not produce, and implausible profiles.
  static Result<void> validate(const model::Plant& plant);

  [[nodiscard]] Timestamp now() const { return now_; }
  [[nodiscard]] const std::string& line_id() const { return line_id_; }
  [[nodiscard]] bool has_unit(std::string_view unit_id) const { return find_unit(unit_id).has_value(); }
  [[nodiscard]] bool has_sim_tags() const { return !tags_.empty(); }
  [[nodiscard]] std::optional<UnitSignals> signals(std::string_view unit_id) const;
  [[nodiscard]] std::vector<UnitSimulationSummary> summary() const;

 private:
  enum class SuspendCause : std::uint8_t { None, Starved, Blocked, Operator };
  enum class Fault : std::uint8_t { None, Hold, Abort };

  struct Unit {
    std::string id;
    std::string local_id;
    model::SimulationProfile profile;
    states::UnitStateMachine machine;
    Timestamp acting_left = 0;  // until the current acting state completes
    bool auto_run = true;       // false after an operator Stop/Abort until an operator Reset/Start
    bool operator_held = false;
    SuspendCause suspend_cause = SuspendCause::None;
    Fault pending_fault = Fault::None;
    Timestamp repair_left = 0;
    Timestamp next_fault_in = 0;  // Execute time until the next fault
    double speed = 0.0;
    Timestamp speed_resample_left = 0;
    double produced = 0.0;  // fractional units; processed is its integer part
    std::int64_t processed = 0;
    std::int64_t defective = 0;
    std::int64_t stop_reason = 0;
    std::int64_t faults = 0;
    std::array<Timestamp, states::kStateCount> time_in_state{};
  };

  struct Buffer {
    double level = 0.0;
    double capacity = 1.0;
  };

  struct SimTag {
    model::TagIndex index = 0;
    std::size_t unit = 0;
    Signal signal = Signal::State;
    model::TagType type = model::TagType::Int64;
    model::Value last;
  };

  [[nodiscard]] std::optional<std::size_t> find_unit(std::string_view unit_id) const;
  [[nodiscard]] UnitSignals signals_of(std::size_t unit) const;
  [[nodiscard]] model::Value value_of(const SimTag& tag) const;

  void step();
  void produce(std::size_t unit);
  void decide(std::size_t unit);
  void fault(Unit& unit);
  void apply(Unit& unit, Result<states::PackMLState> transition);
  void enter(Unit& unit, states::PackMLState state);
  void sample_speed(Unit& unit);
  void collect_changes(std::vector<model::TagUpdate>& out, bool everything);
  [[nodiscard]] Timestamp draw_time_to_fault(const model::SimulationProfile& profile);

  std::string line_id_;
  Xoshiro256 rng_;
  Timestamp now_;
  bool reported_once_ = false;
  std::vector<Unit> units_;
  std::vector<Buffer> buffers_;  // buffers_[i] sits between units_[i] and units_[i + 1]
  std::vector<SimTag> tags_;
};

}  // namespace strata::sim
