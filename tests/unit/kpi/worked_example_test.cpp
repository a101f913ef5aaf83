// standards.md §5.3: the Vorne "Fast Guide to OEE" shift, computed end to end from a PackML state timeline,
// planned downtime and PLC counter samples rather than from ready-made time elements.
#include <gtest/gtest.h>

#include <vector>

#include "kpi/classifier.hpp"
#include "kpi/counters.hpp"
#include "kpi/formulas.hpp"
#include "kpi_test_time.hpp"

namespace strata::kpi {
namespace {

using enum states::PackMLState;
using test::at_minute;
using test::kSecondsPerMinute;
using test::minute_span;

// Shift 06:00-14:00 (minutes 360-840) with breaks at 08:00 (15 min), 10:00 (30 min meal) and 12:00 (15 min).
// 47 minutes of stops inside the planned busy time: a 20 min hold, a fault running 10 min into the first
// break (10 counted, the rest planned), 3 min of restart after the meal and 14 min starved.
std::vector<StateChange> shift_timeline() {
  const auto at = [](std::int64_t minute, states::PackMLState state) {
    return StateChange{at_minute(minute), state, states::kModeProduction};
  };
  return {
      at(340, Stopped),   at(350, Resetting), at(351, Idle),      at(355, Starting),  // before the shift
      at(360, Execute),                                                               //
      at(400, Holding),   at(401, Held),      at(418, Unholding), at(420, Execute),   // 20 min held
      at(470, Held),      at(490, Execute),                                           // 10 min + 10 in break
      at(600, Stopping),  at(601, Stopped),   at(630, Resetting), at(631, Idle),      // meal, then
      at(632, Starting),  at(633, Execute),                                           // 3 min restart
      at(700, Suspended), at(714, Execute),                                           // 14 min starved
      at(845, Stopping),  at(846, Stopped),                                           // after the shift
  };
}

TEST(KpiWorkedExample, FastGuideToOeeEndToEnd) {
  const auto changes = shift_timeline();
  const std::vector<Interval> shifts{minute_span(360, 840)};
  const std::vector<Interval> breaks{minute_span(480, 495), minute_span(600, 630), minute_span(720, 735)};
  const auto classified = classify(
      {.changes = changes, .period = minute_span(0, 1440), .shifts = shifts, .planned_downtime = breaks});
  ASSERT_TRUE(classified.ok()) << classified.error().message;
  const TimeElements& time = classified->time;
  EXPECT_DOUBLE_EQ(time.pot, 480 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(time.pdot, 60 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(time.pbt(), 420 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(time.apt, 373 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(time.adet, 44 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(time.adot, 3 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(time.asut, 0);
  EXPECT_DOUBLE_EQ(time.not_counted, 0);

  // ProdProcessedCount / ProdDefectiveCount samples; both reset at the job change after the meal.
  const std::vector<CounterSample> processed{
      {at_minute(360), 5000}, {at_minute(600), 15000}, {at_minute(631), 0}, {at_minute(840), 9271}};
  const std::vector<CounterSample> defective{
      {at_minute(360), 100}, {at_minute(600), 300}, {at_minute(631), 0}, {at_minute(840), 223}};
  const auto processed_increments = counter_increments(processed);
  const auto defective_increments = counter_increments(defective);
  ASSERT_TRUE(processed_increments.ok());
  ASSERT_TRUE(defective_increments.ok());
  const auto pq = attribute_to_intervals(*processed_increments, shifts).front();
  const auto sq = attribute_to_intervals(*defective_increments, shifts).front();
  ASSERT_EQ(pq, 19'271);
  ASSERT_EQ(sq, 423);
  const Quantities quantities{
      .pq = static_cast<double>(pq), .gq = static_cast<double>(pq - sq), .sq = static_cast<double>(sq)};

  const KpiValues kpi = compute_kpis(time, quantities, 1.0, classified->failures);
  EXPECT_NEAR(*kpi.availability * 100, 88.81, 0.005);
  EXPECT_NEAR(*kpi.effectiveness * 100, 86.11, 0.005);
  EXPECT_NEAR(*kpi.quality_ratio * 100, 97.80, 0.005);
  EXPECT_NEAR(*kpi.oee * 100, 74.79, 0.005);
  EXPECT_DOUBLE_EQ(*kpi.technical_efficiency, 373.0 / (373.0 + 44.0));

  // Failures: the hold at 400 (40 min run, 20 min to repair) and the fault at 470 (50 min run since the
  // repair, back in Execute 20 min later even though half of that was a break).
  ASSERT_EQ(classified->failures.size(), 2U);
  EXPECT_DOUBLE_EQ(*kpi.mtbf, 45 * kSecondsPerMinute);
  EXPECT_DOUBLE_EQ(*kpi.mttr, 20 * kSecondsPerMinute);
}

TEST(KpiWorkedExample, StopRecordsCoverThe47Minutes) {
  const auto changes = shift_timeline();
  const std::vector<Interval> shifts{minute_span(360, 840)};
  const std::vector<Interval> breaks{minute_span(480, 495), minute_span(600, 630), minute_span(720, 735)};
  const auto classified = classify(
      {.changes = changes, .period = minute_span(0, 1440), .shifts = shifts, .planned_downtime = breaks});
  ASSERT_TRUE(classified.ok());
  const std::vector<StopInterval> expected{
      {minute_span(400, 420), Holding, states::kModeProduction, TimeCategory::Delay},
      {minute_span(470, 480), Held, states::kModeProduction, TimeCategory::Delay},
      {minute_span(630, 633), Resetting, states::kModeProduction, TimeCategory::Down},
      {minute_span(700, 714), Suspended, states::kModeProduction, TimeCategory::Delay},
  };
  EXPECT_EQ(classified->stops, expected);
}

}  // namespace
}  // namespace strata::kpi
