#include "store/user_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::TempDir;

constexpr Timestamp kT0 = 1'767'225'600LL * kMicrosPerSecond;
constexpr Timestamp kMinute = 60 * kMicrosPerSecond;

template <typename T>
T ok_value(Result<T> result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : T{};
}

void expect_ok(const Result<void>& result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
}

template <typename T>
std::string error_of(const Result<T>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? std::string() : result.error().message;
}

// A migrated store file with a UserStore on it, as `strata serve` would have it.
class UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::open(path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store).value();
    auto users = UserStore::open(path_);
    ASSERT_TRUE(users.ok()) << users.error().message;
    users_ = std::move(users).value();
  }

  std::int64_t add(const std::string& name) {
    return ok_value(users_->add_user(name, name + " display", "$argon2id$hash-of-" + name, kT0));
  }
  void add_role(const std::string& name, std::vector<std::string> permissions, bool builtin = false) {
    expect_ok(users_->upsert_role(RoleRecord{name, name + " role", builtin, std::move(permissions)}));
  }

  TempDir dir_;
  std::string path_ = dir_.file("plant.db");
  std::unique_ptr<Store> store_;
  std::unique_ptr<UserStore> users_;
};

// ---- Opening ----------------------------------------------------------------------------------

TEST(UserStoreOpen, RefusesAnUnmigratedDatabase) {
  TempDir dir;
  const auto path = dir.file("empty.db");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 2", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  const auto message = error_of(UserStore::open(path));
  EXPECT_NE(message.find("schema version 2"), std::string::npos) << message;
  EXPECT_NE(message.find("open the store first"), std::string::npos) << message;
}

TEST(UserStoreOpen, RefusesAMissingFileWithoutCreatingIt) {
  TempDir dir;
  const auto path = dir.file("missing.db");
  const auto message = error_of(UserStore::open(path));
  EXPECT_NE(message.find("open the store first"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(UserStoreTest, SeesWritesOfAnotherConnection) {
  const auto id = add("alice");
  auto second = UserStore::open(path_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  const auto found = ok_value((*second)->find_user(id));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "alice");
}

// ---- Users ------------------------------------------------------------------------------------

TEST_F(UserStoreTest, AddAndFindUser) {
  EXPECT_EQ(ok_value(users_->user_count()), 0);
  const auto id = ok_value(users_->add_user("alice", "Alice A.", "$argon2id$h", kT0));
  EXPECT_GT(id, 0);
  EXPECT_EQ(ok_value(users_->user_count()), 1);

  const auto by_name = ok_value(users_->find_user(std::string("alice")));
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, id);
  EXPECT_EQ(by_name->display_name, "Alice A.");
  EXPECT_EQ(by_name->password_hash, "$argon2id$h");
  EXPECT_FALSE(by_name->disabled);
  EXPECT_EQ(by_name->failed_logins, 0);
  EXPECT_EQ(by_name->locked_until, 0);
  EXPECT_EQ(by_name->created_at, kT0);

  const auto by_id = ok_value(users_->find_user(id));
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->name, "alice");
}

TEST_F(UserStoreTest, UnknownUserIsNotFound) {
  EXPECT_FALSE(ok_value(users_->find_user(std::string("nobody"))).has_value());
  EXPECT_FALSE(ok_value(users_->find_user(std::int64_t{42})).has_value());
}

TEST_F(UserStoreTest, DuplicateNameIsRefused) {
  add("alice");
  EXPECT_EQ(error_of(users_->add_user("alice", "Other", "$argon2id$x", kT0)), "user 'alice' already exists");
  EXPECT_EQ(ok_value(users_->user_count()), 1);
}

TEST_F(UserStoreTest, EmptyNameIsRefused) {
  EXPECT_FALSE(users_->add_user("", "", "$argon2id$x", kT0).ok());
}

TEST_F(UserStoreTest, UsersAreListedByName) {
  add("carol");
  add("alice");
  add("bob");
  const auto all = ok_value(users_->users());
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].name, "alice");
  EXPECT_EQ(all[1].name, "bob");
  EXPECT_EQ(all[2].name, "carol");
  EXPECT_EQ(ok_value(users_->user_count()), 3);
}

TEST_F(UserStoreTest, PasswordAndDisabledChange) {
  const auto id = add("alice");
  expect_ok(users_->set_password_hash(id, "$argon2id$new"));
  expect_ok(users_->set_disabled(id, true));
  auto user = ok_value(users_->find_user(id));
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->password_hash, "$argon2id$new");
  EXPECT_TRUE(user->disabled);
  expect_ok(users_->set_disabled(id, false));
  EXPECT_FALSE(ok_value(users_->find_user(id))->disabled);
}

TEST_F(UserStoreTest, ChangesToUnknownUsersAreErrors) {
  EXPECT_NE(error_of(users_->set_password_hash(99, "$argon2id$x")).find("unknown user id 99"),
            std::string::npos);
  EXPECT_FALSE(users_->set_disabled(99, true).ok());
  EXPECT_FALSE(users_->record_login_failure(99, 0).ok());
  EXPECT_FALSE(users_->clear_login_failures(99).ok());
  EXPECT_FALSE(users_->grants(99).ok());
}

TEST_F(UserStoreTest, LoginFailuresCountAndClear) {
  const auto id = add("alice");
  EXPECT_EQ(ok_value(users_->record_login_failure(id, 0)), 1);
  EXPECT_EQ(ok_value(users_->record_login_failure(id, 0)), 2);
  EXPECT_EQ(ok_value(users_->find_user(id))->locked_until, 0);
  EXPECT_EQ(ok_value(users_->record_login_failure(id, kT0 + 15 * kMinute)), 3);
  auto user = ok_value(users_->find_user(id));
  EXPECT_EQ(user->failed_logins, 3);
  EXPECT_EQ(user->locked_until, kT0 + 15 * kMinute);

  expect_ok(users_->clear_login_failures(id));
  user = ok_value(users_->find_user(id));
  EXPECT_EQ(user->failed_logins, 0);
  EXPECT_EQ(user->locked_until, 0);
}

TEST_F(UserStoreTest, ALaterFailureDoesNotShortenALockOut) {
  const auto id = add("alice");
  EXPECT_EQ(ok_value(users_->record_login_failure(id, kT0 + 15 * kMinute)), 1);
  EXPECT_EQ(ok_value(users_->record_login_failure(id, 0)), 2);
  EXPECT_EQ(ok_value(users_->find_user(id))->locked_until, kT0 + 15 * kMinute);
}

TEST_F(UserStoreTest, FailureCountsAreKeptAcrossReopen) {
  const auto id = add("alice");
  ASSERT_EQ(ok_value(users_->record_login_failure(id, 0)), 1);
  users_.reset();
  auto reopened = UserStore::open(path_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(ok_value((*reopened)->find_user(id))->failed_logins, 1);
}

// ---- Roles and grants -------------------------------------------------------------------------

TEST_F(UserStoreTest, RolesStartEmpty) {
  EXPECT_TRUE(ok_value(users_->roles()).empty());
}

TEST_F(UserStoreTest, UpsertRoleStoresSortedPermissions) {
  add_role("operator", {"view_plant", "command_unit", "ack_alarm"}, true);
  add_role("auditor", {});
  const auto roles = ok_value(users_->roles());
  ASSERT_EQ(roles.size(), 2U);
  EXPECT_EQ(roles[0].name, "auditor");
  EXPECT_TRUE(roles[0].permissions.empty());
  EXPECT_FALSE(roles[0].builtin);
  EXPECT_EQ(roles[1].name, "operator");
  EXPECT_EQ(roles[1].description, "operator role");
  EXPECT_TRUE(roles[1].builtin);
  EXPECT_EQ(roles[1].permissions, (std::vector<std::string>{"ack_alarm", "command_unit", "view_plant"}));
}

TEST_F(UserStoreTest, UpsertRoleReplacesThePermissionSet) {
  add_role("operator", {"view_plant", "command_unit"});
  expect_ok(users_->upsert_role(
      RoleRecord{"operator", "new text", true, {"view_plant", "ack_alarm", "ack_alarm"}}));
  const auto roles = ok_value(users_->roles());
  ASSERT_EQ(roles.size(), 1U);
  EXPECT_EQ(roles[0].description, "new text");
  EXPECT_TRUE(roles[0].builtin);
  EXPECT_EQ(roles[0].permissions, (std::vector<std::string>{"ack_alarm", "view_plant"}));
}

TEST_F(UserStoreTest, UpsertRoleKeepsGrants) {
  const auto id = add("alice");
  add_role("operator", {"view_plant"});
  expect_ok(users_->grant(id, "operator", "a/b"));
  add_role("operator", {"view_plant", "ack_alarm"});
  EXPECT_EQ(ok_value(users_->grants(id)).size(), 1U);
}

TEST_F(UserStoreTest, GrantAndRevoke) {
  const auto id = add("alice");
  add_role("operator", {"view_plant"});
  add_role("quality", {"record_quality"});
  expect_ok(users_->grant(id, "operator", "bottling/packaging/L1"));
  expect_ok(users_->grant(id, "quality", ""));
  expect_ok(users_->grant(id, "operator", "bottling/packaging/L2"));
  expect_ok(users_->grant(id, "operator", "bottling/packaging/L1"));  // again: no duplicate

  auto grants = ok_value(users_->grants(id));
  ASSERT_EQ(grants.size(), 3U);
  EXPECT_EQ(grants[0].role, "quality");
  EXPECT_EQ(grants[0].scope, "");
  EXPECT_EQ(grants[1].scope, "bottling/packaging/L1");
  EXPECT_EQ(grants[2].scope, "bottling/packaging/L2");

  expect_ok(users_->revoke(id, "operator", "bottling/packaging/L1"));
  grants = ok_value(users_->grants(id));
  ASSERT_EQ(grants.size(), 2U);
  EXPECT_EQ(grants[1].scope, "bottling/packaging/L2");
}

TEST_F(UserStoreTest, GrantsAreSeparatePerUser) {
  const auto alice = add("alice");
  const auto bob = add("bob");
  add_role("operator", {"view_plant"});
  expect_ok(users_->grant(alice, "operator", "a"));
  EXPECT_EQ(ok_value(users_->grants(alice)).size(), 1U);
  EXPECT_TRUE(ok_value(users_->grants(bob)).empty());
}

TEST_F(UserStoreTest, GrantOfUnknownRoleOrUserIsRefused) {
  const auto id = add("alice");
  EXPECT_EQ(error_of(users_->grant(id, "superuser", "")), "unknown role 'superuser'");
  add_role("operator", {"view_plant"});
  EXPECT_NE(error_of(users_->grant(99, "operator", "")).find("unknown user id 99"), std::string::npos);
}

TEST_F(UserStoreTest, RevokeOfAMissingGrantIsAnError) {
  const auto id = add("alice");
  add_role("operator", {"view_plant"});
  expect_ok(users_->grant(id, "operator", "a"));
  const auto message = error_of(users_->revoke(id, "operator", "b"));
  EXPECT_NE(message.find("no grant of role 'operator' at scope 'b'"), std::string::npos) << message;
  EXPECT_NE(error_of(users_->revoke(99, "operator", "a")).find("unknown user id"), std::string::npos);
  EXPECT_EQ(ok_value(users_->grants(id)).size(), 1U);
}

// ---- Sessions ---------------------------------------------------------------------------------

SessionRecord session_of(std::int64_t user_id, const std::string& hash, Timestamp created,
                         Timestamp expires) {
  return SessionRecord{hash, user_id, "csrf-" + hash, created, created, expires};
}

TEST_F(UserStoreTest, CreateAndFindSession) {
  const auto id = add("alice");
  expect_ok(users_->create_session(session_of(id, "h1", kT0, kT0 + 60 * kMinute)));
  const auto found = ok_value(users_->find_session("h1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, id);
  EXPECT_EQ(found->csrf_token, "csrf-h1");
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->last_seen, kT0);
  EXPECT_EQ(found->expires_at, kT0 + 60 * kMinute);
  EXPECT_FALSE(ok_value(users_->find_session("nope")).has_value());
}

TEST_F(UserStoreTest, SessionForUnknownUserOrDuplicateHashIsRefused) {
  const auto id = add("alice");
  EXPECT_NE(
      error_of(users_->create_session(session_of(99, "h1", kT0, kT0 + kMinute))).find("unknown user id"),
      std::string::npos);
  expect_ok(users_->create_session(session_of(id, "h1", kT0, kT0 + kMinute)));
  EXPECT_FALSE(users_->create_session(session_of(id, "h1", kT0, kT0 + kMinute)).ok());
}

TEST_F(UserStoreTest, TouchMovesLastSeenForwardOnly) {
  const auto id = add("alice");
  expect_ok(users_->create_session(session_of(id, "h1", kT0, kT0 + 60 * kMinute)));
  expect_ok(users_->touch_session("h1", kT0 + 5 * kMinute));
  EXPECT_EQ(ok_value(users_->find_session("h1"))->last_seen, kT0 + 5 * kMinute);
  expect_ok(users_->touch_session("h1", kT0 + 1 * kMinute));
  EXPECT_EQ(ok_value(users_->find_session("h1"))->last_seen, kT0 + 5 * kMinute);
  expect_ok(users_->touch_session("gone", kT0));  // already logged out: nothing to do
}

TEST_F(UserStoreTest, DeleteSessionAndSessionsOfUser) {
  const auto alice = add("alice");
  const auto bob = add("bob");
  expect_ok(users_->create_session(session_of(alice, "a1", kT0, kT0 + kMinute)));
  expect_ok(users_->create_session(session_of(alice, "a2", kT0, kT0 + kMinute)));
  expect_ok(users_->create_session(session_of(bob, "b1", kT0, kT0 + kMinute)));
  expect_ok(users_->delete_session("a1"));
  expect_ok(users_->delete_session("a1"));  // twice: no error
  EXPECT_FALSE(ok_value(users_->find_session("a1")).has_value());
  EXPECT_TRUE(ok_value(users_->find_session("a2")).has_value());
  expect_ok(users_->delete_sessions_of(alice));
  EXPECT_FALSE(ok_value(users_->find_session("a2")).has_value());
  EXPECT_TRUE(ok_value(users_->find_session("b1")).has_value());
}

TEST_F(UserStoreTest, DeleteExpiredSessions) {
  const auto id = add("alice");
  const Timestamp idle = 30 * kMinute;
  const Timestamp now = kT0 + 100 * kMinute;
  // Absolute expiry reached exactly now; absolute expiry passed; idle exactly at the limit;
  // idle past the limit; fresh; and one that is fresh only because it was touched.
  expect_ok(users_->create_session(session_of(id, "expires-now", now - kMinute, now)));
  expect_ok(users_->create_session(session_of(id, "expired", kT0, now - kMinute)));
  expect_ok(users_->create_session(session_of(id, "idle-at-limit", now - idle, now + 60 * kMinute)));
  expect_ok(users_->create_session(session_of(id, "idle-past", now - idle - 1, now + 60 * kMinute)));
  expect_ok(users_->create_session(session_of(id, "fresh", now - idle + 1, now + 60 * kMinute)));
  expect_ok(users_->create_session(session_of(id, "touched", kT0, now + 60 * kMinute)));
  expect_ok(users_->touch_session("touched", now - kMinute));

  EXPECT_EQ(ok_value(users_->delete_expired_sessions(now, idle)), 4);
  EXPECT_FALSE(ok_value(users_->find_session("expires-now")).has_value());
  EXPECT_FALSE(ok_value(users_->find_session("expired")).has_value());
  EXPECT_FALSE(ok_value(users_->find_session("idle-at-limit")).has_value());
  EXPECT_FALSE(ok_value(users_->find_session("idle-past")).has_value());
  EXPECT_TRUE(ok_value(users_->find_session("fresh")).has_value());
  EXPECT_TRUE(ok_value(users_->find_session("touched")).has_value());
  EXPECT_EQ(ok_value(users_->delete_expired_sessions(now, idle)), 0);
}

// ---- API tokens -------------------------------------------------------------------------------

TEST_F(UserStoreTest, AddAndFindToken) {
  const auto id = add("alice");
  const auto token_id =
      ok_value(users_->add_token("th1", id, "historian", kT0, kT0 + 90 * 24 * 60 * kMinute));
  EXPECT_GT(token_id, 0);
  const auto by_hash = ok_value(users_->find_token("th1"));
  ASSERT_TRUE(by_hash.has_value());
  EXPECT_EQ(by_hash->id, token_id);
  EXPECT_EQ(by_hash->user_id, id);
  EXPECT_EQ(by_hash->name, "historian");
  EXPECT_EQ(by_hash->created_at, kT0);
  EXPECT_EQ(by_hash->expires_at, kT0 + 90 * 24 * 60 * kMinute);
  EXPECT_EQ(by_hash->revoked_at, 0);
  const auto by_id = ok_value(users_->find_token(token_id));
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->token_hash, "th1");
  EXPECT_FALSE(ok_value(users_->find_token("nope")).has_value());
  EXPECT_FALSE(ok_value(users_->find_token(std::int64_t{999})).has_value());
}

TEST_F(UserStoreTest, TokenForUnknownUserOrDuplicateHashIsRefused) {
  const auto id = add("alice");
  EXPECT_NE(error_of(users_->add_token("th1", 99, "x", kT0, 0)).find("unknown user id"), std::string::npos);
  ok_value(users_->add_token("th1", id, "x", kT0, 0));
  EXPECT_FALSE(users_->add_token("th1", id, "y", kT0, 0).ok());
}

TEST_F(UserStoreTest, ListTokensOfOneUserOrAll) {
  const auto alice = add("alice");
  const auto bob = add("bob");
  const auto a1 = ok_value(users_->add_token("a1", alice, "one", kT0, 0));
  const auto b1 = ok_value(users_->add_token("b1", bob, "two", kT0, 0));
  const auto a2 = ok_value(users_->add_token("a2", alice, "three", kT0, 0));
  const auto all = ok_value(users_->tokens());
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].id, a1);
  EXPECT_EQ(all[1].id, b1);
  EXPECT_EQ(all[2].id, a2);
  const auto of_alice = ok_value(users_->tokens(alice));
  ASSERT_EQ(of_alice.size(), 2U);
  EXPECT_EQ(of_alice[0].id, a1);
  EXPECT_EQ(of_alice[1].id, a2);
  EXPECT_TRUE(ok_value(users_->tokens(std::int64_t{99})).empty());
}

TEST_F(UserStoreTest, RevokeToken) {
  const auto id = add("alice");
  const auto token_id = ok_value(users_->add_token("th1", id, "x", kT0, 0));
  expect_ok(users_->revoke_token(token_id, kT0 + kMinute));
  EXPECT_EQ(ok_value(users_->find_token(token_id))->revoked_at, kT0 + kMinute);
  expect_ok(users_->revoke_token(token_id, kT0 + 2 * kMinute));  // again: keeps the first time
  EXPECT_EQ(ok_value(users_->find_token(token_id))->revoked_at, kT0 + kMinute);
  EXPECT_NE(error_of(users_->revoke_token(999, kT0)).find("unknown API token id 999"), std::string::npos);
}

// ---- Cascades ---------------------------------------------------------------------------------
// UserStore offers no deletes of users or roles; the schema's ON DELETE CASCADE still matters
// for an admin deleting rows by hand, so check it with foreign keys on as UserStore opens them.

TEST_F(UserStoreTest, DeletingAUserRowRemovesItsGrantsSessionsAndTokens) {
  const auto id = add("alice");
  const auto keep = add("bob");
  add_role("operator", {"view_plant"});
  expect_ok(users_->grant(id, "operator", "a"));
  expect_ok(users_->grant(keep, "operator", "a"));
  expect_ok(users_->create_session(session_of(id, "s1", kT0, kT0 + kMinute)));
  ok_value(users_->add_token("t1", id, "x", kT0, 0));

  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  sqlite3_busy_timeout(raw, 5000);
  ASSERT_EQ(sqlite3_exec(raw,
                         "PRAGMA foreign_keys = ON; DELETE FROM users WHERE name = 'alice'; "
                         "DELETE FROM roles WHERE name = 'operator'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(raw);
  sqlite3_close(raw);

  EXPECT_FALSE(ok_value(users_->find_session("s1")).has_value());
  EXPECT_FALSE(ok_value(users_->find_token("t1")).has_value());
  EXPECT_TRUE(ok_value(users_->grants(keep)).empty()) << "deleting a role removes its grants";
  EXPECT_TRUE(ok_value(users_->roles()).empty());
}

}  // namespace
}  // namespace strata::store
