// The PackML transition table (standards.md §3.3) as data, so the rules read like the standard.
#include <array>
#include <initializer_list>

#include "states/packml.hpp"

namespace strata::states {
namespace {

using StateSet = std::uint32_t;

constexpr StateSet set_of(std::initializer_list<PackMLState> states) {
  StateSet set = 0;
  for (auto state : states) set |= StateSet{1} << static_cast<unsigned>(state);
  return set;
}

constexpr bool contains(StateSet set, PackMLState state) {
  return (set >> static_cast<unsigned>(state) & 1U) != 0;
}

constexpr StateSet kAllStates = (StateSet{1} << kStateCount) - 1;

struct CommandRule {
  PackMLCommand command;
  StateSet from;
  PackMLState to;
  bool tr88_2022_only;
};

using S = PackMLState;
using C = PackMLCommand;

constexpr std::array kCommandRules{
    CommandRule{C::Reset, set_of({S::Stopped, S::Complete}), S::Resetting, false},
    CommandRule{C::Start, set_of({S::Idle}), S::Starting, false},
    CommandRule{C::Stop,
                set_of({S::Resetting, S::Idle, S::Starting, S::Execute, S::Holding, S::Held, S::Unholding,
                        S::Suspending, S::Suspended, S::Unsuspending, S::Completing, S::Complete}),
                S::Stopping, false},
    CommandRule{C::Hold, set_of({S::Execute}), S::Holding, false},
    CommandRule{C::Hold, set_of({S::Suspended}), S::Holding, true},
    CommandRule{C::Unhold, set_of({S::Held}), S::Unholding, false},
    CommandRule{C::Suspend, set_of({S::Execute}), S::Suspending, false},
    CommandRule{C::Unsuspend, set_of({S::Suspended}), S::Unsuspending, false},
    // "ABORTING can be entered at any time": every state but the abort pair itself, Undefined included,
    // because aborting is the safe answer to a machine in an unknown state.
    CommandRule{C::Abort, kAllStates & ~set_of({S::Aborting, S::Aborted}), S::Aborting, false},
    CommandRule{C::Clear, set_of({S::Aborted}), S::Clearing, false},
    CommandRule{C::Complete, set_of({S::Execute, S::Suspended, S::Held}), S::Completing, true},
};

std::optional<PackMLState> find_target(PackMLState from, PackMLCommand command,
                                       const StateMachineOptions& options) {
  for (const auto& rule : kCommandRules) {
    if (rule.command != command || !contains(rule.from, from)) continue;
    if (rule.tr88_2022_only && !options.tr88_2022_extensions) continue;
    return rule.to;
  }
  return std::nullopt;
}

std::string join_commands(const std::vector<PackMLCommand>& commands) {
  if (commands.empty()) return "none";
  std::string text;
  for (auto command : commands) {
    if (!text.empty()) text += ", ";
    text += to_string(command);
  }
  return text;
}

}  // namespace

Result<PackMLState> target_of(PackMLState from, PackMLCommand command, const StateMachineOptions& options) {
  if (auto target = find_target(from, command, options)) return *target;
  return make_error(std::string(to_string(command)) + " is not allowed in state " +
                    std::string(to_string(from)) +
                    " (allowed: " + join_commands(allowed_commands(from, options)) + ")");
}

std::optional<PackMLState> target_of_state_complete(PackMLState from) {
  switch (from) {
    case S::Clearing:
    case S::Stopping:
      return S::Stopped;
    case S::Starting:
    case S::Unholding:
    case S::Unsuspending:
      return S::Execute;
    case S::Execute:
      return S::Completing;
    case S::Aborting:
      return S::Aborted;
    case S::Holding:
      return S::Held;
    case S::Suspending:
      return S::Suspended;
    case S::Resetting:
      return S::Idle;
    case S::Completing:
      return S::Complete;
    default:
      return std::nullopt;
  }
}

std::vector<PackMLCommand> allowed_commands(PackMLState from, const StateMachineOptions& options) {
  std::vector<PackMLCommand> commands;
  for (int number = 1; number < kCommandCount; ++number) {
    const auto command = static_cast<PackMLCommand>(number);
    if (find_target(from, command, options)) commands.push_back(command);
  }
  return commands;
}

bool is_legal_step(PackMLState from, PackMLState to, const StateMachineOptions& options) {
  // Power-up leaves Undefined for Stopped or Aborted (OPC 30050 initial state) without a command.
  if (from == S::Undefined && (to == S::Stopped || to == S::Aborted)) return true;
  if (target_of_state_complete(from) == to) return true;
  for (int number = 1; number < kCommandCount; ++number) {
    if (find_target(from, static_cast<PackMLCommand>(number), options) == to) return true;
  }
  return false;
}

}  // namespace strata::states
