// `strata role ...`: custom roles beside the built-in ones (operator, shift_supervisor, quality,
// maintenance, engineer, admin), whose permissions come with the binary and cannot be edited here.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "api/auth_service.hpp"
#include "cli/commands.hpp"
#include "cli/security_stores.hpp"

namespace strata::cli {
namespace {

std::string permission_names() {
  std::string names;
  for (const auto permission : security::all_permissions()) {
    names += (names.empty() ? "" : ", ") + std::string(security::to_string(permission));
  }
  return names;
}

}  // namespace

int run_role_add(const RoleAddOptions& options) {
  auto stores = open_security_stores(options.data_dir, true);
  if (!stores) return fail(stores.error().message);
  auto policy = api::load_access_policy(*stores->users);
  if (!policy) return fail(policy.error().message);
  if (const auto* existing = policy->find_role(options.name); existing != nullptr && existing->builtin) {
    return fail(fmt::format("'{}' is a built-in role; choose another name", options.name), 2);
  }
  store::RoleRecord record{options.name, options.description, false, {}};
  for (const auto& name : options.permissions) {
    if (!security::parse_permission(name)) {
      return fail(fmt::format("unknown permission '{}' (one of: {})", name, permission_names()), 2);
    }
    record.permissions.push_back(name);
  }
  if (auto stored = stores->users->upsert_role(record); !stored) return fail(stored.error().message);
  SystemClock clock;
  store::AuditEntry entry{
      clock.now(),
      cli_actor(),
      "role.set",
      options.name,
      "{}",
      nlohmann::json{{"description", options.description}, {"permissions", options.permissions}}.dump(),
      "",
      false};
  if (auto audited = stores->audit->append(entry); !audited) return fail(audited.error().message);
  fmt::print("role '{}' has: {}\n", options.name, fmt::join(options.permissions, ", "));
  return 0;
}

int run_role_list(const std::string& data_dir) {
  auto stores = open_security_stores(data_dir, false);
  if (!stores) return fail(stores.error().message);
  auto policy = api::load_access_policy(*stores->users);
  if (!policy) return fail(policy.error().message);
  for (const auto& role : policy->roles()) {
    std::vector<std::string> names;
    for (const auto permission : role.permissions) names.emplace_back(security::to_string(permission));
    fmt::print("{:<18} {:<8} {}\n", role.name, role.builtin ? "built-in" : "custom", fmt::join(names, ", "));
  }
  return 0;
}

}  // namespace strata::cli
