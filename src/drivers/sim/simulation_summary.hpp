#pragma once
// What an offline simulation run (`strata sim`) reports per unit.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "states/packml.hpp"

namespace strata::sim {

struct UnitSimulationSummary {
  std::string unit_id;                                         // WorkUnit::id
  std::string line_id;                                         // WorkCenter::id
  std::array<double, states::kStateCount> seconds_in_state{};  // indexed by PackML state number
  std::int64_t processed = 0;
  std::int64_t defective = 0;
  std::int64_t faults = 0;

  [[nodiscard]] double seconds_in(states::PackMLState state) const {
    return seconds_in_state[static_cast<std::size_t>(state)];
  }
};

struct SimulationSummary {
  std::uint64_t seed = 0;
  Timestamp duration = 0;                    // plant time simulated, microseconds
  std::vector<UnitSimulationSummary> units;  // plant order: line by line, material-flow order within a line
};

}  // namespace strata::sim
