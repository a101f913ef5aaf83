#pragma once
// Everything ISO 22400 needs about one unit over one period, from its recorded series: time elements,
// quantities, the ideal run time (PRU x PQ), failures and stops. The same function serves live tiles
// and recomputation of past periods; only where the series come from differs.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "kpi/classifier.hpp"
#include "kpi/counters.hpp"
#include "kpi/formulas.hpp"

namespace strata::kpi {

// A stop reason code reported by the PLC (0 = none) from `at` on.
struct CodeSample {
  Timestamp at = 0;
  std::int64_t code = 0;
  friend bool operator==(const CodeSample&, const CodeSample&) = default;
};

// The product being made from `at` on (the value of the unit's product tag).
struct ProductSample {
  Timestamp at = 0;
  std::string product;
  friend bool operator==(const ProductSample&, const ProductSample&) = default;
};

// A unit's recorded behaviour. State changes and codes are chronological and should start with the last
// one before the period of interest (the state the period starts in); counter increments are stamped
// with the time of the sample that observed them.
struct UnitSeries {
  std::vector<StateChange> changes;
  std::vector<CounterIncrement> produced;
  std::vector<CounterIncrement> defective;
  std::vector<CounterIncrement> rework;
  std::vector<CodeSample> stop_reasons;
  std::vector<ProductSample> products;  // chronological, like the state changes
};

// Additive over units, shifts and days. The ideal run time is carried instead of PRU so aggregates
// keep PRU x PQ exact when units or products have different ideal rates.
struct Performance {
  TimeElements time;
  Quantities quantities;
  double ideal_run_time = 0.0;      // seconds: Σ PRU_i × PQ_i
  bool ideal_rate_unknown = false;  // some unit has no ideal rate: effectiveness, OEE and NEE undefined
  // Units made outside planned busy time (during breaks, planned downtime or off shift): not in PQ, because
  // that time is not in APT either, but shown so that no output goes unseen.
  double produced_outside_planned_time = 0.0;
  std::vector<FailureEvent> failures;

  Performance& operator+=(const Performance& other);
  // The ISO 22400 KPIs over the time whose state is known: not_counted time is taken out of POT (and so
  // PBT) first, so a node that was down does not show as equipment unavailability.
  [[nodiscard]] KpiValues kpis() const;
};

struct UnitEvaluation {
  Performance performance;
  std::vector<StopInterval> stops;  // chronological, split at shift boundaries
};

struct UnitEvaluationInput {
  const UnitSeries* series = nullptr;
  Interval period{};
  std::span<const Interval> shifts{};
  std::span<const Interval> planned_downtime{};
  double ideal_cycle_seconds = 0.0;  // PRU; 0 = unknown
  const StateMapping* mapping = nullptr;
  // PRU of products with their own ideal rate; a unit made while such a product runs (per the series'
  // product samples) takes that PRU, any other the default above.
  const std::map<std::string, double>* ideal_cycle_seconds_by_product = nullptr;
};

// Quantities count increments observed inside planned busy time (shift windows minus planned downtime,
// each interval (begin, end]), the same time APT is measured in, so effectiveness compares like with like;
// GQ = PQ - SQ - RQ, never negative.
[[nodiscard]] Result<UnitEvaluation> evaluate_unit(const UnitEvaluationInput& input);

// Sum of increments observed in (interval.begin, interval.end].
[[nodiscard]] std::int64_t count_in(std::span<const CounterIncrement> increments, const Interval& interval);

// The planned busy time of a period: the union of the shift windows minus the union of planned downtime,
// clipped to the period, as disjoint intervals in time order.
[[nodiscard]] std::vector<Interval> planned_busy_intervals(const Interval& period,
                                                           std::span<const Interval> shifts,
                                                           std::span<const Interval> planned_downtime);

}  // namespace strata::kpi
