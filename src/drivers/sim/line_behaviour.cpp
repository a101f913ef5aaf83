// What a simulated unit does in one step: produce through the buffers, fault, recover, and follow
// the PackML cycle the way an automatic line does (reset and start by itself, suspend when starved
// or blocked) unless an operator took over.
#include <algorithm>
#include <cmath>
#include <limits>

#include "drivers/sim/line_simulator.hpp"

namespace strata::sim {

using states::PackMLCommand;
using states::PackMLState;

namespace {

constexpr double kStepSeconds = static_cast<double>(LineSimulator::kStep) / kMicrosPerSecond;
constexpr Timestamp kSpeedResamplePeriod = kMicrosPerSecond;
constexpr std::uint64_t kFaultCodeCount = 20;
// Buffers are fractional; below this they count as empty, within it of capacity as full.
constexpr double kBufferTolerance = 1e-9;

// How long each acting state takes on a typical packaging machine: a few seconds.
Timestamp acting_duration(PackMLState state) {
  switch (state) {
    case PackMLState::Clearing:
      return 3 * kMicrosPerSecond;
    case PackMLState::Starting:
      return 4 * kMicrosPerSecond;
    case PackMLState::Stopping:
      return 2 * kMicrosPerSecond;
    case PackMLState::Aborting:
      return 1 * kMicrosPerSecond;
    case PackMLState::Holding:
      return 1 * kMicrosPerSecond;
    case PackMLState::Unholding:
      return 2 * kMicrosPerSecond;
    case PackMLState::Suspending:
      return 500 * kMicrosPerMilli;
    case PackMLState::Unsuspending:
      return 1 * kMicrosPerSecond;
    case PackMLState::Resetting:
      return 3 * kMicrosPerSecond;
    case PackMLState::Completing:
      return 2 * kMicrosPerSecond;
    default:
      return 0;
  }
}

Timestamp to_micros(double seconds) {
  return static_cast<Timestamp>(std::llround(seconds * static_cast<double>(kMicrosPerSecond)));
}

}  // namespace

void LineSimulator::step() {
  now_ += kStep;
  for (std::size_t i = 0; i < units_.size(); ++i) {
    auto& unit = units_[i];
    const auto state = unit.machine.state();
    unit.time_in_state[static_cast<std::size_t>(state)] += kStep;
    if (state == PackMLState::Execute) produce(i);
    decide(i);
  }
}

void LineSimulator::produce(std::size_t index) {
  auto& unit = units_[index];
  double output = unit.speed / 60.0 * kStepSeconds;
  if (index > 0) output = std::min(output, buffers_[index - 1].level);
  if (index < buffers_.size()) output = std::min(output, buffers_[index].capacity - buffers_[index].level);
  output = std::max(0.0, output);
  if (index > 0) buffers_[index - 1].level -= output;
  if (index < buffers_.size()) buffers_[index].level += output;

  unit.produced += output;
  const auto whole = static_cast<std::int64_t>(std::floor(unit.produced));
  while (unit.processed < whole) {
    ++unit.processed;
    if (rng_.uniform() < unit.profile.reject_ratio) ++unit.defective;
  }
}

void LineSimulator::decide(std::size_t index) {
  auto& unit = units_[index];
  const auto state = unit.machine.state();
  if (unit.pending_fault != Fault::None) unit.repair_left -= kStep;

  if (states::state_type(state) == states::StateType::Acting) {
    unit.acting_left -= kStep;
    if (unit.acting_left <= 0) apply(unit, unit.machine.state_complete());
    return;
  }

  const bool upstream_down = index > 0 && units_[index - 1].machine.state() != PackMLState::Execute;
  const bool downstream_down =
      index + 1 < units_.size() && units_[index + 1].machine.state() != PackMLState::Execute;

  switch (state) {
    case PackMLState::Stopped:
    case PackMLState::Complete:
      if (unit.auto_run) apply(unit, unit.machine.command(PackMLCommand::Reset));
      break;
    case PackMLState::Idle:
      if (unit.auto_run) apply(unit, unit.machine.command(PackMLCommand::Start));
      break;
    case PackMLState::Aborted:
      if (unit.pending_fault == Fault::Abort && unit.repair_left <= 0) unit.pending_fault = Fault::None;
      if (unit.pending_fault == Fault::None && unit.auto_run)
        apply(unit, unit.machine.command(PackMLCommand::Clear));
      break;
    case PackMLState::Held:
      if (unit.pending_fault == Fault::Hold && unit.repair_left <= 0) unit.pending_fault = Fault::None;
      if (unit.pending_fault == Fault::None && !unit.operator_held) {
        apply(unit, unit.machine.command(PackMLCommand::Unhold));
      }
      break;
    case PackMLState::Suspended: {
      const bool still_waiting = unit.suspend_cause == SuspendCause::Operator ||
                                 (unit.suspend_cause == SuspendCause::Starved && upstream_down) ||
                                 (unit.suspend_cause == SuspendCause::Blocked && downstream_down);
      if (!still_waiting) apply(unit, unit.machine.command(PackMLCommand::Unsuspend));
      break;
    }
    case PackMLState::Execute: {
      unit.next_fault_in -= kStep;
      unit.speed_resample_left -= kStep;
      if (unit.speed_resample_left <= 0) sample_speed(unit);
      // A short upstream or downstream stop only matters once the buffer between them ran empty or full.
      const bool starved = upstream_down && buffers_[index - 1].level <= kBufferTolerance;
      const bool blocked =
          downstream_down && buffers_[index].level >= buffers_[index].capacity - kBufferTolerance;
      if (unit.next_fault_in <= 0) {
        fault(unit);
      } else if (starved || blocked) {
        apply(unit, unit.machine.command(PackMLCommand::Suspend));
        unit.suspend_cause = starved ? SuspendCause::Starved : SuspendCause::Blocked;
      }
      break;
    }
    default:
      break;
  }
}

void LineSimulator::fault(Unit& unit) {
  ++unit.faults;
  const auto code = kFirstFaultCode + static_cast<std::int64_t>(rng_.below(kFaultCodeCount));
  if (unit.stop_reason == 0) unit.stop_reason = code;  // first out: later events do not overwrite it
  const bool hold = rng_.uniform() < unit.profile.hold_ratio;
  unit.pending_fault = hold ? Fault::Hold : Fault::Abort;
  unit.repair_left = std::max(kStep, to_micros(rng_.exponential(unit.profile.mean_time_to_repair)));
  unit.next_fault_in = draw_time_to_fault(unit.profile);
  apply(unit, unit.machine.command(hold ? PackMLCommand::Hold : PackMLCommand::Abort));
}

void LineSimulator::apply(Unit& unit, Result<PackMLState> transition) {
  // The sequencer only issues commands legal in the current state; a refusal would be a simulator bug
  // and leaving the unit where it is keeps the run going.
  if (transition) enter(unit, *transition);
}

void LineSimulator::enter(Unit& unit, PackMLState state) {
  unit.acting_left = acting_duration(state);
  if (state == PackMLState::Execute) {
    unit.stop_reason = 0;
    sample_speed(unit);
  }
  if (state != PackMLState::Suspending && state != PackMLState::Suspended)
    unit.suspend_cause = SuspendCause::None;
}

void LineSimulator::sample_speed(Unit& unit) {
  const double jitter = unit.profile.speed_jitter * (2.0 * rng_.uniform() - 1.0);
  unit.speed = std::max(0.0, unit.profile.design_speed * (1.0 + jitter));
  unit.speed_resample_left = kSpeedResamplePeriod;
}

Timestamp LineSimulator::draw_time_to_fault(const model::SimulationProfile& profile) {
  if (!(profile.mean_time_between_faults > 0.0)) return std::numeric_limits<Timestamp>::max();
  return std::max(kStep, to_micros(rng_.exponential(profile.mean_time_between_faults)));
}

}  // namespace strata::sim
