#include "config/security_section.hpp"

#include <fmt/format.h>

#include <charconv>

#include "common/duration.hpp"
#include "security/permissions.hpp"
#include "states/packml.hpp"

namespace strata::config::detail {
namespace {

constexpr std::string_view kSection = "the security section";

void read_duration(const MapReader& map, std::string_view key, Timestamp& target) {
  const auto* entry = map.find(key);
  if (entry == nullptr) return;
  const auto text = entry_scalar(map.sink(), *entry, map.what());
  if (!text) return;
  if (const auto value = parse_duration(*text)) {
    target = *value;
  } else {
    map.sink().error(entry->value_position,
                     fmt::format("'{}' must be a duration like 90s, 30m, 8h or 7d, got '{}'", key, *text));
  }
}

void read_count(const MapReader& map, std::string_view key, int& target) {
  const auto* entry = map.find(key);
  if (entry == nullptr) return;
  const auto text = entry_scalar(map.sink(), *entry, map.what());
  if (!text) return;
  int value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value < 1) {
    map.sink().error(entry->value_position,
                     fmt::format("'{}' must be a whole number of at least 1, got '{}'", key, *text));
    return;
  }
  target = value;
}

std::string permission_names() {
  std::vector<std::string> names;
  for (const auto permission : security::all_permissions())
    names.emplace_back(security::to_string(permission));
  return join(names);
}

// "manage_users" or "command_unit:Abort": the permission must exist; a detail of command_unit must
// be a PackML command.
void check_signature_action(DiagnosticSink& sink, const std::string& action, Position at) {
  const auto colon = action.find(':');
  const auto permission_name = std::string_view(action).substr(0, colon);
  const auto permission = security::parse_permission(permission_name);
  if (!permission) {
    sink.error(at, fmt::format("unknown permission '{}' in signature_required (expected one of: {})",
                               permission_name, permission_names()));
    return;
  }
  if (colon == std::string::npos) return;
  const auto detail = std::string_view(action).substr(colon + 1);
  if (*permission != security::Permission::CommandUnit) {
    sink.error(
        at, fmt::format("'{}' takes no detail after ':' in signature_required (only command_unit:<command>)",
                        permission_name));
    return;
  }
  const auto command = states::parse_command(detail);
  if (!command || *command == states::PackMLCommand::Undefined) {
    sink.error(at, fmt::format("unknown PackML command '{}' in signature_required", detail));
  }
}

}  // namespace

void read_security(DiagnosticSink& sink, const Entry& entry, model::SecuritySettings& settings) {
  MapReader map(sink, entry.value, entry.value_position, std::string(kSection));
  if (!map.ok()) return;
  map.check_keys({"session_idle_timeout", "session_max_age", "lockout", "login_attempts_per_minute",
                  "signature_required"},
                 {});
  read_duration(map, "session_idle_timeout", settings.session_idle_timeout);
  read_duration(map, "session_max_age", settings.session_max_age);
  read_count(map, "login_attempts_per_minute", settings.login_attempts_per_minute);
  if (const auto* lockout = map.find("lockout")) {
    MapReader lockout_map(sink, lockout->value, lockout->value_position, "the lockout settings");
    if (lockout_map.ok()) {
      lockout_map.check_keys({"max_failures", "duration"}, {});
      read_count(lockout_map, "max_failures", settings.lockout_max_failures);
      read_duration(lockout_map, "duration", settings.lockout_duration);
    }
  }
  if (const auto* actions = map.find("signature_required")) {
    for (const auto& item : sequence_items(sink, *actions, kSection)) {
      const auto at = position_of(item, actions->value_position);
      if (!item.IsScalar()) {
        sink.error(at,
                   fmt::format("expected an action name in signature_required, got {}", describe_kind(item)));
        continue;
      }
      const auto action = item.Scalar();
      check_signature_action(sink, action, at);
      settings.signature_required.push_back(action);
    }
  }
}

}  // namespace strata::config::detail
