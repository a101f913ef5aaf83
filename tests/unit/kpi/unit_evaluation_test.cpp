// evaluate_unit: a unit's series (state changes, counter increments) to time elements, quantities and the
// ideal run time; the ISO 22400 worked example of standards.md §5.3 end to end, and the additivity of
// Performance over units with different ideal rates.
#include "kpi/unit_evaluation.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "kpi_test_time.hpp"

namespace strata::kpi {
namespace {

using enum states::PackMLState;
using test::at_minute;
using test::kSecondsPerMinute;
using test::minute_span;

StateChange at(std::int64_t minute, states::PackMLState state,
               states::UnitMode mode = states::kModeProduction) {
  return {at_minute(minute), state, mode};
}

// The §5.3 example as one 420-minute shift without breaks (PBT = POT = 420 min): Execute in Production
// mode for 373 min, Held for 47 min (in three stops), 19,271 units produced of which 423 defective, ideal
// rate 60/min (PRU 1 s).
UnitSeries worked_example_series() {
  UnitSeries series;
  series.changes = {at(0, Execute),   at(100, Held), at(120, Execute), at(250, Held),
                    at(265, Execute), at(400, Held), at(412, Execute)};
  // Counter increments as a PLC polled every 10 minutes would give them; the last sample closes the shift.
  std::int64_t produced_left = 19'271;
  std::int64_t defective_left = 423;
  for (int minute = 10; minute <= 420; minute += 10) {
    const std::int64_t produced = minute == 420 ? produced_left : 459;
    const std::int64_t defective = minute == 420 ? defective_left : 10;
    series.produced.push_back({at_minute(minute), produced});
    series.defective.push_back({at_minute(minute), defective});
    produced_left -= produced;
    defective_left -= defective;
  }
  return series;
}

TEST(KpiUnitEvaluation, WorkedExampleOfStandardsSection5) {
  const auto series = worked_example_series();
  const std::vector<Interval> shifts{minute_span(0, 420)};
  const auto evaluation = evaluate_unit({.series = &series,
                                         .period = minute_span(0, 420),
                                         .shifts = shifts,
                                         .planned_downtime = {},
                                         .ideal_cycle_seconds = 60.0 / 60.0,
                                         .mapping = nullptr});
  ASSERT_TRUE(evaluation.ok()) << evaluation.error().message;
  const Performance& performance = evaluation->performance;
  EXPECT_DOUBLE_EQ(performance.time.pot, 420 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(performance.time.pdot, 0);
  EXPECT_DOUBLE_EQ(performance.time.apt, 373 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(performance.time.adet, 47 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(performance.time.adot, 0);
  EXPECT_DOUBLE_EQ(performance.time.not_counted, 0);
  EXPECT_DOUBLE_EQ(performance.quantities.pq, 19'271);
  EXPECT_DOUBLE_EQ(performance.quantities.sq, 423);
  EXPECT_DOUBLE_EQ(performance.quantities.gq, 18'848);
  EXPECT_DOUBLE_EQ(performance.quantities.rq, 0);
  EXPECT_DOUBLE_EQ(performance.ideal_run_time, 19'271);

  const KpiValues kpi = performance.kpis();
  ASSERT_TRUE(kpi.availability && kpi.effectiveness && kpi.quality_ratio && kpi.oee);
  EXPECT_NEAR(*kpi.availability * 100, 88.81, 0.005);
  EXPECT_NEAR(*kpi.effectiveness * 100, 86.11, 0.005);
  EXPECT_NEAR(*kpi.quality_ratio * 100, 97.80, 0.005);
  EXPECT_NEAR(*kpi.oee * 100, 74.79, 0.005);

  // Three holds: three stop intervals and three failures, each repaired.
  ASSERT_EQ(evaluation->stops.size(), 3U);
  EXPECT_EQ(evaluation->stops[0].span, minute_span(100, 120));
  EXPECT_EQ(evaluation->stops[2].span, minute_span(400, 412));
  ASSERT_EQ(performance.failures.size(), 3U);
  EXPECT_DOUBLE_EQ(*performance.failures[1].time_to_repair, 15 * kSecondsPerMinute);
}

TEST(KpiUnitEvaluation, WorkedExampleDoesNotDependOnHowTheShiftIsSplit) {
  // The same shift evaluated as two halves and added up gives the same elements, quantities and KPIs.
  const auto series = worked_example_series();
  const std::vector<Interval> shifts{minute_span(0, 420)};
  Performance sum;
  for (const auto& half : {minute_span(0, 210), minute_span(210, 420)}) {
    const auto evaluation = evaluate_unit({.series = &series,
                                           .period = half,
                                           .shifts = shifts,
                                           .planned_downtime = {},
                                           .ideal_cycle_seconds = 1.0,
                                           .mapping = nullptr});
    ASSERT_TRUE(evaluation.ok());
    sum += evaluation->performance;
  }
  EXPECT_EQ(sum.time.apt, 373 * kSecondsPerMinute);
  EXPECT_EQ(sum.time.adet, 47 * kSecondsPerMinute);
  EXPECT_EQ(sum.quantities.pq, 19'271);
  EXPECT_EQ(sum.quantities.sq, 423);
  EXPECT_NEAR(*sum.kpis().oee * 100, 74.79, 0.005);
}

TEST(KpiUnitEvaluation, CountsIncrementsObservedInTheHalfOpenPeriodEnd) {
  const std::vector<CounterIncrement> increments{
      {at_minute(0), 1}, {at_minute(1), 10}, {at_minute(2), 100}, {at_minute(3), 1000}};
  EXPECT_EQ(count_in(increments, minute_span(0, 2)), 110) << "begin excluded, end included";
  EXPECT_EQ(count_in(increments, minute_span(2, 3)), 1000);
  EXPECT_EQ(count_in(increments, minute_span(-5, 0)), 1);
  EXPECT_EQ(count_in(increments, minute_span(3, 9)), 0);
  EXPECT_EQ(count_in({}, minute_span(0, 9)), 0);
}

TEST(KpiUnitEvaluation, GoodQuantityIsNeverNegative) {
  UnitSeries series;
  series.changes = {at(0, Execute)};
  series.produced = {{at_minute(10), 50}};
  series.defective = {{at_minute(10), 40}};
  series.rework = {{at_minute(10), 30}};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const auto evaluation = evaluate_unit({.series = &series,
                                         .period = minute_span(0, 60),
                                         .shifts = shifts,
                                         .planned_downtime = {},
                                         .ideal_cycle_seconds = 0.0,
                                         .mapping = nullptr});
  ASSERT_TRUE(evaluation.ok());
  EXPECT_EQ(evaluation->performance.quantities.gq, 0);
  EXPECT_EQ(evaluation->performance.quantities.rq, 30);
}

// BUG (reported): model::UnitPerformance documents "ideal_rate_per_minute 0: unknown, so effectiveness and
// OEE are undefined", but Performance::kpis() passes PRU 0 to compute_kpis, which reports effectiveness 0
// and OEE 0 (a unit without a configured rate shows 0 % instead of n/a).
TEST(KpiUnitEvaluation, UnknownIdealRateLeavesEffectivenessAndOeeUndefined) {
  UnitSeries series;
  series.changes = {at(0, Execute)};
  series.produced = {{at_minute(10), 50}};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const auto evaluation = evaluate_unit({.series = &series,
                                         .period = minute_span(0, 60),
                                         .shifts = shifts,
                                         .planned_downtime = {},
                                         .ideal_cycle_seconds = 0.0,
                                         .mapping = nullptr});
  ASSERT_TRUE(evaluation.ok());
  const auto kpi = evaluation->performance.kpis();
  EXPECT_TRUE(kpi.availability.has_value());
  EXPECT_FALSE(kpi.effectiveness.has_value()) << "PRU unknown, got " << kpi.effectiveness.value_or(-1);
  EXPECT_FALSE(kpi.oee.has_value()) << "PRU unknown, got " << kpi.oee.value_or(-1);
}

TEST(KpiUnitEvaluation, UsesTheGivenStateMapping) {
  UnitSeries series;
  series.changes = {at(0, Execute), at(30, Suspended), at(40, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  StateMapping mapping;
  mapping.set(Suspended, TimeCategory::Down);
  const auto evaluation = evaluate_unit({.series = &series,
                                         .period = minute_span(0, 60),
                                         .shifts = shifts,
                                         .planned_downtime = {},
                                         .ideal_cycle_seconds = 1.0,
                                         .mapping = &mapping});
  ASSERT_TRUE(evaluation.ok());
  EXPECT_EQ(evaluation->performance.time.adot, 10 * kSecondsPerMinute);
  EXPECT_EQ(evaluation->performance.time.adet, 0);
}

TEST(KpiUnitEvaluation, RefusesAPeriodEndingBeforeItBegins) {
  UnitSeries series;
  const auto evaluation = evaluate_unit({.series = &series,
                                         .period = {at_minute(10), at_minute(5)},
                                         .shifts = {},
                                         .planned_downtime = {},
                                         .ideal_cycle_seconds = 1.0,
                                         .mapping = nullptr});
  EXPECT_FALSE(evaluation.ok());
}

TEST(KpiPerformance, AggregatesUnitsWithDifferentIdealRatesExactly) {
  // Unit A: PRU 1 s, 600 units in 20 min of APT; unit B: PRU 2 s, 300 units in 20 min of APT.
  // Σ PRU_i × PQ_i = 600 + 600 = 1200 s over 2400 s of APT: effectiveness 50 %.
  Performance a;
  a.time.pot = a.time.apt = 1200;
  a.quantities.pq = a.quantities.gq = 600;
  a.ideal_run_time = 600;
  Performance b;
  b.time.pot = b.time.apt = 1200;
  b.quantities.pq = b.quantities.gq = 300;
  b.ideal_run_time = 600;
  b.failures.push_back(FailureEvent{at_minute(3), Held, 60.0, 30.0});
  Performance sum;
  sum += a;
  sum += b;
  EXPECT_DOUBLE_EQ(sum.ideal_run_time, 1200);
  EXPECT_DOUBLE_EQ(sum.quantities.pq, 900);
  EXPECT_DOUBLE_EQ(*sum.kpis().effectiveness, 0.5);
  EXPECT_EQ(sum.failures.size(), 1U);
  EXPECT_DOUBLE_EQ(*a.kpis().effectiveness, 0.5);
  EXPECT_DOUBLE_EQ(*b.kpis().effectiveness, 0.5);
}

}  // namespace
}  // namespace strata::kpi
