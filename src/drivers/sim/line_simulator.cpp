// Construction, operator commands and tag reporting of the line simulator; the per-step behaviour
// lives in line_behaviour.cpp.
#include "drivers/sim/line_simulator.hpp"

#include <algorithm>
#include <cmath>

namespace strata::sim {

using states::PackMLCommand;
using states::PackMLState;

namespace {

// Thirty seconds of the downstream unit's design output: short stops are absorbed, long ones ripple.
constexpr double kBufferSeconds = 30.0;

model::Value convert(const model::Value& raw, model::TagType type, const UnitSignals& signals,
                     Signal signal) {
  const double number = model::as_number(raw).value_or(0.0);
  switch (type) {
    case model::TagType::Bool:
      return number != 0.0;
    case model::TagType::Int32:
    case model::TagType::Int64:
      return static_cast<std::int64_t>(std::llround(number));
    case model::TagType::Float32:
    case model::TagType::Float64:
      return number;
    case model::TagType::String:
      if (signal == Signal::State) return std::string(states::to_string(signals.state));
      if (std::holds_alternative<bool>(raw)) return std::string(number != 0.0 ? "true" : "false");
      if (std::holds_alternative<double>(raw)) return std::to_string(number);
      return std::to_string(static_cast<std::int64_t>(std::llround(number)));
  }
  return raw;
}

}  // namespace

LineSimulator::LineSimulator(const model::Plant& plant, const model::WorkCenter& line, std::uint64_t seed,
                             Timestamp start)
    : line_id_(line.id), rng_(seed), now_(start) {
  units_.reserve(line.units.size());
  for (const auto& work_unit : line.units) {
    Unit unit;
    unit.id = work_unit.id;
    unit.local_id = work_unit.local_id;
    unit.profile = work_unit.simulation;
    unit.next_fault_in = draw_time_to_fault(unit.profile);
    units_.push_back(std::move(unit));
  }
  for (std::size_t i = 0; i + 1 < units_.size(); ++i) {
    const double capacity = std::max(1.0, units_[i + 1].profile.design_speed / 60.0 * kBufferSeconds);
    // Half full: the line can absorb a short stop both upstream and downstream from the start.
    buffers_.push_back(Buffer{.level = capacity / 2.0, .capacity = capacity});
  }
  for (std::size_t u = 0; u < line.units.size(); ++u) {
    for (auto index : line.units[u].tags) {
      if (index >= plant.tags.size()) continue;
      const auto& definition = plant.tags[index].definition;
      // Unknown signals are skipped here; validate() reports them before a run.
      if (auto signal = parse_signal(sim_signal_name(definition.source))) {
        tags_.push_back(
            SimTag{.index = index, .unit = u, .signal = *signal, .type = definition.type, .last = {}});
      }
    }
  }
}

std::vector<model::TagUpdate> LineSimulator::advance_to(Timestamp now) {
  std::vector<model::TagUpdate> updates;
  if (!reported_once_) {
    collect_changes(updates, true);
    reported_once_ = true;
  }
  while (now_ + kStep <= now) {
    step();
    collect_changes(updates, false);
  }
  return updates;
}

void LineSimulator::run_to(Timestamp now) {
  while (now_ + kStep <= now) step();
}

Result<void> LineSimulator::command(std::string_view unit_id, PackMLCommand command) {
  const auto found = find_unit(unit_id);
  if (!found) return make_error("unit " + std::string(unit_id) + " is not simulated in line " + line_id_);
  auto& unit = units_[*found];
  auto transition = unit.machine.command(command);
  if (!transition) return make_error(unit.id + ": " + transition.error().message);

  // Record the operator's intent so the automatic sequencing does not undo it.
  switch (command) {
    case PackMLCommand::Reset:
    case PackMLCommand::Start:
      unit.auto_run = true;
      break;
    case PackMLCommand::Stop:
    case PackMLCommand::Abort:
    case PackMLCommand::Complete:
      unit.auto_run = false;
      unit.operator_held = false;
      unit.pending_fault = Fault::None;
      break;
    case PackMLCommand::Hold:
      unit.operator_held = true;
      break;
    case PackMLCommand::Unhold:
      unit.operator_held = false;
      unit.pending_fault = Fault::None;
      break;
    case PackMLCommand::Clear:
      unit.pending_fault = Fault::None;
      break;
    case PackMLCommand::Suspend:
    case PackMLCommand::Unsuspend:
    case PackMLCommand::Undefined:
      break;
  }
  enter(unit, *transition);
  if (command == PackMLCommand::Suspend) unit.suspend_cause = SuspendCause::Operator;
  return {};
}

std::optional<UnitSignals> LineSimulator::signals(std::string_view unit_id) const {
  const auto found = find_unit(unit_id);
  if (!found) return std::nullopt;
  return signals_of(*found);
}

std::vector<UnitSimulationSummary> LineSimulator::summary() const {
  std::vector<UnitSimulationSummary> result;
  for (const auto& unit : units_) {
    UnitSimulationSummary entry{.unit_id = unit.id,
                                .line_id = line_id_,
                                .processed = unit.processed,
                                .defective = unit.defective,
                                .faults = unit.faults};
    for (std::size_t s = 0; s < unit.time_in_state.size(); ++s) {
      entry.seconds_in_state[s] = static_cast<double>(unit.time_in_state[s]) / kMicrosPerSecond;
    }
    result.push_back(std::move(entry));
  }
  return result;
}

std::optional<std::size_t> LineSimulator::find_unit(std::string_view unit_id) const {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    // The local id ("filler") is accepted too: it is unique within a line and shorter to type.
    if (units_[i].id == unit_id || units_[i].local_id == unit_id) return i;
  }
  return std::nullopt;
}

UnitSignals LineSimulator::signals_of(std::size_t index) const {
  const auto& unit = units_[index];
  const auto state = unit.machine.state();
  const bool suspended = state == PackMLState::Suspending || state == PackMLState::Suspended;
  return UnitSignals{
      .state = state,
      .mode = unit.machine.mode(),
      .speed = state == PackMLState::Execute ? unit.speed : 0.0,
      .processed = unit.processed,
      .defective = unit.defective,
      .blocked = suspended && unit.suspend_cause == SuspendCause::Blocked,
      .starved = suspended && unit.suspend_cause == SuspendCause::Starved,
      .stop_reason = unit.stop_reason,
  };
}

model::Value LineSimulator::value_of(const SimTag& tag) const {
  const auto signals = signals_of(tag.unit);
  model::Value raw;
  switch (tag.signal) {
    case Signal::State:
      raw = static_cast<std::int64_t>(signals.state);
      break;
    case Signal::Mode:
      raw = static_cast<std::int64_t>(signals.mode);
      break;
    case Signal::Speed:
      raw = signals.speed;
      break;
    case Signal::Processed:
      raw = signals.processed;
      break;
    case Signal::Defective:
      raw = signals.defective;
      break;
    case Signal::Blocked:
      raw = signals.blocked;
      break;
    case Signal::Starved:
      raw = signals.starved;
      break;
    case Signal::StopReason:
      raw = signals.stop_reason;
      break;
  }
  return convert(raw, tag.type, signals, tag.signal);
}

void LineSimulator::collect_changes(std::vector<model::TagUpdate>& out, bool everything) {
  for (auto& tag : tags_) {
    auto value = value_of(tag);
    if (!everything && value == tag.last) continue;
    tag.last = value;
    out.push_back(model::TagUpdate{
        .tag = tag.index, .value = std::move(value), .quality = model::Quality::Good, .source_time = now_});
  }
}

Result<void> LineSimulator::validate(const model::Plant& plant) {
  std::string problems;
  bool unknown_signal = false;
  const auto add = [&problems](const std::string& problem) {
    if (!problems.empty()) problems += "; ";
    problems += problem;
  };
  for (const auto& tag : plant.tags) {
    // `simulate` names the signal standing in for a real source when the plant is staged.
    if (!tag.definition.simulate.empty() && !parse_signal(tag.definition.simulate)) {
      add("tag " + tag.id + " has unknown simulate signal '" + tag.definition.simulate + "'");
      unknown_signal = true;
    }
    if (model::source_scheme(tag.definition.source) != "sim") continue;
    if (!parse_signal(sim_signal_name(tag.definition.source))) {
      add("tag " + tag.id + " has unknown simulator signal '" + tag.definition.source + "'");
      unknown_signal = true;
    }
  }
  for (const auto* unit : plant.units()) {
    const auto& p = unit->simulation;
    const auto is_non_negative = [](double v) { return std::isfinite(v) && v >= 0.0; };
    const auto is_share = [&](double v) { return is_non_negative(v) && v <= 1.0; };
    if (!is_non_negative(p.design_speed) || !is_non_negative(p.mean_time_between_faults) ||
        !is_non_negative(p.mean_time_to_repair) || !is_share(p.reject_ratio) || !is_share(p.hold_ratio) ||
        !is_share(p.speed_jitter)) {
      add("unit " + unit->id +
          " has an implausible simulation profile (speeds and times must be >= 0, ratios and jitter in "
          "0..1)");
    }
  }
  if (problems.empty()) return {};
  if (unknown_signal) problems += " (known signals: " + known_signal_names() + ")";
  return make_error(problems);
}

}  // namespace strata::sim
