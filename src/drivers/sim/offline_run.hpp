#pragma once
// `strata sim`: every line of the plant simulated on plant time, no threads, no clock, reproducible.
#include <cstdint>

#include "common/clock.hpp"
#include "drivers/sim/simulation_summary.hpp"
#include "model/plant.hpp"

namespace strata::sim {

// Simulates `duration` microseconds of plant time for every work center with units; each line gets
// the same per-line seed the SimDriver would give it.
[[nodiscard]] SimulationSummary run_offline(const model::Plant& plant, std::uint64_t seed,
                                            Timestamp duration);

}  // namespace strata::sim
