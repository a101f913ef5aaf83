#include "security/permissions.hpp"

#include "common/name_table.hpp"

namespace strata::security {
namespace {

constexpr NameTable<Permission, 14> kPermissionNames{{
    {Permission::ViewPlant, "view_plant"},
    {Permission::CommandUnit, "command_unit"},
    {Permission::AckAlarm, "ack_alarm"},
    {Permission::ShelveAlarm, "shelve_alarm"},
    {Permission::OutOfServiceAlarm, "out_of_service_alarm"},
    {Permission::ClassifyDowntime, "classify_downtime"},
    {Permission::EditRecipe, "edit_recipe"},
    {Permission::DispatchOrder, "dispatch_order"},
    {Permission::ApproveDeviation, "approve_deviation"},
    {Permission::RecordQuality, "record_quality"},
    {Permission::EditConfiguration, "edit_configuration"},
    {Permission::ManageUsers, "manage_users"},
    {Permission::ManageOwnTokens, "manage_own_tokens"},
    {Permission::ViewAudit, "view_audit"},
}};

}  // namespace

std::string_view to_string(Permission permission) {
  return name_of(kPermissionNames, permission, "unknown");
}

std::optional<Permission> parse_permission(std::string_view name) {
  return value_of(kPermissionNames, name);
}

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> permissions = [] {
    std::vector<Permission> list;
    list.reserve(kPermissionNames.size());
    for (const auto& [permission, name] : kPermissionNames) list.push_back(permission);
    return list;
  }();
  return permissions;
}

}  // namespace strata::security
