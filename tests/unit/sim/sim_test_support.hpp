#pragma once
// Stepping helpers for simulator tests.
#include <functional>

#include "drivers/sim/line_simulator.hpp"

namespace strata::sim::test {

inline constexpr Timestamp kTestStart = 1'767'225'600LL * kMicrosPerSecond;

// Advances in whole steps until `condition` holds or `limit` of plant time passed; returns the
// plant time it took, or -1 when the limit was reached first.
inline Timestamp run_until(LineSimulator& simulator, Timestamp limit,
                           const std::function<bool()>& condition) {
  const Timestamp begin = simulator.now();
  while (simulator.now() - begin < limit) {
    if (condition()) return simulator.now() - begin;
    simulator.advance_to(simulator.now() + LineSimulator::kStep);
  }
  return condition() ? simulator.now() - begin : -1;
}

inline states::PackMLState state_of(const LineSimulator& simulator, const std::string& unit) {
  return simulator.signals(unit)->state;
}

}  // namespace strata::sim::test
