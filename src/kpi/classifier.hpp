#pragma once
// Turns one unit's PackML state history into ISO 22400 time elements for a period, plus the stop
// intervals (for downtime records) and failure events (for MTBF / MTTR).
//
// Rules:
//  - POT is the part of the period covered by at least one planned operation window (shift);
//    overlapping windows count once. Time outside POT is not counted at all.
//  - PDOT is the part of POT covered by planned downtime (breaks, planned maintenance). Time in PDOT is
//    PDOT whatever the unit does: a fault that overlaps a break counts as planned, not as a fault, because
//    the break would have been taken anyway and OEE losses must only measure unplanned losses.
//  - The rest of POT (= PBT) goes to APT / ASUT / ADET / ADOT / not_counted by the StateMapping; before
//    the first known state change the state is unknown, hence not_counted.
//  - AOET = APT + ASUT + ADET + ADOT (OPC 40501-1 Annex C), i.e. all categorised busy time in PBT, until
//    order tracking provides real order start/end times.
#include <span>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "kpi/failure_event.hpp"
#include "kpi/interval.hpp"
#include "kpi/state_mapping.hpp"
#include "kpi/time_elements.hpp"
#include "states/packml.hpp"

namespace strata::kpi {

// The unit entered `state` in `mode` at `at` (state or mode change).
struct StateChange {
  Timestamp at = 0;
  states::PackMLState state = states::PackMLState::Undefined;
  states::UnitMode mode = states::kModeProduction;
};

// A maximal run of non-Production time inside PBT. It is split where planned downtime interrupts it, at
// every shift window boundary (so each record belongs to exactly one shift) and where the state becomes
// known or unknown (a run of unknown state is its own interval, with category NotCounted). State, mode and
// category are the ones at the start of the stop (what a reason-coding operator would see first).
struct StopInterval {
  Interval span;
  states::PackMLState state = states::PackMLState::Undefined;
  states::UnitMode mode = states::kModeInvalid;
  TimeCategory category = TimeCategory::NotCounted;
  friend bool operator==(const StopInterval&, const StopInterval&) = default;
};

struct ClassifierInput {
  std::span<const StateChange> changes{};  // chronological (non-decreasing `at`); may start before the period
  Interval period{};
  std::span<const Interval> shifts{};            // planned operation windows (POT)
  std::span<const Interval> planned_downtime{};  // breaks, planned maintenance (PDOT)
};

struct Classification {
  TimeElements time;
  std::vector<StopInterval> stops;     // chronological
  std::vector<FailureEvent> failures;  // chronological
};

// Failures: the unit leaves Execute directly into Holding, Held, Aborting or Aborted at a time inside the
// period (Holding counts because it is how a unit reaches Held). Suspend is starved/blocked, not a failure.
//  - TBF = time in Execute (any mode, within the period, shifts and breaks ignored: reliability is a
//    property of the equipment, not of the schedule) since the previous repair; the first failure of a
//    period counts from the period start, so short periods understate MTBF.
//  - TTR = wall-clock time until the unit is in Execute again, looked up past the period end if the
//    history goes further; nullopt when the history ends first.
[[nodiscard]] Result<Classification> classify(const ClassifierInput& input,
                                              const StateMapping& mapping = StateMapping{});

}  // namespace strata::kpi
