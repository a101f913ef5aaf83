// Classifying a unit's PackML history into ISO 22400 time elements, stop records and failure events.
#include "kpi/classifier.hpp"

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

double minutes_of(double seconds) {
  return seconds / kSecondsPerMinute;
}

TEST(KpiClassifier, PlannedDowntimeOverlappingAFaultCountsAsPlanned) {
  // Fault at 20, the break 30-60 falls inside it, back in Execute at 80.
  const std::vector<StateChange> changes{at(0, Execute),   at(20, Aborting), at(21, Aborted),
                                         at(70, Clearing), at(71, Stopped),  at(72, Resetting),
                                         at(73, Idle),     at(75, Starting), at(80, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 120)};
  const std::vector<Interval> breaks{minute_span(30, 60)};
  const auto result = classify(
      {.changes = changes, .period = minute_span(0, 120), .shifts = shifts, .planned_downtime = breaks});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_DOUBLE_EQ(minutes_of(result->time.pdot), 30);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.adet), 10 + 11)
      << "Aborting/Aborted outside the break, and Clearing";
  EXPECT_DOUBLE_EQ(minutes_of(result->time.adot), 9);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.apt), 20 + 40);
  const std::vector<StopInterval> stops{
      {minute_span(20, 30), Aborting, states::kModeProduction, TimeCategory::Delay},
      {minute_span(60, 80), Aborted, states::kModeProduction, TimeCategory::Delay},
  };
  EXPECT_EQ(result->stops, stops);
  ASSERT_EQ(result->failures.size(), 1U);
  EXPECT_EQ(result->failures[0].entered, Aborting);
  EXPECT_DOUBLE_EQ(minutes_of(result->failures[0].time_between_failures), 20);
  EXPECT_DOUBLE_EQ(minutes_of(*result->failures[0].time_to_repair), 60) << "repair time is wall-clock";
}

class KpiClassifierTwoShifts : public ::testing::Test {
 protected:
  // Early shift 0-480, late shift 480-960; the unit is held from 450 to 520, across the handover.
  const std::vector<StateChange> changes{at(0, Execute), at(450, Holding), at(451, Held), at(519, Unholding),
                                         at(520, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 480), minute_span(480, 960)};

  [[nodiscard]] Classification classify_period(const Interval& period) const {
    auto result = classify({.changes = changes, .period = period, .shifts = shifts});
    EXPECT_TRUE(result.ok());
    return std::move(result).value();
  }
};

TEST_F(KpiClassifierTwoShifts, StopCrossingTheHandoverIsSplitBetweenShifts) {
  const Classification early = classify_period(minute_span(0, 480));
  const Classification late = classify_period(minute_span(480, 960));
  EXPECT_DOUBLE_EQ(minutes_of(early.time.adet), 30);
  EXPECT_DOUBLE_EQ(minutes_of(early.time.apt), 450);
  EXPECT_DOUBLE_EQ(minutes_of(late.time.adet), 40);
  EXPECT_DOUBLE_EQ(minutes_of(late.time.apt), 440);
  EXPECT_EQ(early.stops, (std::vector<StopInterval>{{minute_span(450, 480), Holding, states::kModeProduction,
                                                     TimeCategory::Delay}}));
  EXPECT_EQ(late.stops, (std::vector<StopInterval>{
                            {minute_span(480, 520), Held, states::kModeProduction, TimeCategory::Delay}}));
}

TEST_F(KpiClassifierTwoShifts, OneDayIsTheSumOfItsShiftsAndStillSplitsTheStop) {
  const Classification day = classify_period(minute_span(0, 960));
  const Classification early = classify_period(minute_span(0, 480));
  const Classification late = classify_period(minute_span(480, 960));
  EXPECT_EQ(day.time, early.time + late.time);
  ASSERT_EQ(day.stops.size(), 2U);
  EXPECT_EQ(day.stops[0], early.stops[0]);
  EXPECT_EQ(day.stops[1], late.stops[0]);
}

TEST_F(KpiClassifierTwoShifts, FailureBelongsToThePeriodItStartedIn) {
  const Classification early = classify_period(minute_span(0, 480));
  const Classification late = classify_period(minute_span(480, 960));
  ASSERT_EQ(early.failures.size(), 1U);
  EXPECT_DOUBLE_EQ(minutes_of(*early.failures[0].time_to_repair), 70)
      << "repair looked up past the period end";
  EXPECT_TRUE(late.failures.empty());
}

TEST(KpiClassifier, TimeOutsidePlannedOperationIsNotCounted) {
  const std::vector<StateChange> changes{at(-30, Execute), at(100, Held)};
  const std::vector<Interval> shifts{minute_span(60, 120)};
  const auto result = classify({.changes = changes, .period = minute_span(0, 180), .shifts = shifts});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(minutes_of(result->time.pot), 60);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.apt), 40);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.adet), 20);
  EXPECT_EQ(result->stops.size(), 1U);
}

TEST(KpiClassifier, OverlappingShiftWindowsCountOnce) {
  const std::vector<StateChange> changes{at(0, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 60), minute_span(30, 90)};
  const std::vector<Interval> planned{minute_span(40, 50), minute_span(45, 55)};
  const auto result = classify(
      {.changes = changes, .period = minute_span(0, 120), .shifts = shifts, .planned_downtime = planned});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(minutes_of(result->time.pot), 90);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.pdot), 15);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.apt), 75);
}

TEST(KpiClassifier, PlannedDowntimeOutsideShiftsIsIgnored) {
  const std::vector<StateChange> changes{at(0, Idle)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const std::vector<Interval> planned{minute_span(50, 70)};
  const auto result = classify(
      {.changes = changes, .period = minute_span(0, 120), .shifts = shifts, .planned_downtime = planned});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(minutes_of(result->time.pdot), 10);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.adot), 50);
}

TEST(KpiClassifier, UnknownStateIsNotCountedButStillAStop) {
  const std::vector<StateChange> changes{at(10, Execute), at(30, Undefined), at(35, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const auto result = classify({.changes = changes, .period = minute_span(0, 60), .shifts = shifts});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(minutes_of(result->time.not_counted), 15);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.apt), 45);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.aoet), 45) << "AOET leaves the unknown time out";
  ASSERT_EQ(result->stops.size(), 2U);
  EXPECT_EQ(result->stops[0].category, TimeCategory::NotCounted);
  EXPECT_EQ(result->stops[1].span, minute_span(30, 35));
}

TEST(KpiClassifier, ConsecutiveNonProductionStatesFormOneStop) {
  const std::vector<StateChange> changes{at(0, Execute), at(10, Stopping), at(11, Stopped), at(20, Resetting),
                                         at(21, Idle),   at(25, Starting), at(26, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const auto result = classify({.changes = changes, .period = minute_span(0, 60), .shifts = shifts});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->stops, (std::vector<StopInterval>{{minute_span(10, 26), Stopping, states::kModeProduction,
                                                       TimeCategory::Down}}));
  EXPECT_TRUE(result->failures.empty()) << "a commanded stop is not a failure";
}

TEST(KpiClassifier, ExecuteOutsideProductionModeIsSetup) {
  const std::vector<StateChange> changes{at(0, Execute, states::kModeManual),
                                         at(15, Stopped, states::kModeManual),
                                         at(16, Execute, states::kModeProduction)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const auto result = classify({.changes = changes, .period = minute_span(0, 60), .shifts = shifts});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(minutes_of(result->time.asut), 15);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.adot), 1);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.apt), 44);
  EXPECT_DOUBLE_EQ(minutes_of(result->time.aupt()), 59);
}

TEST(KpiClassifier, UsesTheGivenMapping) {
  const std::vector<StateChange> changes{at(0, Execute), at(10, Suspended), at(20, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  StateMapping starved_is_down;
  starved_is_down.set(Suspended, TimeCategory::Down);
  const auto result =
      classify({.changes = changes, .period = minute_span(0, 60), .shifts = shifts}, starved_is_down);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(minutes_of(result->time.adot), 10);
  EXPECT_DOUBLE_EQ(result->time.adet, 0);
}

TEST(KpiClassifier, MtbfInputsOnAHandComputedCase) {
  // Runs 0-30, fails (Held) 30-35, runs 35-95, fails (Aborting) 95-110, runs 110-120; period ends in the
  // third run. A Suspend at 50-52 is starved/blocked, not a failure, and does not count as run time.
  const std::vector<StateChange> changes{
      at(0, Execute),     at(30, Held),     at(35, Execute),   at(50, Suspending), at(51, Suspended),
      at(52, Execute),    at(95, Aborting), at(96, Aborted),   at(100, Clearing),  at(101, Stopped),
      at(102, Resetting), at(103, Idle),    at(105, Starting), at(110, Execute),   at(115, Holding),
  };
  const auto result = classify({.changes = changes, .period = minute_span(0, 120)});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->failures.size(), 3U);
  EXPECT_DOUBLE_EQ(minutes_of(result->failures[0].time_between_failures), 30);
  EXPECT_DOUBLE_EQ(minutes_of(*result->failures[0].time_to_repair), 5);
  EXPECT_DOUBLE_EQ(minutes_of(result->failures[1].time_between_failures), 15 + 43);
  EXPECT_DOUBLE_EQ(minutes_of(*result->failures[1].time_to_repair), 15);
  EXPECT_EQ(result->failures[2].entered, Holding);
  EXPECT_DOUBLE_EQ(minutes_of(result->failures[2].time_between_failures), 5);
  EXPECT_FALSE(result->failures[2].time_to_repair.has_value()) << "history ends before the repair";
  EXPECT_DOUBLE_EQ(result->time.pot, 0) << "no shifts given: reliability does not depend on the schedule";
}

TEST(KpiClassifier, EmptyPeriodIsAllZero) {
  const std::vector<StateChange> changes{at(0, Execute)};
  const std::vector<Interval> shifts{minute_span(0, 60)};
  const auto result = classify({.changes = changes, .period = minute_span(30, 30), .shifts = shifts});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->time, TimeElements{});
  EXPECT_TRUE(result->stops.empty());
}

TEST(KpiClassifier, RefusesInconsistentInput) {
  const std::vector<StateChange> unordered{at(10, Execute), at(5, Held)};
  EXPECT_FALSE(classify({.changes = unordered, .period = minute_span(0, 60)}).ok());
  EXPECT_FALSE(classify({.period = minute_span(60, 0)}).ok());
  const std::vector<Interval> inverted{minute_span(30, 20)};
  EXPECT_FALSE(classify({.period = minute_span(0, 60), .shifts = inverted}).ok());
  EXPECT_FALSE(classify({.period = minute_span(0, 60), .planned_downtime = inverted}).ok());
}

}  // namespace
}  // namespace strata::kpi
