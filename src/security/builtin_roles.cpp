// The roles every installation starts with. Their permission sets live here, not in the store,
// so an upgrade of the binary can evolve them (the store only mirrors them for the API).
#include <set>
#include <vector>

#include "security/access_policy.hpp"

namespace strata::security {
namespace {

using P = Permission;

std::set<Permission> operator_permissions() {
  return {P::ViewPlant, P::CommandUnit, P::AckAlarm, P::ShelveAlarm, P::ClassifyDowntime, P::ManageOwnTokens};
}

std::set<Permission> shift_supervisor_permissions() {
  auto permissions = operator_permissions();
  permissions.insert({P::OutOfServiceAlarm, P::DispatchOrder, P::ApproveDeviation});
  return permissions;
}

std::set<Permission> every_permission() {
  const auto& all = all_permissions();
  return {all.begin(), all.end()};
}

std::vector<RoleDefinition> make_builtin_roles() {
  return {
      {"operator", "Runs the line: commands units, handles alarms and downtime", operator_permissions(),
       true},
      {"shift_supervisor",
       "Operator rights plus dispatching orders, approving deviations, taking alarms out of service",
       shift_supervisor_permissions(), true},
      {"quality",
       "Records quality results, approves deviations, reads the audit trail",
       {P::ViewPlant, P::RecordQuality, P::ApproveDeviation, P::ViewAudit, P::ManageOwnTokens},
       true},
      {"maintenance",
       "Acknowledges and takes alarms out of service, classifies downtime",
       {P::ViewPlant, P::AckAlarm, P::OutOfServiceAlarm, P::ClassifyDowntime, P::ManageOwnTokens},
       true},
      {"engineer",
       "Edits recipes and configuration, commands units, handles alarms",
       {P::ViewPlant, P::CommandUnit, P::EditRecipe, P::EditConfiguration, P::AckAlarm, P::ShelveAlarm,
        P::OutOfServiceAlarm, P::ViewAudit, P::ManageOwnTokens},
       true},
      {"admin", "Every permission, including managing users, roles and grants", every_permission(), true},
  };
}

}  // namespace

const std::vector<RoleDefinition>& builtin_roles() {
  static const std::vector<RoleDefinition> roles = make_builtin_roles();
  return roles;
}

}  // namespace strata::security
