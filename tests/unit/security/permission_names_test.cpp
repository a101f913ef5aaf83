#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "security/permissions.hpp"

namespace strata::security {
namespace {

TEST(PermissionNames, EveryPermissionHasItsApiName) {
  // Written out literally: these names are part of the API, the store and plant definitions.
  const std::set<std::string> expected{
      "view_plant",         "command_unit", "ack_alarm",         "shelve_alarm",      "out_of_service_alarm",
      "classify_downtime",  "edit_recipe",  "dispatch_order",    "approve_deviation", "record_quality",
      "edit_configuration", "manage_users", "manage_own_tokens", "view_audit"};
  std::set<std::string> actual;
  for (const auto permission : all_permissions()) actual.emplace(to_string(permission));
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(all_permissions().size(), expected.size());
}

TEST(PermissionNames, ParseRoundTrips) {
  for (const auto permission : all_permissions()) {
    const auto parsed = parse_permission(to_string(permission));
    ASSERT_TRUE(parsed.has_value()) << to_string(permission);
    EXPECT_EQ(*parsed, permission);
  }
}

TEST(PermissionNames, UnknownNamesDoNotParse) {
  EXPECT_FALSE(parse_permission("").has_value());
  EXPECT_FALSE(parse_permission("View_Plant").has_value());
  EXPECT_FALSE(parse_permission("view_plant ").has_value());
  EXPECT_FALSE(parse_permission("superuser").has_value());
}

TEST(PermissionNames, SpecificNames) {
  EXPECT_EQ(to_string(Permission::CommandUnit), "command_unit");
  EXPECT_EQ(to_string(Permission::OutOfServiceAlarm), "out_of_service_alarm");
  EXPECT_EQ(parse_permission("manage_users"), Permission::ManageUsers);
}

}  // namespace
}  // namespace strata::security
