#pragma once
// One equipment failure, as the inputs TBF and TTR of MTBF / MTTR (ISO 22400-2, standards.md §5.2).
#include <optional>

#include "common/clock.hpp"
#include "states/packml.hpp"

namespace strata::kpi {

struct FailureEvent {
  Timestamp at = 0;                                              // when the unit left Execute
  states::PackMLState entered = states::PackMLState::Undefined;  // Holding, Held, Aborting or Aborted
  double time_between_failures = 0.0;    // TBF, s: Execute time since the previous repair (or period start)
  std::optional<double> time_to_repair;  // TTR, s: until Execute again; nullopt while still unrepaired
};

}  // namespace strata::kpi
