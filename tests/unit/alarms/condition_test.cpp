// The condition evaluator: limits with deadband on return, delays, rate of change, deviation, discrete,
// PackML fault input, bad quality and restore.
#include "alarms/condition.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "alarm_test_support.hpp"

namespace strata::alarms {
namespace {

using model::AlarmKind;
using model::Quality;
using test::at_second;
using test::good;
using test::seconds;
using test::with_quality;

ConditionSettings settings(AlarmKind kind, double limit, double deadband = 0.0) {
  return {.kind = kind,
          .limit = limit,
          .deadband = deadband,
          .setpoint = 0.0,
          .setpoint_from_tag = false,
          .normal_value = 0.0,
          .on_delay = 0,
          .off_delay = 0};
}

std::vector<ConditionEdge> edges_of(const ConditionEdges& edges) {
  return {edges.begin(), edges.end()};
}

ConditionEdge on(double second) {
  return {.active = true, .at = at_second(second)};
}
ConditionEdge off(double second) {
  return {.active = false, .at = at_second(second)};
}

using Edges = std::vector<ConditionEdge>;

TEST(AlarmCondition, HighTripsAboveTheLimitAndReturnsOnlyBelowTheDeadband) {
  Condition condition(settings(AlarmKind::High, 80, 5));
  EXPECT_TRUE(condition.on_value(79, at_second(0)).empty());
  EXPECT_TRUE(condition.on_value(80, at_second(1)).empty()) << "at the limit is not beyond it";
  EXPECT_EQ(edges_of(condition.on_value(80.5, at_second(2))), Edges{on(2)});
  EXPECT_TRUE(condition.on_value(77, at_second(3)).empty()) << "77 is inside the deadband 75..80";
  EXPECT_TRUE(condition.active());
  EXPECT_EQ(edges_of(condition.on_value(75, at_second(4))), Edges{off(4)}) << "limit - deadband returns";
  EXPECT_TRUE(condition.on_value(79, at_second(5)).empty()) << "inactive again: only > 80 trips";
  EXPECT_EQ(edges_of(condition.on_value(81, at_second(6))), Edges{on(6)});
}

TEST(AlarmCondition, LowMirrorsHigh) {
  Condition condition(settings(AlarmKind::LowLow, 20, 2));
  EXPECT_TRUE(condition.on_value(21, at_second(0)).empty());
  EXPECT_TRUE(condition.on_value(20, at_second(1)).empty());
  EXPECT_EQ(edges_of(condition.on_value(19.5, at_second(2))), Edges{on(2)});
  EXPECT_TRUE(condition.on_value(21.5, at_second(3)).empty()) << "below limit + deadband = 22";
  EXPECT_EQ(edges_of(condition.on_value(22, at_second(4))), Edges{off(4)});
}

TEST(AlarmCondition, OnDelayNeedsTheWholeDelayBeyondTheLimit) {
  auto config = settings(AlarmKind::High, 80);
  config.on_delay = seconds(5);
  Condition condition(config);
  EXPECT_TRUE(condition.on_value(81, at_second(0)).empty());
  EXPECT_TRUE(condition.on_value(82, at_second(3)).empty()) << "still beyond: the delay keeps running from 0";
  EXPECT_EQ(condition.pending_deadline(), at_second(5));
  EXPECT_TRUE(condition.advance(at_second(4.9)).empty());
  EXPECT_EQ(edges_of(condition.advance(at_second(5))), Edges{on(5)}) << "exactly the delay is enough";
  EXPECT_FALSE(condition.pending_deadline());
}

TEST(AlarmCondition, AShortExcursionCancelsTheOnDelay) {
  auto config = settings(AlarmKind::High, 80, 5);
  config.on_delay = seconds(5);
  Condition condition(config);
  EXPECT_TRUE(condition.on_value(81, at_second(0)).empty());
  EXPECT_TRUE(condition.on_value(79, at_second(4)).empty())
      << "79 is inside the deadband, but the deadband only applies on return";
  EXPECT_TRUE(condition.advance(at_second(10)).empty());
  EXPECT_TRUE(condition.on_value(81, at_second(20)).empty());
  EXPECT_EQ(edges_of(condition.advance(at_second(30))), Edges{on(25)})
      << "dated at the deadline, not at the tick that noticed it";
}

TEST(AlarmCondition, ASampleArrivingAfterTheDeadlineFirstCompletesTheDelay) {
  auto config = settings(AlarmKind::High, 80);
  config.on_delay = seconds(5);
  Condition condition(config);
  EXPECT_TRUE(condition.on_value(81, at_second(0)).empty());
  // The value was held beyond the limit from 0 to 10, so the alarm activated at 5 and clears at 10.
  EXPECT_EQ(edges_of(condition.on_value(79, at_second(10))), (Edges{on(5), off(10)}));
}

TEST(AlarmCondition, OffDelayNeedsTheWholeDelayBackToNormal) {
  auto config = settings(AlarmKind::High, 80);
  config.off_delay = seconds(3);
  Condition condition(config);
  EXPECT_EQ(edges_of(condition.on_value(81, at_second(0))), Edges{on(0)});
  EXPECT_TRUE(condition.on_value(70, at_second(10)).empty());
  EXPECT_TRUE(condition.on_value(81, at_second(12)).empty()) << "back beyond: the clear is cancelled";
  EXPECT_TRUE(condition.advance(at_second(14)).empty());
  EXPECT_TRUE(condition.on_value(70, at_second(20)).empty());
  EXPECT_TRUE(condition.advance(at_second(22.9)).empty());
  EXPECT_EQ(edges_of(condition.advance(at_second(23))), Edges{off(23)});
}

TEST(AlarmCondition, RateOfChangeComparesConsecutiveSamples) {
  Condition condition(settings(AlarmKind::RateOfChange, 2, 0.5));  // 2 units/s, returns at <= 1.5 units/s
  EXPECT_TRUE(condition.on_value(0, at_second(0)).empty()) << "the first sample is only a baseline";
  EXPECT_TRUE(condition.on_value(1, at_second(1)).empty()) << "1 unit/s";
  EXPECT_EQ(edges_of(condition.on_value(4, at_second(2))), Edges{on(2)}) << "3 units/s";
  EXPECT_TRUE(condition.on_value(5.75, at_second(3)).empty()) << "1.75 units/s is inside the deadband";
  EXPECT_EQ(edges_of(condition.on_value(7, at_second(4))), Edges{off(4)}) << "1.25 units/s";
  EXPECT_EQ(edges_of(condition.on_value(3, at_second(5))), Edges{on(5)}) << "falling at 4 units/s counts too";
  EXPECT_EQ(edges_of(condition.on_value(2.5, at_second(5.5))), Edges{off(5.5)})
      << "0.5 units in 0.5 s: 1 unit/s";
}

TEST(AlarmCondition, RateOfChangeUsesElapsedTimeNotSampleCount) {
  Condition condition(settings(AlarmKind::RateOfChange, 2));
  EXPECT_TRUE(condition.on_value(0, at_second(0)).empty());
  EXPECT_TRUE(condition.on_value(10, at_second(10)).empty()) << "10 units in 10 s is 1 unit/s";
  EXPECT_EQ(edges_of(condition.on_value(11.5, at_second(10.5))), Edges{on(10.5)}) << "3 units/s";
}

TEST(AlarmCondition, AnUnusableSampleBreaksTheRateChain) {
  Condition condition(settings(AlarmKind::RateOfChange, 2));
  EXPECT_TRUE(condition.on_value(0, at_second(0)).empty());
  EXPECT_TRUE(condition.on_sample(with_quality(0.0, Quality::Bad, at_second(1)), at_second(1)).empty());
  EXPECT_TRUE(condition.on_value(50, at_second(2)).empty())
      << "new baseline: the jump over the gap is not a rate";
  EXPECT_EQ(edges_of(condition.on_value(53, at_second(3))), Edges{on(3)});
}

TEST(AlarmCondition, DeviationFromAConstantSetpoint) {
  auto config = settings(AlarmKind::Deviation, 5, 1);
  config.setpoint = 50;
  Condition condition(config);
  EXPECT_TRUE(condition.on_value(54, at_second(0)).empty());
  EXPECT_EQ(edges_of(condition.on_value(56, at_second(1))), Edges{on(1)}) << "|56 - 50| = 6 > 5";
  EXPECT_TRUE(condition.on_value(55, at_second(2)).empty()) << "5 > 5 - 1";
  EXPECT_EQ(edges_of(condition.on_value(54, at_second(3))), Edges{off(3)}) << "4 <= 5 - 1";
  EXPECT_EQ(edges_of(condition.on_value(44, at_second(4))), Edges{on(4)}) << "below the setpoint counts too";
}

TEST(AlarmCondition, DeviationFromASetpointTagWaitsForTheSetpoint) {
  auto config = settings(AlarmKind::Deviation, 5);
  config.setpoint_from_tag = true;
  Condition condition(config);
  EXPECT_TRUE(condition.on_value(100, at_second(0)).empty()) << "no setpoint yet: not evaluated";
  EXPECT_EQ(edges_of(condition.on_setpoint(50, at_second(1))), Edges{on(1)})
      << "the held value 100 is 50 off";
  EXPECT_EQ(edges_of(condition.on_setpoint(98, at_second(2))), Edges{off(2)});
  EXPECT_TRUE(
      condition.on_setpoint_sample(with_quality(0.0, Quality::Bad, at_second(3)), at_second(3)).empty())
      << "a bad setpoint keeps the last good one";
  EXPECT_TRUE(condition.on_value(101, at_second(4)).empty());
}

TEST(AlarmCondition, DiscreteIsOffNormal) {
  auto config = settings(AlarmKind::Discrete, 0);
  Condition condition(config);
  EXPECT_TRUE(condition.on_sample(good(false, at_second(0)), at_second(0)).empty());
  EXPECT_EQ(edges_of(condition.on_sample(good(true, at_second(1)), at_second(1))), Edges{on(1)});
  EXPECT_EQ(edges_of(condition.on_sample(good(false, at_second(2)), at_second(2))), Edges{off(2)});

  config.normal_value = 3;  // e.g. a mode selector whose normal position is 3
  Condition selector(config);
  EXPECT_TRUE(selector.on_sample(good(std::int64_t{3}, at_second(0)), at_second(0)).empty());
  EXPECT_EQ(edges_of(selector.on_sample(good(std::int64_t{0}, at_second(1)), at_second(1))), Edges{on(1)});
}

TEST(AlarmCondition, PackMLFaultIsFedOneInAFaultState) {
  Condition condition(settings(AlarmKind::PackMLFault, 0));
  EXPECT_TRUE(condition.on_value(0, at_second(0)).empty());
  EXPECT_EQ(edges_of(condition.on_value(1, at_second(1))), Edges{on(1)});
  EXPECT_TRUE(condition.on_value(1, at_second(2)).empty());
  EXPECT_EQ(edges_of(condition.on_value(0, at_second(3))), Edges{off(3)});
}

TEST(AlarmCondition, BadQualityIsNotEvaluatedAndHoldsTheLastState) {
  Condition condition(settings(AlarmKind::High, 80));
  EXPECT_EQ(edges_of(condition.on_sample(good(90.0, at_second(0)), at_second(0))), Edges{on(0)});
  EXPECT_TRUE(condition.on_sample(with_quality(0.0, Quality::Bad, at_second(1)), at_second(1)).empty());
  EXPECT_TRUE(condition.on_sample(with_quality(0.0, Quality::Stale, at_second(2)), at_second(2)).empty());
  EXPECT_TRUE(condition.on_sample(good(model::Value{}, at_second(3)), at_second(3)).empty()) << "no value";
  EXPECT_TRUE(condition.on_sample(good(std::string("n/a"), at_second(4)), at_second(4)).empty())
      << "not a number";
  EXPECT_TRUE(condition.active());
  EXPECT_EQ(edges_of(condition.on_sample(with_quality(70.0, Quality::Uncertain, at_second(5)), at_second(5))),
            Edges{off(5)})
      << "uncertain values are still evaluated";
}

TEST(AlarmCondition, APendingDelayKeepsRunningThroughBadQuality) {
  auto config = settings(AlarmKind::High, 80);
  config.on_delay = seconds(5);
  Condition condition(config);
  EXPECT_TRUE(condition.on_value(81, at_second(0)).empty());
  EXPECT_TRUE(condition.on_sample(with_quality(0.0, Quality::Bad, at_second(2)), at_second(2)).empty());
  EXPECT_EQ(edges_of(condition.advance(at_second(5))), Edges{on(5)});
}

TEST(AlarmCondition, TimeNeverRunsBackwards) {
  auto config = settings(AlarmKind::High, 80);
  config.on_delay = seconds(5);
  Condition condition(config);
  EXPECT_TRUE(condition.advance(at_second(10)).empty());
  EXPECT_TRUE(condition.on_value(81, at_second(8)).empty()) << "a late sample is taken as happening at 10";
  EXPECT_TRUE(condition.advance(at_second(13)).empty());
  EXPECT_EQ(edges_of(condition.advance(at_second(15))), Edges{on(15)});
}

TEST(AlarmCondition, RestoreContinuesFromThePersistedState) {
  Condition condition(settings(AlarmKind::High, 80));
  condition.restore(true);
  EXPECT_TRUE(condition.active());
  EXPECT_TRUE(condition.on_value(85, at_second(0)).empty()) << "still beyond: nothing new";
  EXPECT_EQ(edges_of(condition.on_value(70, at_second(1))), Edges{off(1)});
}

TEST(AlarmCondition, SettingsComeFromTheDefinition) {
  auto definition = test::high_alarm();
  definition.kind = AlarmKind::Deviation;
  definition.setpoint_tag = 7;
  definition.setpoint = 12;
  definition.limit = 3;
  definition.deadband = 0.5;
  definition.on_delay = seconds(2);
  definition.off_delay = seconds(4);
  definition.normal_value = 1;
  EXPECT_EQ(condition_settings(definition), (ConditionSettings{.kind = AlarmKind::Deviation,
                                                               .limit = 3,
                                                               .deadband = 0.5,
                                                               .setpoint = 12,
                                                               .setpoint_from_tag = true,
                                                               .normal_value = 1,
                                                               .on_delay = seconds(2),
                                                               .off_delay = seconds(4)}));
}

}  // namespace
}  // namespace strata::alarms
