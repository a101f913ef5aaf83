#pragma once
// Role-based access scoped to the ISA-95 hierarchy: a grant of a role over a scope (an equipment
// path, '' for the whole enterprise) applies to that equipment and everything below it.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/equipment_path.hpp"
#include "security/permissions.hpp"

namespace strata::security {

struct RoleDefinition {
  std::string name;
  std::string description;
  std::set<Permission> permissions;
  bool builtin = false;
};

// operator, shift_supervisor, quality, maintenance, engineer, admin.
[[nodiscard]] const std::vector<RoleDefinition>& builtin_roles();

struct Grant {
  std::string role;
  std::string scope;  // '' = enterprise-wide; else "site", "site/area", "site/area/line", ...
};

// Who is acting: a logged-in user (session) or a machine client (API token of a user).
struct Principal {
  std::int64_t user_id = 0;
  std::string name;
  std::string display_name;
  std::vector<Grant> grants;
  bool via_token = false;
};

using model::scope_covers;

class AccessPolicy {
 public:
  explicit AccessPolicy(std::vector<RoleDefinition> roles);

  // The permission on this equipment path ('' = enterprise-level actions such as managing users).
  [[nodiscard]] bool allows(const Principal& who, Permission permission, std::string_view path) const;
  // Whether any grant with ViewPlant touches this path: on it or below it (so the ancestors of a
  // line a user may see are visible as the way to it) or above it.
  [[nodiscard]] bool can_see(const Principal& who, std::string_view path) const;
  // Union of permissions at the path, for the cockpit to show only possible actions.
  [[nodiscard]] std::set<Permission> permissions_at(const Principal& who, std::string_view path) const;
  [[nodiscard]] const RoleDefinition* find_role(std::string_view name) const;
  [[nodiscard]] const std::vector<RoleDefinition>& roles() const { return roles_; }

 private:
  std::vector<RoleDefinition> roles_;
};

}  // namespace strata::security
