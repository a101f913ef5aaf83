// Production counters from PLC samples: resets, wrap-around and attribution to shifts.
#include "kpi/counters.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "kpi_test_time.hpp"

namespace strata::kpi {
namespace {

using test::at_minute;

std::vector<std::int64_t> counts(const std::vector<CounterSample>& samples, CounterOptions options = {}) {
  auto increments = counter_increments(samples, options);
  EXPECT_TRUE(increments.ok());
  std::vector<std::int64_t> result;
  for (const auto& increment : *increments) {
    result.push_back(increment.count);
  }
  return result;
}

TEST(KpiCounters, FirstSampleIsOnlyTheBaseline) {
  auto tracker = CounterTracker::create();
  ASSERT_TRUE(tracker.ok());
  EXPECT_EQ(*tracker->add({at_minute(0), 5000}), 0);
  EXPECT_EQ(*tracker->add({at_minute(1), 5060}), 60);
  EXPECT_EQ(*tracker->add({at_minute(2), 5060}), 0);
  EXPECT_EQ(tracker->total(), 60);
}

TEST(KpiCounters, DropIsAResetCountingFromZero) {
  EXPECT_EQ(counts({{at_minute(0), 900}, {at_minute(1), 1000}, {at_minute(2), 25}, {at_minute(3), 40}}),
            (std::vector<std::int64_t>{100, 25, 15}));
  auto tracker = CounterTracker::create();
  ASSERT_TRUE(tracker.ok());
  (void)tracker->add({at_minute(0), 10});
  (void)tracker->add({at_minute(1), 3});
  EXPECT_EQ(tracker->resets(), 1);
  EXPECT_EQ(tracker->wraps(), 0);
}

TEST(KpiCounters, WrapWithinPlausibilityLimitCountsAcrossTheTop) {
  const CounterOptions int32{.modulus = kInt32CounterModulus, .max_wrap_increment = 10'000};
  auto tracker = CounterTracker::create(int32);
  ASSERT_TRUE(tracker.ok());
  (void)tracker->add({at_minute(0), kInt32CounterModulus - 100});
  EXPECT_EQ(*tracker->add({at_minute(1), 50}), 150);
  EXPECT_EQ(tracker->wraps(), 1);
  EXPECT_EQ(tracker->resets(), 0);
}

TEST(KpiCounters, SignedOverflowReadsAsAWrap) {
  const CounterOptions int32{.modulus = kInt32CounterModulus, .max_wrap_increment = 10'000};
  // An Int32 that overflows instead of rolling over jumps to -2^31, which is 0 modulo 2^31.
  EXPECT_EQ(
      counts({{at_minute(0), kInt32CounterModulus - 10}, {at_minute(1), -kInt32CounterModulus + 5}}, int32),
      (std::vector<std::int64_t>{15}));
}

TEST(KpiCounters, ImplausibleWrapIsAReset) {
  const CounterOptions int32{.modulus = kInt32CounterModulus, .max_wrap_increment = 10'000};
  // From 1,000,000 down to 30: a wrap would mean 2.1 billion units in a minute, so it was a reset.
  EXPECT_EQ(counts({{at_minute(0), 1'000'000}, {at_minute(1), 30}}, int32), (std::vector<std::int64_t>{30}));
}

TEST(KpiCounters, WithoutModulusEveryDropIsAReset) {
  EXPECT_EQ(counts({{at_minute(0), 2'147'483'600}, {at_minute(1), 20}}), (std::vector<std::int64_t>{20}));
}

TEST(KpiCounters, RefusesSamplesGoingBackInTime) {
  auto tracker = CounterTracker::create();
  ASSERT_TRUE(tracker.ok());
  (void)tracker->add({at_minute(5), 10});
  EXPECT_FALSE(tracker->add({at_minute(4), 20}).ok());
  EXPECT_EQ(*tracker->add({at_minute(5), 12}), 2) << "a refused sample leaves the baseline alone";
  EXPECT_FALSE(counter_increments(std::vector<CounterSample>{{at_minute(2), 1}, {at_minute(1), 2}}).ok());
}

TEST(KpiCounters, RefusesInvalidOptions) {
  EXPECT_FALSE(CounterTracker::create(CounterOptions{.modulus = 0, .max_wrap_increment = 1'000'000}).ok());
  EXPECT_FALSE(
      CounterTracker::create(CounterOptions{.modulus = std::nullopt, .max_wrap_increment = -1}).ok());
}

TEST(KpiCounters, IncrementsAreAttributedToShiftsBySampleTime) {
  const std::vector<CounterSample> samples{
      {at_minute(350), 100},   // baseline before the early shift
      {at_minute(360), 130},   // +30 made before 06:00: not the early shift's
      {at_minute(400), 150},   // +20 early
      {at_minute(839), 600},   // +450 early
      {at_minute(840), 610},   // +10 early: a sample at the handover closes the ending shift
      {at_minute(900), 5},     // reset at job change: +5 late
      {at_minute(1320), 505},  // +500 late
      {at_minute(1321), 515},  // +10 after both shifts
  };
  auto increments = counter_increments(samples);
  ASSERT_TRUE(increments.ok());
  const std::vector<Interval> shifts{test::minute_span(360, 840), test::minute_span(840, 1320)};
  EXPECT_EQ(attribute_to_intervals(*increments, shifts), (std::vector<std::int64_t>{480, 505}));
}

}  // namespace
}  // namespace strata::kpi
