// PackML behaviour of simulated units: start-up, counters, faults, operator commands.
#include <gtest/gtest.h>

#include <map>

#include "drivers/sim/line_simulator.hpp"
#include "sim_test_support.hpp"
#include "test_plant.hpp"

namespace strata::sim {
namespace {

using states::PackMLCommand;
using states::PackMLState;
using test::kTestStart;
using test::state_of;
using test::unit_id;

constexpr Timestamp kHour = 3600 * kMicrosPerSecond;

TEST(LineSimulator, FirstCallReportsEveryTagAsGoodAtStart) {
  const auto plant = test::make_bottling_plant();
  LineSimulator simulator(plant, test::first_line(plant), 1, kTestStart);
  const auto updates = simulator.advance_to(kTestStart);
  ASSERT_EQ(updates.size(), plant.tags.size());
  for (const auto& update : updates) {
    EXPECT_EQ(update.quality, model::Quality::Good);
    EXPECT_EQ(update.source_time, kTestStart);
  }
  EXPECT_EQ(updates.front().value, model::Value{std::int64_t{2}}) << "filler state starts Stopped (2)";
  EXPECT_TRUE(simulator.advance_to(kTestStart).empty()) << "nothing changed, nothing to report";
}

TEST(LineSimulator, UpdatesAreStampedWithTheirStepTime) {
  const auto plant = test::make_bottling_plant();
  LineSimulator simulator(plant, test::first_line(plant), 1, kTestStart);
  simulator.advance_to(kTestStart);
  const auto updates = simulator.advance_to(kTestStart + 30 * kMicrosPerSecond);
  ASSERT_FALSE(updates.empty());
  Timestamp previous = kTestStart;
  for (const auto& update : updates) {
    EXPECT_GE(update.source_time, previous);
    EXPECT_EQ((update.source_time - kTestStart) % LineSimulator::kStep, 0);
    EXPECT_LE(update.source_time, kTestStart + 30 * kMicrosPerSecond);
    previous = update.source_time;
  }
}

TEST(LineSimulator, UnitsSequenceThroughResetAndStartIntoExecute) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  LineSimulator simulator(plant, test::first_line(plant), 1, kTestStart);
  std::vector<PackMLState> seen{state_of(simulator, "filler")};
  const auto took = test::run_until(simulator, 60 * kMicrosPerSecond, [&] {
    const auto state = state_of(simulator, "filler");
    if (seen.back() != state) seen.push_back(state);
    return state_of(simulator, "filler") == PackMLState::Execute &&
           state_of(simulator, "capper") == PackMLState::Execute &&
           state_of(simulator, "labeler") == PackMLState::Execute;
  });
  ASSERT_GE(took, 0) << "units did not reach Execute within a minute";
  EXPECT_GE(took, 3 * kMicrosPerSecond) << "acting states take a few seconds";
  EXPECT_EQ(seen, (std::vector<PackMLState>{PackMLState::Stopped, PackMLState::Resetting, PackMLState::Idle,
                                            PackMLState::Starting, PackMLState::Execute}));
  const auto filler = *simulator.signals("filler");
  EXPECT_EQ(filler.mode, states::kModeProduction);
  EXPECT_NEAR(filler.speed, 600.0, 600.0 * 0.03 + 1e-9);
  EXPECT_FALSE(filler.blocked);
  EXPECT_FALSE(filler.starved);
  EXPECT_EQ(filler.stop_reason, 0);
}

TEST(LineSimulator, SpeedIsZeroOutsideExecute) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  LineSimulator simulator(plant, test::first_line(plant), 1, kTestStart);
  simulator.advance_to(kTestStart + 2 * kMicrosPerSecond);
  EXPECT_EQ(simulator.signals("filler")->speed, 0.0);
}

TEST(LineSimulator, CountersAreMonotonicAndDefectiveNeverExceedsProcessed) {
  model::SimulationProfile profile;
  profile.mean_time_between_faults = 900;
  profile.reject_ratio = 0.05;
  const auto plant = test::make_bottling_plant(profile);
  LineSimulator simulator(plant, test::first_line(plant), 9, kTestStart);
  std::map<model::TagIndex, std::int64_t> last;
  for (Timestamp t = kTestStart; t <= kTestStart + 8 * kHour; t += 60 * kMicrosPerSecond) {
    for (const auto& update : simulator.advance_to(t)) {
      const auto& name = plant.tags[update.tag].definition.name;
      if (name != "Admin.ProdProcessedCount" && name != "Admin.ProdDefectiveCount") continue;
      const auto value = std::get<std::int64_t>(update.value);
      if (auto it = last.find(update.tag); it != last.end()) {
        ASSERT_GE(value, it->second) << plant.tags[update.tag].id;
      }
      last[update.tag] = value;
    }
    for (const auto* unit : {"filler", "capper", "labeler"}) {
      const auto signals = *simulator.signals(unit);
      ASSERT_LE(signals.defective, signals.processed);
    }
  }
  const auto filler = *simulator.signals("filler");
  // 8 h at 600/min is at most 288,000; faults and start-up cost some of it.
  EXPECT_GT(filler.processed, 150'000);
  EXPECT_LT(filler.processed, 300'000);
  const double reject_share = static_cast<double>(filler.defective) / static_cast<double>(filler.processed);
  EXPECT_NEAR(reject_share, 0.05, 0.005);
}

TEST(LineSimulator, FaultsAbortOrHoldAndTheUnitRecoversWithAFirstOutStopReason) {
  model::SimulationProfile profile;
  profile.mean_time_between_faults = 120;
  profile.mean_time_to_repair = 30;
  profile.hold_ratio = 0.5;
  const auto plant = test::make_bottling_plant(profile);
  LineSimulator simulator(plant, test::first_line(plant), 5, kTestStart);
  int aborted_steps = 0;
  int held_steps = 0;
  int recovered = 0;
  auto previous = state_of(simulator, "capper");
  test::run_until(simulator, 4 * kHour, [&] {
    const auto signals = *simulator.signals("capper");
    if (signals.state == PackMLState::Aborted || signals.state == PackMLState::Held) {
      EXPECT_GE(signals.stop_reason, LineSimulator::kFirstFaultCode);
      EXPECT_LT(signals.stop_reason, LineSimulator::kFirstFaultCode + 100);
    }
    if (signals.state == PackMLState::Execute) {
      EXPECT_EQ(signals.stop_reason, 0);
    }
    aborted_steps += signals.state == PackMLState::Aborted ? 1 : 0;
    held_steps += signals.state == PackMLState::Held ? 1 : 0;
    if (previous != PackMLState::Execute && signals.state == PackMLState::Execute) ++recovered;
    previous = signals.state;
    return false;
  });
  EXPECT_GT(aborted_steps, 0);
  EXPECT_GT(held_steps, 0);
  EXPECT_GT(recovered, 20) << "the unit keeps coming back to Execute after faults";
  EXPECT_GT(simulator.summary()[1].faults, 20);
}

TEST(LineSimulator, OperatorStopKeepsTheUnitStoppedUntilReset) {
  const auto plant = test::make_bottling_plant();
  LineSimulator simulator(plant, test::first_line(plant), 3, kTestStart);
  simulator.advance_to(kTestStart + 30 * kMicrosPerSecond);
  ASSERT_EQ(state_of(simulator, "labeler"), PackMLState::Execute);

  ASSERT_TRUE(simulator.command(unit_id("labeler"), PackMLCommand::Stop).ok());
  EXPECT_EQ(state_of(simulator, "labeler"), PackMLState::Stopping);
  simulator.advance_to(simulator.now() + kHour);
  EXPECT_EQ(state_of(simulator, "labeler"), PackMLState::Stopped)
      << "no automatic restart after an operator Stop";

  ASSERT_TRUE(simulator.command(unit_id("labeler"), PackMLCommand::Reset).ok());
  const auto took = test::run_until(simulator, 60 * kMicrosPerSecond,
                                    [&] { return state_of(simulator, "labeler") == PackMLState::Execute; });
  EXPECT_GE(took, 0) << "after an operator Reset the unit starts by itself";
}

TEST(LineSimulator, OperatorHoldIsNotUndoneAutomatically) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  LineSimulator simulator(plant, test::first_line(plant), 3, kTestStart);
  simulator.advance_to(kTestStart + 30 * kMicrosPerSecond);
  ASSERT_TRUE(simulator.command("filler", PackMLCommand::Hold).ok());
  simulator.advance_to(simulator.now() + 10 * 60 * kMicrosPerSecond);
  EXPECT_EQ(state_of(simulator, "filler"), PackMLState::Held);
  ASSERT_TRUE(simulator.command("filler", PackMLCommand::Unhold).ok());
  simulator.advance_to(simulator.now() + 10 * kMicrosPerSecond);
  EXPECT_EQ(state_of(simulator, "filler"), PackMLState::Execute);
}

TEST(LineSimulator, RefusedCommandReturnsAnErrorAndChangesNothing) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  LineSimulator simulator(plant, test::first_line(plant), 3, kTestStart);
  simulator.advance_to(kTestStart + 30 * kMicrosPerSecond);
  const auto refused = simulator.command(unit_id("filler"), PackMLCommand::Start);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("Start is not allowed in state Execute"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(state_of(simulator, "filler"), PackMLState::Execute);

  const auto unknown = simulator.command("acme/s1/packaging/L1/palletizer", PackMLCommand::Stop);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("palletizer"), std::string::npos);
}

TEST(LineSimulator, TagTypesFollowTheirDefinitions) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  LineSimulator simulator(plant, test::first_line(plant), 3, kTestStart);
  for (const auto& update : simulator.advance_to(kTestStart + 30 * kMicrosPerSecond)) {
    switch (plant.tags[update.tag].definition.type) {
      case model::TagType::Bool:
        EXPECT_TRUE(std::holds_alternative<bool>(update.value));
        break;
      case model::TagType::Float64:
        EXPECT_TRUE(std::holds_alternative<double>(update.value));
        break;
      default:
        EXPECT_TRUE(std::holds_alternative<std::int64_t>(update.value));
        break;
    }
  }
}

}  // namespace
}  // namespace strata::sim
