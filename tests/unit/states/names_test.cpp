// PackTags numbers and names of states, commands, modes and state types (standards.md §3.1, §3.2, §3.4).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "states/packml.hpp"

namespace strata::states {
namespace {

struct Named {
  int number;
  std::string_view name;
};

constexpr std::array<Named, 18> kStates{{
    {0, "Undefined"},
    {1, "Clearing"},
    {2, "Stopped"},
    {3, "Starting"},
    {4, "Idle"},
    {5, "Suspended"},
    {6, "Execute"},
    {7, "Stopping"},
    {8, "Aborting"},
    {9, "Aborted"},
    {10, "Holding"},
    {11, "Held"},
    {12, "Unholding"},
    {13, "Suspending"},
    {14, "Unsuspending"},
    {15, "Resetting"},
    {16, "Completing"},
    {17, "Complete"},
}};

constexpr std::array<Named, 11> kCommands{{
    {0, "Undefined"},
    {1, "Reset"},
    {2, "Start"},
    {3, "Stop"},
    {4, "Hold"},
    {5, "Unhold"},
    {6, "Suspend"},
    {7, "Unsuspend"},
    {8, "Abort"},
    {9, "Clear"},
    {10, "Complete"},
}};

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(PackMLNames, StateNumbersAndNamesRoundTrip) {
  for (const auto& [number, name] : kStates) {
    const auto state = state_from_number(number);
    ASSERT_TRUE(state.has_value()) << number;
    EXPECT_EQ(static_cast<int>(*state), number);
    EXPECT_EQ(to_string(*state), name);
    EXPECT_EQ(parse_state(name), state);
    EXPECT_EQ(parse_state(lowercase(name)), state) << "names parse case-insensitively";
  }
  EXPECT_EQ(parse_state("Completed"), PackMLState::Complete) << "LPML spelling";
}

TEST(PackMLNames, CommandNumbersAndNamesRoundTrip) {
  for (const auto& [number, name] : kCommands) {
    const auto command = static_cast<PackMLCommand>(number);
    EXPECT_EQ(to_string(command), name);
    EXPECT_EQ(parse_command(name), command);
    EXPECT_EQ(parse_command(lowercase(name)), command);
    if (number == 0) {
      EXPECT_FALSE(command_from_number(number).has_value()) << "0 means no command requested";
    } else {
      EXPECT_EQ(command_from_number(number), command);
    }
  }
}

TEST(PackMLNames, OutOfRangeNumbersAndUnknownNamesAreRejected) {
  EXPECT_FALSE(state_from_number(-1).has_value());
  EXPECT_FALSE(state_from_number(18).has_value());
  EXPECT_FALSE(state_from_number(19).has_value()) << "OPC 30050 parent state Cleared is not a unit state";
  EXPECT_FALSE(command_from_number(11).has_value());
  EXPECT_FALSE(command_from_number(-3).has_value());
  EXPECT_FALSE(parse_state("Running").has_value());
  EXPECT_FALSE(parse_state("").has_value());
  EXPECT_FALSE(parse_command("Go").has_value());
  EXPECT_FALSE(parse_command("Reset ").has_value());
}

TEST(PackMLNames, Modes) {
  EXPECT_EQ(to_string_mode(1), "Production");
  EXPECT_EQ(to_string_mode(2), "Maintenance");
  EXPECT_EQ(to_string_mode(3), "Manual");
  EXPECT_EQ(to_string_mode(4), "User4");
  EXPECT_EQ(to_string_mode(31), "User31");
  EXPECT_EQ(to_string_mode(0), "Invalid");
  EXPECT_EQ(to_string_mode(32), "Invalid");
  EXPECT_EQ(to_string_mode(-1), "Invalid");
}

TEST(PackMLNames, StateTypes) {
  using enum PackMLState;
  for (auto state : {Stopped, Idle, Suspended, Held, Aborted, Complete}) {
    EXPECT_EQ(state_type(state), StateType::Wait) << to_string(state);
  }
  for (auto state : {Clearing, Starting, Stopping, Aborting, Holding, Unholding, Suspending, Unsuspending,
                     Resetting, Completing}) {
    EXPECT_EQ(state_type(state), StateType::Acting) << to_string(state);
  }
  EXPECT_EQ(state_type(Execute), StateType::Dual);
  EXPECT_EQ(state_type(Undefined), StateType::Undefined);
}

TEST(PackMLNames, MandatoryStates) {
  for (const auto& [number, name] : kStates) {
    const bool expected = name == "Stopped" || name == "Idle" || name == "Execute" || name == "Aborted";
    EXPECT_EQ(is_mandatory(static_cast<PackMLState>(number)), expected) << name;
  }
}

}  // namespace
}  // namespace strata::states
