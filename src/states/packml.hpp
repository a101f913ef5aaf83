#pragma once
// PackML (ISA-TR88.00.02) unit state machine: 17 states and 10 commands with the PackTags numbers
// (shared/reference/standards.md §3). Used both to drive the simulator and to derive a unit's state
// from a PLC state tag.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace strata::states {

enum class PackMLState : std::uint8_t {
  Undefined = 0,
  Clearing = 1,
  Stopped = 2,
  Starting = 3,
  Idle = 4,
  Suspended = 5,
  Execute = 6,
  Stopping = 7,
  Aborting = 8,
  Aborted = 9,
  Holding = 10,
  Held = 11,
  Unholding = 12,
  Suspending = 13,
  Unsuspending = 14,
  Resetting = 15,
  Completing = 16,
  Complete = 17,
};

enum class PackMLCommand : std::uint8_t {
  Undefined = 0,
  Reset = 1,
  Start = 2,
  Stop = 3,
  Hold = 4,
  Unhold = 5,
  Suspend = 6,
  Unsuspend = 7,
  Abort = 8,
  Clear = 9,
  Complete = 10,
};

// Unit modes: 1..3 are standard, 4..31 user-defined (kept as a number).
using UnitMode = std::int32_t;
constexpr UnitMode kModeInvalid = 0;
constexpr UnitMode kModeProduction = 1;
constexpr UnitMode kModeMaintenance = 2;
constexpr UnitMode kModeManual = 3;
constexpr UnitMode kMaxUnitMode = 31;

enum class StateType : std::uint8_t { Undefined, Wait, Acting, Dual };

constexpr int kStateCount = 18;    // 0..17
constexpr int kCommandCount = 11;  // 0..10

[[nodiscard]] std::string_view to_string(PackMLState state);
[[nodiscard]] std::string_view to_string(PackMLCommand command);
[[nodiscard]] std::string to_string_mode(UnitMode mode);  // "Production", "Maintenance", "Manual", "User4"...
[[nodiscard]] std::optional<PackMLState> parse_state(std::string_view name);      // case-insensitive name
[[nodiscard]] std::optional<PackMLCommand> parse_command(std::string_view name);  // case-insensitive name
[[nodiscard]] std::optional<PackMLState> state_from_number(std::int64_t number);    // 0..17
[[nodiscard]] std::optional<PackMLCommand> command_from_number(std::int64_t number);  // 1..10
[[nodiscard]] StateType state_type(PackMLState state);
[[nodiscard]] bool is_mandatory(PackMLState state);  // Stopped, Idle, Execute, Aborted

struct StateMachineOptions {
  // TR88.00.02-2022 additions: Hold from Suspended; Complete command from Execute/Suspended/Held.
  bool tr88_2022_extensions = false;
};

// Target of a command in a state per the transition table, or an error saying why it is refused.
[[nodiscard]] Result<PackMLState> target_of(PackMLState from, PackMLCommand command,
                                             const StateMachineOptions& options = {});
// Target of State Complete (SC) for acting states and Execute (end of job -> Completing); none for waits.
[[nodiscard]] std::optional<PackMLState> target_of_state_complete(PackMLState from);
// Commands accepted in a state, in command-number order.
[[nodiscard]] std::vector<PackMLCommand> allowed_commands(PackMLState from, const StateMachineOptions& options = {});
// Whether going from -> to is a single legal step (by any command or by SC).
[[nodiscard]] bool is_legal_step(PackMLState from, PackMLState to, const StateMachineOptions& options = {});

// One unit's machine: its state and mode, with mode changes allowed only in Stopped, Idle, Aborted.
class UnitStateMachine {
 public:
  explicit UnitStateMachine(PackMLState initial = PackMLState::Stopped, UnitMode mode = kModeProduction,
                            StateMachineOptions options = {});

  [[nodiscard]] PackMLState state() const { return state_; }
  [[nodiscard]] UnitMode mode() const { return mode_; }

  // Applies a command; on refusal nothing changes and the error says why.
  Result<PackMLState> command(PackMLCommand command);
  // Completes the current acting state (or ends Execute); refused in wait states.
  Result<PackMLState> state_complete();
  // Unit mode change; refused outside Stopped, Idle, Aborted and for modes outside 1..31.
  Result<void> change_mode(UnitMode mode);
  // A state reported by a PLC: always adopted (the PLC is the truth); returns false when the step
  // was not a legal single transition, so the caller can record the anomaly.
  bool observe(PackMLState reported);

 private:
  PackMLState state_;
  UnitMode mode_;
  StateMachineOptions options_;
};

}  // namespace strata::states
