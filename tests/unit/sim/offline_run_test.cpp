// `strata sim` offline runs: deterministic summaries, time accounting, fault rate versus MTBF.
#include "drivers/sim/offline_run.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "test_plant.hpp"

namespace strata::sim {
namespace {

using states::PackMLState;

constexpr Timestamp kHour = 3600 * kMicrosPerSecond;

TEST(OfflineRun, IsDeterministicAndAccountsForAllTime) {
  const auto plant = test::make_bottling_plant();
  const auto first = run_offline(plant, 77, 8 * kHour);
  const auto second = run_offline(plant, 77, 8 * kHour);
  ASSERT_EQ(first.units.size(), 3U);
  EXPECT_EQ(first.seed, 77U);
  EXPECT_EQ(first.duration, 8 * kHour);
  for (std::size_t i = 0; i < first.units.size(); ++i) {
    const auto& a = first.units[i];
    const auto& b = second.units[i];
    EXPECT_EQ(a.unit_id, b.unit_id);
    EXPECT_EQ(a.line_id, test::kLineId);
    EXPECT_EQ(a.seconds_in_state, b.seconds_in_state);
    EXPECT_EQ(a.processed, b.processed);
    EXPECT_EQ(a.defective, b.defective);
    EXPECT_EQ(a.faults, b.faults);
    const double total = std::accumulate(a.seconds_in_state.begin(), a.seconds_in_state.end(), 0.0);
    EXPECT_NEAR(total, 8 * 3600.0, 1e-6) << a.unit_id;
    EXPECT_GT(a.seconds_in(PackMLState::Execute), 0.5 * 8 * 3600.0) << a.unit_id;
    EXPECT_LE(a.defective, a.processed);
  }
  EXPECT_EQ(first.units[0].unit_id, test::unit_id("filler"));
  EXPECT_EQ(first.units[2].unit_id, test::unit_id("labeler"));

  const auto other_seed = run_offline(plant, 78, 8 * kHour);
  EXPECT_NE(other_seed.units[0].processed, first.units[0].processed);
}

TEST(OfflineRun, FaultRateMatchesTheConfiguredMeanTimeBetweenFaults) {
  model::SimulationProfile profile;
  profile.mean_time_between_faults = 600;
  profile.mean_time_to_repair = 60;
  const auto plant = test::make_bottling_plant(profile);
  const auto summary = run_offline(plant, 2024, 48 * kHour);
  for (const auto& unit : summary.units) {
    // Faults arrive during Execute only; ~150-250 expected per unit, so +-30 % is several sigma wide.
    const double expected = unit.seconds_in(PackMLState::Execute) / profile.mean_time_between_faults;
    ASSERT_GT(expected, 100.0) << unit.unit_id;
    const double ratio = static_cast<double>(unit.faults) / expected;
    EXPECT_GT(ratio, 0.7) << unit.unit_id << ": " << unit.faults << " faults, expected ~" << expected;
    EXPECT_LT(ratio, 1.3) << unit.unit_id << ": " << unit.faults << " faults, expected ~" << expected;
    EXPECT_GT(unit.seconds_in(PackMLState::Aborted), 0.0);
    EXPECT_GT(unit.seconds_in(PackMLState::Held), 0.0);
  }
}

TEST(OfflineRun, ReliableUnitsNeverFaultAndRunAlmostAllTheTime) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  const auto summary = run_offline(plant, 1, kHour);
  for (const auto& unit : summary.units) {
    EXPECT_EQ(unit.faults, 0);
    EXPECT_GT(unit.seconds_in(PackMLState::Execute), 3600.0 - 60.0);
    EXPECT_EQ(unit.seconds_in(PackMLState::Aborted), 0.0);
  }
}

TEST(OfflineRun, SimulatesEveryLineOfThePlant) {
  auto plant = test::make_bottling_plant();
  test::add_line(plant, "L2", {{"depal", {}}, {"washer", {}}});
  const auto summary = run_offline(plant, 5, kHour);
  ASSERT_EQ(summary.units.size(), 5U);
  EXPECT_EQ(summary.units[3].line_id, "acme/s1/packaging/L2");
}

}  // namespace
}  // namespace strata::sim
