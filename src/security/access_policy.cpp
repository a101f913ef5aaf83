#include "security/access_policy.hpp"

#include <algorithm>
#include <utility>

namespace strata::security {

AccessPolicy::AccessPolicy(std::vector<RoleDefinition> roles) : roles_(std::move(roles)) {}

const RoleDefinition* AccessPolicy::find_role(std::string_view name) const {
  const auto found = std::find_if(roles_.begin(), roles_.end(),
                                  [&](const RoleDefinition& role) { return role.name == name; });
  return found != roles_.end() ? &*found : nullptr;
}

bool AccessPolicy::allows(const Principal& who, Permission permission, std::string_view path) const {
  for (const auto& grant : who.grants) {
    const auto* role = find_role(grant.role);  // a grant of a role that no longer exists gives nothing
    if (role != nullptr && role->permissions.count(permission) != 0 && scope_covers(grant.scope, path)) {
      return true;
    }
  }
  return false;
}

bool AccessPolicy::can_see(const Principal& who, std::string_view path) const {
  for (const auto& grant : who.grants) {
    const auto* role = find_role(grant.role);
    if (role == nullptr || role->permissions.count(Permission::ViewPlant) == 0) continue;
    // On or below the grant, or an ancestor of it (the way down to the granted equipment).
    if (scope_covers(grant.scope, path) || scope_covers(path, grant.scope)) return true;
  }
  return false;
}

std::set<Permission> AccessPolicy::permissions_at(const Principal& who, std::string_view path) const {
  std::set<Permission> permissions;
  for (const auto& grant : who.grants) {
    const auto* role = find_role(grant.role);
    if (role != nullptr && scope_covers(grant.scope, path)) {
      permissions.insert(role->permissions.begin(), role->permissions.end());
    }
  }
  return permissions;
}

}  // namespace strata::security
