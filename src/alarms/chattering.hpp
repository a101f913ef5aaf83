#pragma once
// One definition of chattering, shared by the KPI report and the calibration so both count the same thing.
//
// Rule: an alarm chatters when `activations` (default 3) of its activations fall within one window of
// `window` (default 60 s; standards.md §4.4 "active <-> clear >= 3 times in 1 minute"). Windows are
// half-open, [t, t + window): activations at 0 s, 30 s and 60 s do not chatter, at 0 s, 30 s and 59.9 s do.
#include <cstddef>
#include <span>
#include <vector>

#include "common/clock.hpp"

namespace strata::alarms {

struct ChatterRule {
  std::size_t activations = 3;
  Timestamp window = 60 * kMicrosPerSecond;
};

// Most activation times that fit in one window; `times` must be sorted ascending.
[[nodiscard]] std::size_t peak_in_window(std::span<const Timestamp> times, Timestamp window);

// For each activation time (sorted ascending), whether it lies in a window holding at least
// rule.activations activations, i.e. whether it is part of a chattering burst. Linear in the input.
[[nodiscard]] std::vector<bool> chattering_members(std::span<const Timestamp> times, const ChatterRule& rule);

}  // namespace strata::alarms
