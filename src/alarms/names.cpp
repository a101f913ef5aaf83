#include "alarms/names.hpp"

#include <fmt/format.h>

#include "common/name_table.hpp"

namespace strata::alarms {
namespace {

using model::AlarmKind;

constexpr NameTable<AlarmKind, 8> kKindNames{{
    {AlarmKind::High, "high"},
    {AlarmKind::HighHigh, "high_high"},
    {AlarmKind::Low, "low"},
    {AlarmKind::LowLow, "low_low"},
    {AlarmKind::Deviation, "deviation"},
    {AlarmKind::Discrete, "discrete"},
    {AlarmKind::RateOfChange, "rate_of_change"},
    {AlarmKind::PackMLFault, "packml_fault"},
}};

constexpr NameTable<AlarmState, 9> kStateNames{{
    {AlarmState::Normal, "Normal"},
    {AlarmState::Unacknowledged, "Unacknowledged"},
    {AlarmState::Acknowledged, "Acknowledged"},
    {AlarmState::ReturnedUnacknowledged, "ReturnedUnacknowledged"},
    {AlarmState::LatchedUnacknowledged, "LatchedUnacknowledged"},
    {AlarmState::LatchedAcknowledged, "LatchedAcknowledged"},
    {AlarmState::Shelved, "Shelved"},
    {AlarmState::SuppressedByDesign, "SuppressedByDesign"},
    {AlarmState::OutOfService, "OutOfService"},
}};

constexpr NameTable<ShelveKind, 3> kShelveNames{{
    {ShelveKind::None, "none"},
    {ShelveKind::Timed, "timed"},
    {ShelveKind::OneShot, "one_shot"},
}};

constexpr NameTable<AlarmAction, 12> kActionNames{{
    {AlarmAction::ConditionActive, "condition_active"},
    {AlarmAction::ConditionCleared, "condition_cleared"},
    {AlarmAction::Suppress, "suppress"},
    {AlarmAction::Unsuppress, "unsuppress"},
    {AlarmAction::ShelveExpired, "shelve_expired"},
    {AlarmAction::OneShotShelveEnded, "one_shot_shelve_ended"},
    {AlarmAction::Acknowledge, "acknowledge"},
    {AlarmAction::Shelve, "shelve"},
    {AlarmAction::Unshelve, "unshelve"},
    {AlarmAction::RemoveFromService, "remove_from_service"},
    {AlarmAction::ReturnToService, "return_to_service"},
    {AlarmAction::Reset, "reset"},
}};

}  // namespace

std::string_view to_string(AlarmKind kind) {
  return name_of(kKindNames, kind, "unknown");
}
std::optional<AlarmKind> parse_alarm_kind(std::string_view name) {
  return value_of(kKindNames, name);
}
std::string_view to_string(AlarmState state) {
  return name_of(kStateNames, state, "unknown");
}
std::optional<AlarmState> parse_alarm_state(std::string_view name) {
  return value_of(kStateNames, name);
}
std::string_view to_string(ShelveKind kind) {
  return name_of(kShelveNames, kind, "unknown");
}
std::optional<ShelveKind> parse_shelve_kind(std::string_view name) {
  return value_of(kShelveNames, name);
}
std::string_view to_string(AlarmAction action) {
  return name_of(kActionNames, action, "unknown");
}
std::optional<AlarmAction> parse_alarm_action(std::string_view name) {
  return value_of(kActionNames, name);
}

std::string describe_duration(Timestamp micros) {
  if (micros <= 0) return "0s";
  if (micros < kMicrosPerSecond) {
    if (micros % kMicrosPerMilli == 0) return fmt::format("{}ms", micros / kMicrosPerMilli);
    return fmt::format("{}us", micros);
  }
  constexpr Timestamp kMinute = 60 * kMicrosPerSecond;
  constexpr Timestamp kHour = 60 * kMinute;
  constexpr Timestamp kDay = 24 * kHour;
  std::string text;
  const auto part = [&](Timestamp unit, char suffix) {
    if (micros < unit) return;
    text += fmt::format("{}{}", micros / unit, suffix);
    micros %= unit;
  };
  part(kDay, 'd');
  part(kHour, 'h');
  part(kMinute, 'm');
  if (micros == 0) return text;
  if (micros % kMicrosPerSecond == 0) return text + fmt::format("{}s", micros / kMicrosPerSecond);
  return text + fmt::format("{:g}s", static_cast<double>(micros) / static_cast<double>(kMicrosPerSecond));
}

}  // namespace strata::alarms
