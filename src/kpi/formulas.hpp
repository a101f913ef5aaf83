#pragma once
// ISO 22400-2 KPI formulas exactly as in standards.md §5.2. Ratios are fractions (0.8881, not 88.81).
// A KPI whose denominator is 0 is undefined, not 0 and not NaN: it comes back as nullopt so a report can
// show "n/a" for a unit that had no planned time or produced nothing.
#include <optional>
#include <span>

#include "kpi/failure_event.hpp"
#include "kpi/time_elements.hpp"

namespace strata::kpi {

struct KpiValues {
  std::optional<double> availability;              // APT / PBT
  std::optional<double> effectiveness;             // PRU × PQ / APT (may exceed 1)
  std::optional<double> quality_ratio;             // GQ / PQ
  std::optional<double> oee;                       // Availability × Effectiveness × Quality ratio
  std::optional<double> nee;                       // AUPT / PBT × Effectiveness × Quality ratio
  std::optional<double> technical_efficiency;      // APT / (APT + ADET)
  std::optional<double> utilization_efficiency;    // APT / AUBT
  std::optional<double> allocation_efficiency;     // AUBT / PBT
  std::optional<double> allocation_ratio;          // AUBT / AOET
  std::optional<double> production_process_ratio;  // APT / AOET
  std::optional<double> setup_rate;                // ASUT / AUPT
  std::optional<double> scrap_ratio;               // SQ / PQ
  std::optional<double> rework_ratio;              // RQ / PQ
  std::optional<double> throughput_rate;           // PQ / AOET, units per second
  std::optional<double> mtbf;                      // mean TBF, seconds
  std::optional<double> mttr;                      // mean TTR over repaired failures, seconds
};

// numerator / denominator, or nullopt when the denominator is not positive or the result is not finite.
[[nodiscard]] std::optional<double> safe_ratio(double numerator, double denominator);

[[nodiscard]] std::optional<double> mean_time_between_failures(std::span<const FailureEvent> failures);
// Failures not yet repaired have no TTR and are left out rather than counted as 0.
[[nodiscard]] std::optional<double> mean_time_to_repair(std::span<const FailureEvent> failures);

// pru_seconds: planned run time per unit (see time_elements.hpp on aggregating it).
[[nodiscard]] KpiValues compute_kpis(const TimeElements& time, const Quantities& quantities,
                                     double pru_seconds, std::span<const FailureEvent> failures = {});

}  // namespace strata::kpi
