// A deterministic simulated week of one unit: the classifier must be fast and account for every
// microsecond of planned operation time, and the week must equal the sum of its shifts.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kpi/classifier.hpp"
#include "kpi_test_time.hpp"

namespace strata::kpi {
namespace {

using enum states::PackMLState;
using test::at_minute;
using test::minutes;

constexpr std::int64_t kMinutesPerDay = 24 * 60;
constexpr std::int64_t kWeek = 7 * kMinutesPerDay;

// Own generator rather than <random> distributions, whose output differs between standard libraries.
class Lcg {
 public:
  std::int64_t between(std::int64_t low, std::int64_t high) {  // inclusive
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return low + static_cast<std::int64_t>((state_ >> 33) % static_cast<std::uint64_t>(high - low + 1));
  }

 private:
  std::uint64_t state_ = 20260101;
};

struct Week {
  std::vector<StateChange> changes;
  std::vector<Interval> shifts;
  std::vector<Interval> planned_downtime;
};

// Runs of Execute broken by holds, starved periods, faults, changeovers in Manual mode and
// communication losses (Undefined), each lasting from seconds to tens of minutes.
std::vector<StateChange> simulate_states(Timestamp from, Timestamp to) {
  Lcg random;
  std::vector<StateChange> changes;
  Timestamp t = from;
  states::UnitMode mode = states::kModeProduction;
  const auto enter = [&](states::PackMLState state, std::int64_t min_seconds, std::int64_t max_seconds) {
    changes.push_back({t, state, mode});
    t += random.between(min_seconds * kMicrosPerSecond, max_seconds * kMicrosPerSecond);
  };
  while (t < to) {
    enter(Execute, 5, 120);
    switch (random.between(0, 9)) {
      case 0:
      case 1:
      case 2:
        enter(Holding, 1, 5);
        enter(Held, 10, 600);
        enter(Unholding, 1, 5);
        break;
      case 3:
      case 4:
      case 5:
        enter(Suspending, 1, 3);
        enter(Suspended, 5, 240);
        enter(Unsuspending, 1, 3);
        break;
      case 6:
        enter(Aborting, 1, 5);
        enter(Aborted, 60, 1800);
        enter(Clearing, 5, 30);
        enter(Stopped, 10, 120);
        enter(Resetting, 1, 10);
        enter(Idle, 5, 60);
        enter(Starting, 1, 10);
        break;
      case 7:
        enter(Stopping, 1, 10);
        enter(Stopped, 10, 300);
        mode = states::kModeManual;
        enter(Resetting, 1, 10);
        enter(Idle, 5, 60);
        enter(Starting, 1, 10);
        enter(Execute, 60, 900);  // changeover run
        enter(Stopping, 1, 10);
        enter(Stopped, 10, 60);
        mode = states::kModeProduction;
        enter(Resetting, 1, 10);
        enter(Idle, 5, 60);
        enter(Starting, 1, 10);
        break;
      case 8:
        enter(Undefined, 5, 180);
        break;
      default:
        break;  // Execute continues with a new run length
    }
  }
  return changes;
}

// Three 8-hour shifts from Monday 06:00 to Sunday 06:00, each with 15 + 30 + 15 minutes of breaks, and
// four hours of planned maintenance on Wednesday afternoon that overlaps one break.
Week simulate_week() {
  Week week;
  for (std::int64_t day = 0; day < 6; ++day) {
    for (std::int64_t shift = 0; shift < 3; ++shift) {
      const std::int64_t start = day * kMinutesPerDay + 360 + shift * 480;
      week.shifts.push_back(test::minute_span(start, start + 480));
      week.planned_downtime.push_back(test::minute_span(start + 120, start + 135));
      week.planned_downtime.push_back(test::minute_span(start + 240, start + 270));
      week.planned_downtime.push_back(test::minute_span(start + 360, start + 375));
    }
  }
  const std::int64_t wednesday = 2 * kMinutesPerDay;
  week.planned_downtime.push_back(test::minute_span(wednesday + 14 * 60, wednesday + 18 * 60));
  week.changes = simulate_states(at_minute(-60), at_minute(kWeek + 60));
  return week;
}

constexpr double kTolerance = 1e-6;  // seconds

// Speed is measured in bench/, not asserted here (shared machines make timed assertions flaky).
TEST(KpiWeekSimulation, EveryPlannedSecondIsAccountedFor) {
  const Week week = simulate_week();
  ASSERT_GT(week.changes.size(), 5'000U);  // a state change every ~75 s, a busy real line

  const auto result = classify({.changes = week.changes,
                                .period = test::minute_span(0, kWeek),
                                .shifts = week.shifts,
                                .planned_downtime = week.planned_downtime});
  ASSERT_TRUE(result.ok()) << result.error().message;

  const TimeElements& time = result->time;
  EXPECT_DOUBLE_EQ(time.pot, 144.0 * 3600);
  EXPECT_DOUBLE_EQ(time.pdot, 18.0 * 3600 + 4.0 * 3600 - 15.0 * 60) << "maintenance and a break overlap";
  EXPECT_NEAR(time.pdot + time.apt + time.asut + time.adet + time.adot + time.not_counted, time.pot,
              kTolerance);
  EXPECT_NEAR(time.aoet, time.apt + time.asut + time.adet + time.adot, kTolerance);
  for (const double element : {time.apt, time.asut, time.adet, time.adot, time.not_counted}) {
    EXPECT_GT(element, 0.0) << "the simulation reaches every category";
  }

  Timestamp stopped = 0;
  for (const auto& stop : result->stops) {
    stopped += stop.span.length();
  }
  EXPECT_NEAR(to_seconds(stopped), time.pbt() - time.apt, kTolerance);
  EXPECT_FALSE(result->failures.empty());
}

TEST(KpiWeekSimulation, WeekIsTheSumOfItsShifts) {
  const Week week = simulate_week();
  const auto whole = classify({.changes = week.changes,
                               .period = test::minute_span(0, kWeek),
                               .shifts = week.shifts,
                               .planned_downtime = week.planned_downtime});
  ASSERT_TRUE(whole.ok());

  TimeElements sum;
  std::size_t stops = 0;
  std::size_t failures = 0;
  for (const auto& shift : week.shifts) {
    const auto part = classify({.changes = week.changes,
                                .period = shift,
                                .shifts = week.shifts,
                                .planned_downtime = week.planned_downtime});
    ASSERT_TRUE(part.ok());
    sum += part->time;
    stops += part->stops.size();
    failures += part->failures.size();
  }
  const TimeElements& time = whole->time;
  EXPECT_NEAR(sum.pot, time.pot, kTolerance);
  EXPECT_NEAR(sum.pdot, time.pdot, kTolerance);
  EXPECT_NEAR(sum.apt, time.apt, kTolerance);
  EXPECT_NEAR(sum.asut, time.asut, kTolerance);
  EXPECT_NEAR(sum.adet, time.adet, kTolerance);
  EXPECT_NEAR(sum.adot, time.adot, kTolerance);
  EXPECT_NEAR(sum.aoet, time.aoet, kTolerance);
  EXPECT_NEAR(sum.not_counted, time.not_counted, kTolerance);
  EXPECT_EQ(stops, whole->stops.size()) << "stops are split at shift boundaries either way";
  // Failures outside every shift (Sunday) belong to the week but to no shift.
  EXPECT_LE(failures, whole->failures.size());
}

}  // namespace
}  // namespace strata::kpi
