#include <gtest/gtest.h>

#include <string>

#include "security/access_policy.hpp"

namespace strata::security {
namespace {

TEST(ScopeCovers, EmptyScopeCoversEverything) {
  EXPECT_TRUE(scope_covers("", ""));
  EXPECT_TRUE(scope_covers("", "a"));
  EXPECT_TRUE(scope_covers("", "a/b/c"));
}

TEST(ScopeCovers, ItselfAndBelow) {
  EXPECT_TRUE(scope_covers("a/b", "a/b"));
  EXPECT_TRUE(scope_covers("a/b", "a/b/c"));
  EXPECT_TRUE(scope_covers("a/b", "a/b/c/d"));
  EXPECT_TRUE(scope_covers("a", "a/b"));
}

TEST(ScopeCovers, WholeSegmentsOnly) {
  EXPECT_FALSE(scope_covers("a/b", "a/bc"));
  EXPECT_FALSE(scope_covers("a/b", "a/bc/d"));
  EXPECT_FALSE(scope_covers("a/bc", "a/b"));
  EXPECT_FALSE(scope_covers("L1", "L10"));
}

TEST(ScopeCovers, NotAboveOrBeside) {
  EXPECT_FALSE(scope_covers("a/b", "a"));
  EXPECT_FALSE(scope_covers("a/b", ""));
  EXPECT_FALSE(scope_covers("a/b", "a/c"));
  EXPECT_FALSE(scope_covers("a/b", "x/a/b"));
  EXPECT_FALSE(scope_covers("a", "b"));
}

TEST(ScopeCovers, TrailingSlashesNameTheSameEquipment) {
  EXPECT_TRUE(scope_covers("a/b/", "a/b"));
  EXPECT_TRUE(scope_covers("a/b/", "a/b/c"));
  EXPECT_TRUE(scope_covers("a/b", "a/b/"));
  EXPECT_TRUE(scope_covers("a/b//", "a/b/c/"));
  EXPECT_FALSE(scope_covers("a/b/", "a/bc"));
  EXPECT_FALSE(scope_covers("a/b/", "a/"));
  EXPECT_TRUE(scope_covers("/", "a/b")) << "a lone slash is the enterprise root";
}

class CanSee : public ::testing::Test {
 protected:
  AccessPolicy policy_{builtin_roles()};
  Principal line_operator_{1, "op", "Op", {Grant{"operator", "bottling/packaging/L1"}}, false};
};

TEST_F(CanSee, TheGrantedLineAndBelow) {
  EXPECT_TRUE(policy_.can_see(line_operator_, "bottling/packaging/L1"));
  EXPECT_TRUE(policy_.can_see(line_operator_, "bottling/packaging/L1/filler"));
}

TEST_F(CanSee, AncestorsAsTheWayToTheLine) {
  EXPECT_TRUE(policy_.can_see(line_operator_, "bottling/packaging"));
  EXPECT_TRUE(policy_.can_see(line_operator_, "bottling"));
  EXPECT_TRUE(policy_.can_see(line_operator_, ""));
}

TEST_F(CanSee, NotSiblingsOrOtherBranches) {
  EXPECT_FALSE(policy_.can_see(line_operator_, "bottling/packaging/L2"));
  EXPECT_FALSE(policy_.can_see(line_operator_, "bottling/packaging/L10"));
  EXPECT_FALSE(policy_.can_see(line_operator_, "bottling/brewhouse"));
  EXPECT_FALSE(policy_.can_see(line_operator_, "brewing"));
  EXPECT_FALSE(policy_.can_see(line_operator_, "bottling/packaging/L2/filler"));
}

TEST_F(CanSee, EnterpriseGrantSeesAll) {
  const Principal admin{2, "root", "", {Grant{"admin", ""}}, false};
  EXPECT_TRUE(policy_.can_see(admin, ""));
  EXPECT_TRUE(policy_.can_see(admin, "brewing/anything/at/all"));
}

TEST_F(CanSee, SeveralGrantsAddUp) {
  Principal both = line_operator_;
  both.grants.push_back(Grant{"maintenance", "brewing/brewhouse"});
  EXPECT_TRUE(policy_.can_see(both, "brewing"));
  EXPECT_TRUE(policy_.can_see(both, "brewing/brewhouse/kettle"));
  EXPECT_FALSE(policy_.can_see(both, "brewing/cellar"));
  EXPECT_TRUE(policy_.allows(both, Permission::OutOfServiceAlarm, "brewing/brewhouse/kettle"));
  EXPECT_FALSE(policy_.allows(both, Permission::OutOfServiceAlarm, "bottling/packaging/L1"));
}

}  // namespace
}  // namespace strata::security
