// One unit's PackML state and mode, driven by commands, state completion or PLC observations.
#include "states/packml.hpp"

namespace strata::states {

UnitStateMachine::UnitStateMachine(PackMLState initial, UnitMode mode, StateMachineOptions options)
    : state_(initial), mode_(mode), options_(options) {}

Result<PackMLState> UnitStateMachine::command(PackMLCommand command) {
  auto target = target_of(state_, command, options_);
  if (target) state_ = *target;
  return target;
}

Result<PackMLState> UnitStateMachine::state_complete() {
  const auto target = target_of_state_complete(state_);
  if (!target) {
    return make_error("State complete is not possible in state " + std::string(to_string(state_)) +
                      " (only acting states and Execute complete)");
  }
  state_ = *target;
  return *target;
}

Result<void> UnitStateMachine::change_mode(UnitMode mode) {
  if (mode < kModeProduction || mode > kMaxUnitMode) {
    return make_error("Unit mode " + std::to_string(mode) + " is out of range (1.." +
                      std::to_string(kMaxUnitMode) + ")");
  }
  // TR88-2022 default ModeTransitionCfg: a mode change mid-production would change the meaning of
  // the running states, so it is only allowed where the unit is at rest.
  if (state_ != PackMLState::Stopped && state_ != PackMLState::Idle && state_ != PackMLState::Aborted) {
    return make_error("Mode change to " + to_string_mode(mode) + " is not allowed in state " +
                      std::string(to_string(state_)) + " (allowed in: Stopped, Idle, Aborted)");
  }
  mode_ = mode;
  return {};
}

bool UnitStateMachine::observe(PackMLState reported) {
  // Repeating the current state is a refresh, not a step, so it is never an anomaly.
  const bool legal = reported == state_ || is_legal_step(state_, reported, options_);
  state_ = reported;
  return legal;
}

}  // namespace strata::states
