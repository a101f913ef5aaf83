// Names and numbers of PackML states, commands and unit modes (standards.md §3.1, §3.2, §3.4).
#include <algorithm>
#include <array>
#include <cctype>

#include "states/packml.hpp"

namespace strata::states {
namespace {

// Indexed by the PackTags number, so the number is the index and no search is needed to print.
constexpr std::array<std::string_view, kStateCount> kStateNames{
    "Undefined", "Clearing",   "Stopped",      "Starting",  "Idle",       "Suspended",
    "Execute",   "Stopping",   "Aborting",     "Aborted",   "Holding",    "Held",
    "Unholding", "Suspending", "Unsuspending", "Resetting", "Completing", "Complete",
};

constexpr std::array<std::string_view, kCommandCount> kCommandNames{
    "Undefined", "Reset",     "Start", "Stop",  "Hold",     "Unhold",
    "Suspend",   "Unsuspend", "Abort", "Clear", "Complete",
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view to_string(PackMLState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : kStateNames[0];
}

std::string_view to_string(PackMLCommand command) {
  const auto index = static_cast<std::size_t>(command);
  return index < kCommandNames.size() ? kCommandNames[index] : kCommandNames[0];
}

std::string to_string_mode(UnitMode mode) {
  switch (mode) {
    case kModeProduction:
      return "Production";
    case kModeMaintenance:
      return "Maintenance";
    case kModeManual:
      return "Manual";
    default:
      break;
  }
  if (mode > kModeManual && mode <= kMaxUnitMode) return "User" + std::to_string(mode);
  return "Invalid";
}

std::optional<PackMLState> parse_state(std::string_view name) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i) {
    if (equals_ignoring_case(name, kStateNames[i])) return static_cast<PackMLState>(i);
  }
  // LPML spells state 17 "Completed"; accept it so PLC exports using that name parse.
  if (equals_ignoring_case(name, "Completed")) return PackMLState::Complete;
  return std::nullopt;
}

std::optional<PackMLCommand> parse_command(std::string_view name) {
  for (std::size_t i = 0; i < kCommandNames.size(); ++i) {
    if (equals_ignoring_case(name, kCommandNames[i])) return static_cast<PackMLCommand>(i);
  }
  return std::nullopt;
}

std::optional<PackMLState> state_from_number(std::int64_t number) {
  if (number < 0 || number >= kStateCount) return std::nullopt;
  return static_cast<PackMLState>(number);
}

std::optional<PackMLCommand> command_from_number(std::int64_t number) {
  // 0 (Undefined) is "no command requested" in Command.CntrlCmd, not a command one can issue.
  if (number < 1 || number >= kCommandCount) return std::nullopt;
  return static_cast<PackMLCommand>(number);
}

StateType state_type(PackMLState state) {
  switch (state) {
    case PackMLState::Stopped:
    case PackMLState::Idle:
    case PackMLState::Suspended:
    case PackMLState::Held:
    case PackMLState::Aborted:
    case PackMLState::Complete:
      return StateType::Wait;
    case PackMLState::Clearing:
    case PackMLState::Starting:
    case PackMLState::Stopping:
    case PackMLState::Aborting:
    case PackMLState::Holding:
    case PackMLState::Unholding:
    case PackMLState::Suspending:
    case PackMLState::Unsuspending:
    case PackMLState::Resetting:
    case PackMLState::Completing:
      return StateType::Acting;
    case PackMLState::Execute:
      return StateType::Dual;
    case PackMLState::Undefined:
      break;
  }
  return StateType::Undefined;
}

bool is_mandatory(PackMLState state) {
  return state == PackMLState::Stopped || state == PackMLState::Idle || state == PackMLState::Execute ||
         state == PackMLState::Aborted;
}

}  // namespace strata::states
