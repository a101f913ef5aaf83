// State Complete (SC): acting states and Execute move on by themselves; wait states never do.
#include <gtest/gtest.h>

#include "packml_expected_tables.hpp"
#include "states/packml.hpp"

namespace strata::states {
namespace {

TEST(PackMLStateComplete, TargetForEveryState) {
  for (int number = 0; number < kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    EXPECT_EQ(target_of_state_complete(state), test::kStateComplete[static_cast<std::size_t>(number)])
        << to_string(state);
  }
}

TEST(PackMLStateComplete, MachineFollowsStateCompleteOrRefusesInWaitStates) {
  for (int number = 0; number < kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    UnitStateMachine machine(state);
    const auto result = machine.state_complete();
    const auto& expected = test::kStateComplete[static_cast<std::size_t>(number)];
    if (expected) {
      ASSERT_TRUE(result.ok()) << to_string(state);
      EXPECT_EQ(*result, *expected);
      EXPECT_EQ(machine.state(), *expected);
    } else {
      ASSERT_FALSE(result.ok()) << to_string(state);
      EXPECT_NE(result.error().message.find(std::string(to_string(state))), std::string::npos);
      EXPECT_EQ(machine.state(), state) << "a refused SC must not change the state";
    }
  }
}

TEST(PackMLStateComplete, WaitStatesAreExactlyTheOnesWithoutStateComplete) {
  for (int number = 1; number < kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    const bool has_sc = test::kStateComplete[static_cast<std::size_t>(number)].has_value();
    EXPECT_EQ(state_type(state) == StateType::Wait, !has_sc) << to_string(state);
  }
}

}  // namespace
}  // namespace strata::states
