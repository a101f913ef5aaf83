// Every (state, command) pair against the hand-written table, with and without the 2022 additions.
#include <gtest/gtest.h>

#include <string>

#include "packml_expected_tables.hpp"
#include "states/packml.hpp"

namespace strata::states {
namespace {

using test::ExpectedRow;
using test::kColumns;

void expect_table(const std::array<ExpectedRow, 18>& table, const StateMachineOptions& options) {
  for (int number = 0; number < kStateCount; ++number) {
    const auto& row = table[static_cast<std::size_t>(number)];
    ASSERT_EQ(static_cast<int>(row.from), number) << "expected table rows must be in state-number order";
    for (std::size_t column = 0; column < kColumns.size(); ++column) {
      const auto command = kColumns[column];
      SCOPED_TRACE(std::string(to_string(row.from)) + " + " + std::string(to_string(command)));
      const auto result = target_of(row.from, command, options);
      const auto& expected = row.targets[column];
      if (expected) {
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(*result, *expected);
      } else {
        ASSERT_FALSE(result.ok()) << "unexpectedly allowed, target " << to_string(*result);
      }
    }
  }
}

TEST(PackMLTransitionTable, EveryPairWithoutExtensions) {
  expect_table(test::kBase, {});
}

TEST(PackMLTransitionTable, EveryPairWith2022Extensions) {
  expect_table(test::kWith2022, StateMachineOptions{.tr88_2022_extensions = true});
}

TEST(PackMLTransitionTable, UndefinedCommandIsRefusedEverywhere) {
  for (int number = 0; number < kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    EXPECT_FALSE(target_of(state, PackMLCommand::Undefined).ok()) << to_string(state);
    EXPECT_FALSE(target_of(state, PackMLCommand::Undefined, {.tr88_2022_extensions = true}).ok());
  }
}

TEST(PackMLTransitionTable, AllowedCommandsMatchTheTableInCommandNumberOrder) {
  for (const auto* table : {&test::kBase, &test::kWith2022}) {
    const StateMachineOptions options{.tr88_2022_extensions = table == &test::kWith2022};
    for (const auto& row : *table) {
      std::vector<PackMLCommand> expected;
      for (std::size_t column = 0; column < kColumns.size(); ++column) {
        if (row.targets[column]) expected.push_back(kColumns[column]);
      }
      EXPECT_EQ(allowed_commands(row.from, options), expected) << to_string(row.from);
    }
  }
}

TEST(PackMLTransitionTable, AllowedCommandsSpotChecks) {
  using C = PackMLCommand;
  EXPECT_EQ(allowed_commands(PackMLState::Execute), (std::vector<C>{C::Stop, C::Hold, C::Suspend, C::Abort}));
  EXPECT_EQ(allowed_commands(PackMLState::Execute, {.tr88_2022_extensions = true}),
            (std::vector<C>{C::Stop, C::Hold, C::Suspend, C::Abort, C::Complete}));
  EXPECT_EQ(allowed_commands(PackMLState::Aborted), (std::vector<C>{C::Clear}));
  EXPECT_TRUE(allowed_commands(PackMLState::Aborting).empty());
  EXPECT_EQ(allowed_commands(PackMLState::Stopped), (std::vector<C>{C::Reset, C::Abort}));
}

TEST(PackMLTransitionTable, RefusalNamesCommandStateAndAlternatives) {
  const auto refused = target_of(PackMLState::Execute, PackMLCommand::Start);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "Start is not allowed in state Execute (allowed: Stop, Hold, Suspend, Abort)");

  const auto nothing_allowed = target_of(PackMLState::Aborting, PackMLCommand::Clear);
  ASSERT_FALSE(nothing_allowed.ok());
  EXPECT_EQ(nothing_allowed.error().message, "Clear is not allowed in state Aborting (allowed: none)");
}

TEST(PackMLTransitionTable, LegalStepsAreExactlyCommandTargetsStateCompleteAndPowerUp) {
  for (const auto* table : {&test::kBase, &test::kWith2022}) {
    const StateMachineOptions options{.tr88_2022_extensions = table == &test::kWith2022};
    for (const auto& row : *table) {
      for (int to_number = 0; to_number < kStateCount; ++to_number) {
        const auto to = static_cast<PackMLState>(to_number);
        bool expected = test::kStateComplete[static_cast<std::size_t>(row.from)] == to;
        for (const auto& target : row.targets) expected = expected || target == to;
        if (row.from == PackMLState::Undefined) {
          expected = expected || to == PackMLState::Stopped || to == PackMLState::Aborted;
        }
        EXPECT_EQ(is_legal_step(row.from, to, options), expected)
            << to_string(row.from) << " -> " << to_string(to) << " ext=" << options.tr88_2022_extensions;
      }
    }
  }
}

}  // namespace
}  // namespace strata::states
