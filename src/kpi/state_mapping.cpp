#include "kpi/state_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace strata::kpi {
namespace {

using states::PackMLState;

std::size_t index_of(PackMLState state) {
  return static_cast<std::size_t>(state);
}

TimeCategory default_category(PackMLState state) {
  switch (state) {
    case PackMLState::Execute:
      return TimeCategory::Setup;  // Production mode is the exception, set in the constructor
    case PackMLState::Held:
    case PackMLState::Holding:
    case PackMLState::Unholding:
    case PackMLState::Suspended:
    case PackMLState::Suspending:
    case PackMLState::Unsuspending:
    case PackMLState::Aborting:
    case PackMLState::Aborted:
    case PackMLState::Clearing:
      return TimeCategory::Delay;
    case PackMLState::Stopped:
    case PackMLState::Stopping:
    case PackMLState::Idle:
    case PackMLState::Resetting:
    case PackMLState::Starting:
    case PackMLState::Completing:
    case PackMLState::Complete:
      return TimeCategory::Down;
    case PackMLState::Undefined:
      break;
  }
  return TimeCategory::NotCounted;
}

}  // namespace

std::string_view to_string(TimeCategory category) {
  switch (category) {
    case TimeCategory::Production:
      return "Production";
    case TimeCategory::Setup:
      return "Setup";
    case TimeCategory::Delay:
      return "Delay";
    case TimeCategory::Down:
      return "Down";
    case TimeCategory::NotCounted:
      break;
  }
  return "NotCounted";
}

std::optional<TimeCategory> parse_time_category(std::string_view name) {
  std::string lower;
  for (const char c : name) {
    if (c != '_') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const auto category : {TimeCategory::Production, TimeCategory::Setup, TimeCategory::Delay,
                              TimeCategory::Down, TimeCategory::NotCounted}) {
    std::string candidate(to_string(category));
    std::transform(candidate.begin(), candidate.end(), candidate.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (candidate == lower) return category;
  }
  return std::nullopt;
}

Result<StateMapping> mapping_from_rules(const std::vector<model::TimeMappingRule>& rules) {
  StateMapping mapping;
  for (const bool with_mode : {false, true}) {
    for (const auto& rule : rules) {
      if (rule.mode.has_value() != with_mode) continue;
      const auto state = states::parse_state(rule.state);
      if (!state) return make_error("unknown PackML state '" + rule.state + "' in a time mapping rule");
      const auto category = parse_time_category(rule.category);
      if (!category) {
        return make_error("unknown time category '" + rule.category +
                          "' (expected one of: " + std::string(kTimeCategoryNames) + ")");
      }
      if (!with_mode) {
        mapping.set(*state, *category);
      } else if (auto set = mapping.set(*state, *rule.mode, *category); !set) {
        return set.error();
      }
    }
  }
  return mapping;
}

StateMapping::StateMapping() {
  for (int number = 0; number < states::kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    set(state, default_category(state));
  }
  by_state_and_mode_[index_of(PackMLState::Execute)][static_cast<std::size_t>(states::kModeProduction)] =
      TimeCategory::Production;
}

TimeCategory StateMapping::category(PackMLState state, states::UnitMode mode) const {
  const std::size_t row = index_of(state);
  if (row >= by_state_.size()) {
    return TimeCategory::NotCounted;  // not a PackML state number: as unknown as Undefined
  }
  if (mode < 0 || mode > states::kMaxUnitMode) {
    return by_state_[row];
  }
  return by_state_and_mode_[row][static_cast<std::size_t>(mode)];
}

void StateMapping::set(PackMLState state, TimeCategory category) {
  const std::size_t row = index_of(state);
  if (row >= by_state_.size()) {
    return;  // not a PackML state: category() already reports it as NotCounted
  }
  by_state_[row] = category;
  by_state_and_mode_[row].fill(category);
}

Result<void> StateMapping::set(PackMLState state, states::UnitMode mode, TimeCategory category) {
  if (mode < 0 || mode > states::kMaxUnitMode) {
    return make_error("unit mode " + std::to_string(mode) + " is outside 0.." +
                      std::to_string(states::kMaxUnitMode));
  }
  if (index_of(state) >= by_state_.size()) {
    return make_error("PackML state " + std::to_string(index_of(state)) + " does not exist");
  }
  by_state_and_mode_[index_of(state)][static_cast<std::size_t>(mode)] = category;
  return {};
}

}  // namespace strata::kpi
