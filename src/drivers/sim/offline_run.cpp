#include "drivers/sim/offline_run.hpp"

#include "drivers/sim/line_simulator.hpp"
#include "drivers/sim/prng.hpp"

namespace strata::sim {

SimulationSummary run_offline(const model::Plant& plant, std::uint64_t seed, Timestamp duration) {
  SimulationSummary summary{.seed = seed, .duration = duration, .units = {}};
  for (const auto& site : plant.sites) {
    for (const auto& area : site.areas) {
      for (const auto& line : area.work_centers) {
        if (line.units.empty()) continue;
        LineSimulator simulator(plant, line, seed_for_line(seed, line.id), 0);
        simulator.run_to(duration);
        for (auto& unit : simulator.summary()) summary.units.push_back(std::move(unit));
      }
    }
  }
  return summary;
}

}  // namespace strata::sim
