#pragma once
// Users, roles, grants, sessions and API tokens in the embedded store (schema step 3). Thread-safe:
// one connection behind a mutex, used by HTTP threads and the CLI. Open it after Store::open has
// migrated the database.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

struct sqlite3;

namespace strata::store {

struct UserRecord {
  std::int64_t id = 0;
  std::string name;
  std::string display_name;
  std::string password_hash;
  bool disabled = false;
  int failed_logins = 0;
  Timestamp locked_until = 0;
  Timestamp created_at = 0;
};

struct RoleRecord {
  std::string name;
  std::string description;
  bool builtin = false;
  std::vector<std::string> permissions;  // sorted
};

struct GrantRecord {
  std::string role;
  std::string scope;
};

struct SessionRecord {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;
  Timestamp created_at = 0;
  Timestamp last_seen = 0;
  Timestamp expires_at = 0;
};

struct TokenRecord {
  std::int64_t id = 0;
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string name;
  Timestamp created_at = 0;
  Timestamp expires_at = 0;  // 0 = none
  Timestamp revoked_at = 0;  // 0 = active
};

class UserStore {
 public:
  static Result<std::unique_ptr<UserStore>> open(const std::string& path);
  ~UserStore();
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // Users. Names are unique; adding an existing name is an error saying so.
  Result<std::int64_t> add_user(const std::string& name, const std::string& display_name,
                                const std::string& password_hash, Timestamp now);
  Result<std::optional<UserRecord>> find_user(const std::string& name);
  Result<std::optional<UserRecord>> find_user(std::int64_t id);
  Result<std::vector<UserRecord>> users();
  Result<std::int64_t> user_count();
  Result<void> set_password_hash(std::int64_t user_id, const std::string& password_hash);
  Result<void> set_disabled(std::int64_t user_id, bool disabled);
  // Failed login: increments failed_logins and sets locked_until (0 keeps it unlocked); returns
  // the new consecutive failure count.
  Result<int> record_login_failure(std::int64_t user_id, Timestamp locked_until);
  Result<void> clear_login_failures(std::int64_t user_id);  // also lifts a lock-out

  // Roles and grants. upsert_role replaces the permission set of the role.
  Result<void> upsert_role(const RoleRecord& role);
  Result<std::vector<RoleRecord>> roles();
  Result<void> grant(std::int64_t user_id, const std::string& role, const std::string& scope);
  Result<void> revoke(std::int64_t user_id, const std::string& role, const std::string& scope);
  Result<std::vector<GrantRecord>> grants(std::int64_t user_id);

  // Sessions, keyed by the hash of the cookie token.
  Result<void> create_session(const SessionRecord& session);
  Result<std::optional<SessionRecord>> find_session(const std::string& token_hash);
  Result<void> touch_session(const std::string& token_hash, Timestamp now);
  Result<void> delete_session(const std::string& token_hash);
  Result<void> delete_sessions_of(std::int64_t user_id);
  Result<int> delete_expired_sessions(Timestamp now, Timestamp idle_timeout);

  // API tokens, keyed by the hash of the bearer token.
  Result<std::int64_t> add_token(const std::string& token_hash, std::int64_t user_id, const std::string& name,
                                 Timestamp now, Timestamp expires_at);
  Result<std::optional<TokenRecord>> find_token(const std::string& token_hash);
  Result<std::optional<TokenRecord>> find_token(std::int64_t id);
  Result<std::vector<TokenRecord>> tokens(std::optional<std::int64_t> user_id = std::nullopt);
  Result<void> revoke_token(std::int64_t id, Timestamp now);

 private:
  explicit UserStore(sqlite3* db);
  std::mutex mutex_;
  sqlite3* db_;
};

}  // namespace strata::store
