// Every built-in role against every permission at three places relative to its grant: inside
// the granted line, at a sibling line, and at the enterprise level above it. The expected table
// is written out here on purpose, independent of builtin_roles(), so a change to a role's rights
// must be made (and reviewed) in two places.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "security/access_policy.hpp"

namespace strata::security {
namespace {

// Column order of the table below.
constexpr std::array<Permission, 14> kColumns{
    Permission::ViewPlant,          // V  view_plant
    Permission::CommandUnit,        // C  command_unit
    Permission::AckAlarm,           // A  ack_alarm
    Permission::ShelveAlarm,        // S  shelve_alarm
    Permission::OutOfServiceAlarm,  // O  out_of_service_alarm
    Permission::ClassifyDowntime,   // D  classify_downtime
    Permission::EditRecipe,         // R  edit_recipe
    Permission::DispatchOrder,      // P  dispatch_order
    Permission::ApproveDeviation,   // Y  approve_deviation
    Permission::RecordQuality,      // Q  record_quality
    Permission::EditConfiguration,  // E  edit_configuration
    Permission::ManageUsers,        // U  manage_users
    Permission::ManageOwnTokens,    // T  manage_own_tokens
    Permission::ViewAudit,          // L  view_audit
};

struct ExpectedRole {
  std::string_view role;
  std::string_view rights;  // one character per column: 'x' allowed, '.' denied
};

// clang-format off
constexpr std::array<ExpectedRole, 6> kExpected{{
    //                     VCASODRPYQEUTL
    {"operator",          "xxxx.x......x."},
    {"shift_supervisor",  "xxxxxx.xx...x."},
    {"quality",           "x.......xx..xx"},
    {"maintenance",       "x.x.xx......x."},
    {"engineer",          "xxxxx.x...x.xx"},
    {"admin",             "xxxxxxxxxxxxxx"},
}};
// clang-format on

constexpr std::string_view kGrantScope = "bottling/packaging/L1";
constexpr std::string_view kInside = "bottling/packaging/L1/filler";
constexpr std::string_view kSibling = "bottling/packaging/L2";
constexpr std::string_view kEnterprise = "";

Principal holder_of(std::string_view role) {
  Principal principal;
  principal.user_id = 7;
  principal.name = "someone";
  principal.grants.push_back(Grant{std::string(role), std::string(kGrantScope)});
  return principal;
}

TEST(PermissionMatrix, BuiltinRolesAreExactlyTheExpectedOnes) {
  ASSERT_EQ(builtin_roles().size(), kExpected.size());
  for (std::size_t i = 0; i < kExpected.size(); ++i) {
    EXPECT_EQ(builtin_roles()[i].name, kExpected[i].role);
    EXPECT_TRUE(builtin_roles()[i].builtin);
    EXPECT_FALSE(builtin_roles()[i].description.empty());
  }
}

TEST(PermissionMatrix, EveryRoleEveryPermissionInsideSiblingAndAbove) {
  const AccessPolicy policy(builtin_roles());
  int checked = 0;
  for (const auto& [role, rights] : kExpected) {
    ASSERT_EQ(rights.size(), kColumns.size()) << role;
    ASSERT_NE(policy.find_role(role), nullptr) << role;
    const auto who = holder_of(role);
    for (std::size_t column = 0; column < kColumns.size(); ++column) {
      const auto permission = kColumns[column];
      const bool expected = rights[column] == 'x';
      SCOPED_TRACE(std::string(role) + " / " + std::string(to_string(permission)));
      EXPECT_EQ(policy.allows(who, permission, kGrantScope), expected) << "at the grant scope";
      EXPECT_EQ(policy.allows(who, permission, kInside), expected) << "inside the grant scope";
      EXPECT_FALSE(policy.allows(who, permission, kSibling)) << "at a sibling line";
      EXPECT_FALSE(policy.allows(who, permission, "bottling/packaging/L10")) << "at a name-prefix sibling";
      EXPECT_FALSE(policy.allows(who, permission, "bottling/packaging")) << "at the parent area";
      EXPECT_FALSE(policy.allows(who, permission, kEnterprise)) << "at the enterprise level";
      checked += 6;
    }
  }
  EXPECT_EQ(checked, 6 * 14 * 6);
}

TEST(PermissionMatrix, EnterpriseGrantAllowsEverywhere) {
  const AccessPolicy policy(builtin_roles());
  for (const auto& [role, rights] : kExpected) {
    const Principal who{1, "x", "", {Grant{std::string(role), ""}}, false};
    for (std::size_t column = 0; column < kColumns.size(); ++column) {
      const bool expected = rights[column] == 'x';
      SCOPED_TRACE(std::string(role) + " / " + std::string(to_string(kColumns[column])));
      EXPECT_EQ(policy.allows(who, kColumns[column], kEnterprise), expected);
      EXPECT_EQ(policy.allows(who, kColumns[column], kSibling), expected);
      EXPECT_EQ(policy.allows(who, kColumns[column], kInside), expected);
    }
  }
}

TEST(PermissionMatrix, PermissionsAtIsTheUnionOfCoveringGrants) {
  const AccessPolicy policy(builtin_roles());
  const Principal who{
      1, "x", "", {Grant{"operator", "bottling/packaging/L1"}, Grant{"quality", "bottling"}}, false};
  const std::set<Permission> at_line{
      Permission::ViewPlant,     Permission::CommandUnit,      Permission::AckAlarm,
      Permission::ShelveAlarm,   Permission::ClassifyDowntime, Permission::ManageOwnTokens,
      Permission::RecordQuality, Permission::ApproveDeviation, Permission::ViewAudit};
  EXPECT_EQ(policy.permissions_at(who, "bottling/packaging/L1"), at_line);
  const std::set<Permission> at_sibling{Permission::ViewPlant, Permission::RecordQuality,
                                        Permission::ApproveDeviation, Permission::ViewAudit,
                                        Permission::ManageOwnTokens};
  EXPECT_EQ(policy.permissions_at(who, "bottling/packaging/L2"), at_sibling);
  EXPECT_TRUE(policy.permissions_at(who, "").empty());
  EXPECT_TRUE(policy.permissions_at(who, "brewing").empty());
}

TEST(PermissionMatrix, UnknownRoleAndNoGrantsGiveNothing) {
  const AccessPolicy policy(builtin_roles());
  const Principal ghost{1, "x", "", {Grant{"superuser", ""}}, false};
  const Principal nobody{2, "y", "", {}, false};
  for (const auto permission : all_permissions()) {
    EXPECT_FALSE(policy.allows(ghost, permission, "bottling"));
    EXPECT_FALSE(policy.allows(nobody, permission, ""));
  }
  EXPECT_FALSE(policy.can_see(ghost, "bottling"));
  EXPECT_EQ(policy.find_role("superuser"), nullptr);
}

TEST(PermissionMatrix, CustomRoles) {
  const AccessPolicy policy({RoleDefinition{"auditor", "reads the trail", {Permission::ViewAudit}, false}});
  const Principal who{1, "x", "", {Grant{"auditor", ""}}, false};
  EXPECT_TRUE(policy.allows(who, Permission::ViewAudit, "a/b"));
  EXPECT_FALSE(policy.allows(who, Permission::ViewPlant, "a/b"));
  EXPECT_FALSE(policy.can_see(who, "a/b")) << "seeing the plant needs view_plant";
  EXPECT_EQ(policy.find_role("operator"), nullptr) << "only the roles given";
}

}  // namespace
}  // namespace strata::security
