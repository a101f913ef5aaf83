#pragma once
// What a user may do. Permissions are granted through roles, each grant bound to an ISA-95 scope.
#include <optional>
#include <string_view>
#include <vector>

namespace strata::security {

enum class Permission {
  ViewPlant,    // see equipment, states, tags, history, events
  CommandUnit,  // send PackML commands
  AckAlarm,
  ShelveAlarm,
  OutOfServiceAlarm,
  ClassifyDowntime,
  EditRecipe,
  DispatchOrder,
  ApproveDeviation,
  RecordQuality,
  EditConfiguration,
  ManageUsers,      // users, roles, grants, other users' tokens
  ManageOwnTokens,  // create and revoke one's own API tokens
  ViewAudit,
};

// snake_case names used in the API, the store and the plant definition: "command_unit", ...
[[nodiscard]] std::string_view to_string(Permission permission);
[[nodiscard]] std::optional<Permission> parse_permission(std::string_view name);
[[nodiscard]] const std::vector<Permission>& all_permissions();

}  // namespace strata::security
