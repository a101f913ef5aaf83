#pragma once
// Which ISO 22400 time element a unit's time falls into, given its PackML state and unit mode.
// Neither ISO 22400 nor TR88 defines this mapping (standards.md §5.3 [INF]); the default below follows
// OPC 40501-1 Annex C in spirit and every rule can be overridden per state or per (state, mode).
//
// Default mapping and why:
//  - Execute in Production mode -> Production (APT): the only state in which the unit makes product.
//  - Execute in any other mode (Maintenance, Manual, user modes) -> Setup (ASUT): the unit is running but
//    for setup / changeover / adjustment, which is processing time (AUPT) but not production.
//  - Held, Holding, Unholding, Suspended, Suspending, Unsuspending, Aborting, Aborted, Clearing -> Delay
//    (ADET): unplanned interruptions of running work - malfunctions (Abort), internal trouble or operator
//    holds (Hold), starved/blocked (Suspend) - and the recovery from them.
//  - Stopped, Stopping, Idle, Resetting, Starting, Completing, Complete -> Down (ADOT): the unit is
//    available but not running an order (between jobs, waiting to start, running up or winding down).
//  - Undefined -> NotCounted: the state is unknown, so the time is reported as a gap, not guessed.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model/performance.hpp"
#include "states/packml.hpp"

namespace strata::kpi {

enum class TimeCategory : std::uint8_t {
  Production,  // -> APT
  Setup,       // -> ASUT
  Delay,       // -> ADET
  Down,        // -> ADOT
  NotCounted,  // in no element
};

[[nodiscard]] std::string_view to_string(TimeCategory category);
// Case-insensitive: "production", "setup", "delay", "down", "not_counted" (or "NotCounted").
[[nodiscard]] std::optional<TimeCategory> parse_time_category(std::string_view name);
inline constexpr std::string_view kTimeCategoryNames = "production, setup, delay, down, not_counted";

class StateMapping {
 public:
  StateMapping();  // the default mapping above

  [[nodiscard]] TimeCategory category(states::PackMLState state, states::UnitMode mode) const;

  // The state maps to `category` in every mode; replaces all earlier rules for the state, including
  // the default Production/Setup split of Execute. Refine afterwards with the (state, mode) overload.
  void set(states::PackMLState state, TimeCategory category);
  // An exception for one mode (0..31); refused for modes outside the PackML range.
  Result<void> set(states::PackMLState state, states::UnitMode mode, TimeCategory category);

 private:
  static constexpr std::size_t kModeSlots = static_cast<std::size_t>(states::kMaxUnitMode) + 1;
  using Row = std::array<TimeCategory, kModeSlots>;
  // The rule for a state when the mode is out of range (bad PLC data): the state's mode-independent rule.
  std::array<TimeCategory, states::kStateCount> by_state_{};
  std::array<Row, states::kStateCount> by_state_and_mode_{};
};

// The default mapping with the plant's `kpi.time_mapping` rules applied in order (rules without a mode
// first replace the state's rule, rules with a mode then refine it). Refuses unknown names.
[[nodiscard]] Result<StateMapping> mapping_from_rules(const std::vector<model::TimeMappingRule>& rules);

}  // namespace strata::kpi
