// UnitStateMachine: commands, mode changes and observed PLC states.
#include <gtest/gtest.h>

#include "packml_expected_tables.hpp"
#include "states/packml.hpp"

namespace strata::states {
namespace {

using enum PackMLState;

TEST(UnitStateMachine, StartsStoppedInProductionByDefault) {
  const UnitStateMachine machine;
  EXPECT_EQ(machine.state(), Stopped);
  EXPECT_EQ(machine.mode(), kModeProduction);
}

TEST(UnitStateMachine, RunsTheNormalCycle) {
  UnitStateMachine machine;
  ASSERT_EQ(*machine.command(PackMLCommand::Reset), Resetting);
  ASSERT_EQ(*machine.state_complete(), Idle);
  ASSERT_EQ(*machine.command(PackMLCommand::Start), Starting);
  ASSERT_EQ(*machine.state_complete(), Execute);
  ASSERT_EQ(*machine.command(PackMLCommand::Hold), Holding);
  ASSERT_EQ(*machine.state_complete(), Held);
  ASSERT_EQ(*machine.command(PackMLCommand::Unhold), Unholding);
  ASSERT_EQ(*machine.state_complete(), Execute);
  ASSERT_EQ(*machine.state_complete(), Completing);
  ASSERT_EQ(*machine.state_complete(), Complete);
  ASSERT_EQ(*machine.command(PackMLCommand::Reset), Resetting);
  EXPECT_EQ(machine.state(), Resetting);
}

TEST(UnitStateMachine, CommandsFollowTheTableAndRefusalsChangeNothing) {
  for (const auto* table : {&test::kBase, &test::kWith2022}) {
    const StateMachineOptions options{.tr88_2022_extensions = table == &test::kWith2022};
    for (const auto& row : *table) {
      for (std::size_t column = 0; column < test::kColumns.size(); ++column) {
        UnitStateMachine machine(row.from, kModeProduction, options);
        const auto result = machine.command(test::kColumns[column]);
        const auto& expected = row.targets[column];
        EXPECT_EQ(result.ok(), expected.has_value());
        EXPECT_EQ(machine.state(), expected.value_or(row.from))
            << to_string(row.from) << " + " << to_string(test::kColumns[column]);
      }
    }
  }
}

TEST(UnitStateMachine, ModeChangeOnlyInStoppedIdleAborted) {
  for (int number = 0; number < kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    UnitStateMachine machine(state);
    const bool expected = state == Stopped || state == Idle || state == Aborted;
    const auto result = machine.change_mode(kModeMaintenance);
    EXPECT_EQ(result.ok(), expected) << to_string(state);
    EXPECT_EQ(machine.mode(), expected ? kModeMaintenance : kModeProduction);
    if (!expected) {
      EXPECT_NE(result.error().message.find(std::string(to_string(state))), std::string::npos);
    }
  }
}

TEST(UnitStateMachine, ModesOutsideOneToThirtyOneAreRefused) {
  UnitStateMachine machine(Stopped);
  EXPECT_FALSE(machine.change_mode(0).ok());
  EXPECT_FALSE(machine.change_mode(32).ok());
  EXPECT_FALSE(machine.change_mode(-1).ok());
  EXPECT_EQ(machine.mode(), kModeProduction);
  EXPECT_TRUE(machine.change_mode(1).ok());
  EXPECT_TRUE(machine.change_mode(31).ok());
  EXPECT_EQ(machine.mode(), 31);
  EXPECT_TRUE(machine.change_mode(kModeManual).ok());
  EXPECT_EQ(machine.mode(), kModeManual);
}

TEST(UnitStateMachine, ObserveAdoptsEveryReportAndFlagsIllegalSteps) {
  UnitStateMachine machine(Stopped);
  EXPECT_TRUE(machine.observe(Resetting));
  EXPECT_TRUE(machine.observe(Idle));
  EXPECT_TRUE(machine.observe(Idle)) << "a repeated report is not an anomaly";
  EXPECT_FALSE(machine.observe(Execute)) << "Idle -> Execute skips Starting";
  EXPECT_EQ(machine.state(), Execute) << "the PLC is the truth";
  EXPECT_TRUE(machine.observe(Aborting));
  EXPECT_TRUE(machine.observe(Aborted));
  EXPECT_FALSE(machine.observe(Stopped)) << "Aborted -> Stopped skips Clearing";
  EXPECT_EQ(machine.state(), Stopped);
}

TEST(UnitStateMachine, ObserveFromUndefinedAcceptsPowerUpStates) {
  UnitStateMachine to_stopped(Undefined);
  EXPECT_TRUE(to_stopped.observe(Stopped));
  UnitStateMachine to_aborted(Undefined);
  EXPECT_TRUE(to_aborted.observe(Aborted));
  UnitStateMachine to_execute(Undefined);
  EXPECT_FALSE(to_execute.observe(Execute));
  EXPECT_EQ(to_execute.state(), Execute);
}

TEST(UnitStateMachine, ObserveUsesTheMachinesOptions) {
  UnitStateMachine base(Suspended);
  EXPECT_FALSE(base.observe(Holding));
  UnitStateMachine extended(Suspended, kModeProduction, {.tr88_2022_extensions = true});
  EXPECT_TRUE(extended.observe(Holding));
}

TEST(UnitStateMachine, ObserveFlagsMatchTheTableForEveryPair) {
  for (const auto& row : test::kBase) {
    for (int to_number = 0; to_number < kStateCount; ++to_number) {
      const auto to = static_cast<PackMLState>(to_number);
      bool expected = to == row.from || test::kStateComplete[static_cast<std::size_t>(row.from)] == to;
      for (const auto& target : row.targets) expected = expected || target == to;
      if (row.from == Undefined) expected = expected || to == Stopped || to == Aborted;
      UnitStateMachine machine(row.from);
      EXPECT_EQ(machine.observe(to), expected) << to_string(row.from) << " -> " << to_string(to);
      EXPECT_EQ(machine.state(), to);
    }
  }
}

}  // namespace
}  // namespace strata::states
