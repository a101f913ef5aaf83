#include "store/user_store.hpp"

#include <sqlite3.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "store/sqlite_util.hpp"

namespace strata::store {
namespace {

using detail::bind_int64;
using detail::bind_text;
using detail::column_int64;
using detail::column_text;
using detail::exec;
using detail::read_user_version;
using detail::sql_error;
using detail::Statement;
using detail::Transaction;

constexpr int kUsersSchemaVersion = 3;  // migrations.hpp step 3 creates the tables used here

constexpr std::string_view kUserColumns =
    "id, name, display_name, password_hash, disabled, failed_logins, locked_until, created_at";
constexpr std::string_view kSessionColumns =
    "token_hash, user_id, csrf_token, created_at, last_seen, expires_at";
constexpr std::string_view kTokenColumns =
    "id, token_hash, user_id, name, created_at, expires_at, revoked_at";

std::string select_from(std::string_view columns, std::string_view rest) {
  std::string sql = "SELECT ";
  sql.append(columns);
  sql += " FROM ";
  sql.append(rest);
  return sql;
}

UserRecord read_user(sqlite3_stmt* statement) {
  UserRecord user;
  user.id = column_int64(statement, 0);
  user.name = column_text(statement, 1);
  user.display_name = column_text(statement, 2);
  user.password_hash = column_text(statement, 3);
  user.disabled = sqlite3_column_int(statement, 4) != 0;
  user.failed_logins = sqlite3_column_int(statement, 5);
  user.locked_until = column_int64(statement, 6);
  user.created_at = column_int64(statement, 7);
  return user;
}

SessionRecord read_session(sqlite3_stmt* statement) {
  SessionRecord session;
  session.token_hash = column_text(statement, 0);
  session.user_id = column_int64(statement, 1);
  session.csrf_token = column_text(statement, 2);
  session.created_at = column_int64(statement, 3);
  session.last_seen = column_int64(statement, 4);
  session.expires_at = column_int64(statement, 5);
  return session;
}

TokenRecord read_token(sqlite3_stmt* statement) {
  TokenRecord token;
  token.id = column_int64(statement, 0);
  token.token_hash = column_text(statement, 1);
  token.user_id = column_int64(statement, 2);
  token.name = column_text(statement, 3);
  token.created_at = column_int64(statement, 4);
  token.expires_at = column_int64(statement, 5);
  token.revoked_at = column_int64(statement, 6);
  return token;
}

// Steps a statement that returns no rows.
Result<void> run(sqlite3* db, Statement& statement, std::string_view operation) {
  if (statement.step() != SQLITE_DONE) return sql_error(db, operation);
  return {};
}

// Steps a query expected to return at most one row, read by `read`.
template <typename Record, typename Reader>
Result<std::optional<Record>> at_most_one(sqlite3* db, Statement& statement, Reader read,
                                          std::string_view operation) {
  const int rc = statement.step();
  if (rc == SQLITE_DONE) return std::optional<Record>();
  if (rc != SQLITE_ROW) return sql_error(db, operation);
  return std::optional<Record>(read(statement.get()));
}

template <typename Record, typename Reader>
Result<std::vector<Record>> all_rows(sqlite3* db, Statement& statement, Reader read,
                                     std::string_view operation) {
  std::vector<Record> records;
  int rc = SQLITE_ROW;
  while ((rc = statement.step()) == SQLITE_ROW) records.push_back(read(statement.get()));
  if (rc != SQLITE_DONE) return sql_error(db, operation);
  return records;
}

Result<bool> row_exists(sqlite3* db, std::string_view sql, std::string_view operation,
                        const std::function<void(sqlite3_stmt*)>& bind) {
  auto statement = Statement::prepare(db, sql, operation);
  if (!statement) return statement.error();
  bind(statement->get());
  const int rc = statement->step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sql_error(db, operation);
  return rc == SQLITE_ROW;
}

Result<bool> user_exists(sqlite3* db, std::int64_t user_id, std::string_view operation) {
  return row_exists(db, "SELECT 1 FROM users WHERE id = ?1", operation,
                    [&](sqlite3_stmt* statement) { bind_int64(statement, 1, user_id); });
}

Result<bool> role_exists(sqlite3* db, const std::string& role, std::string_view operation) {
  return row_exists(db, "SELECT 1 FROM roles WHERE name = ?1", operation,
                    [&](sqlite3_stmt* statement) { bind_text(statement, 1, role); });
}

Error unknown_user(std::int64_t user_id) {
  return make_error("unknown user id " + std::to_string(user_id));
}

// For statements that must touch exactly one user row: no change means no such user.
Result<void> expect_user_changed(sqlite3* db, std::int64_t user_id) {
  if (sqlite3_changes(db) == 0) return unknown_user(user_id);
  return {};
}

bool is_constraint(sqlite3* db, int extended_code) {
  return sqlite3_extended_errcode(db) == extended_code;
}

}  // namespace

UserStore::UserStore(sqlite3* db) : db_(db) {}

UserStore::~UserStore() {
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<UserStore>> UserStore::open(const std::string& path) {
  // No SQLITE_OPEN_CREATE: the file must exist and have been migrated by Store::open. NOMUTEX
  // because mutex_ already serialises every use of the connection.
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<UserStore> store(new UserStore(raw));  // owns the handle even when open failed
  if (rc != SQLITE_OK) {
    return make_error("user store: open failed on '" + path +
                      "': " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)) +
                      "; run `strata serve` or open the store first to create and migrate it");
  }
  sqlite3* db = store->db_;
  if (auto configured = detail::configure_connection(db); !configured) return configured.error();
  if (auto fk = exec(db, "PRAGMA foreign_keys = ON", "enable foreign keys"); !fk) return fk.error();
  auto version = read_user_version(db);
  if (!version) return version.error();
  if (*version < kUsersSchemaVersion) {
    return make_error("user store: database '" + path + "' is at schema version " + std::to_string(*version) +
                      ", but users need version " + std::to_string(kUsersSchemaVersion) +
                      " or later; run `strata serve` or open the store first to migrate it");
  }
  {
    // Store::open normally set WAL already; it is persistent, so this only guards odd files.
    auto mode = Statement::prepare(db, "PRAGMA journal_mode = WAL", "set journal_mode=WAL");
    if (!mode) return mode.error();
    if (mode->step() != SQLITE_ROW) return sql_error(db, "set journal_mode=WAL");
  }
  return store;
}

// ---- Users ----------------------------------------------------------------------------------

Result<std::int64_t> UserStore::add_user(const std::string& name, const std::string& display_name,
                                         const std::string& password_hash, Timestamp now) {
  constexpr std::string_view kOperation = "add user";
  const std::lock_guard lock(mutex_);
  if (name.empty()) return make_error("user name must not be empty");
  auto insert = Statement::prepare(
      db_, "INSERT INTO users(name, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
      kOperation);
  if (!insert) return insert.error();
  bind_text(insert->get(), 1, name);
  bind_text(insert->get(), 2, display_name);
  bind_text(insert->get(), 3, password_hash);
  bind_int64(insert->get(), 4, now);
  if (insert->step() != SQLITE_DONE) {
    if (is_constraint(db_, SQLITE_CONSTRAINT_UNIQUE)) return make_error("user '" + name + "' already exists");
    return sql_error(db_, kOperation);
  }
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::optional<UserRecord>> UserStore::find_user(const std::string& name) {
  constexpr std::string_view kOperation = "find user";
  const std::lock_guard lock(mutex_);
  auto select = Statement::prepare(db_, select_from(kUserColumns, "users WHERE name = ?1"), kOperation);
  if (!select) return select.error();
  bind_text(select->get(), 1, name);
  return at_most_one<UserRecord>(db_, *select, read_user, kOperation);
}

Result<std::optional<UserRecord>> UserStore::find_user(std::int64_t id) {
  constexpr std::string_view kOperation = "find user";
  const std::lock_guard lock(mutex_);
  auto select = Statement::prepare(db_, select_from(kUserColumns, "users WHERE id = ?1"), kOperation);
  if (!select) return select.error();
  bind_int64(select->get(), 1, id);
  return at_most_one<UserRecord>(db_, *select, read_user, kOperation);
}

Result<std::vector<UserRecord>> UserStore::users() {
  constexpr std::string_view kOperation = "list users";
  const std::lock_guard lock(mutex_);
  auto select = Statement::prepare(db_, select_from(kUserColumns, "users ORDER BY name"), kOperation);
  if (!select) return select.error();
  return all_rows<UserRecord>(db_, *select, read_user, kOperation);
}

Result<std::int64_t> UserStore::user_count() {
  constexpr std::string_view kOperation = "count users";
  const std::lock_guard lock(mutex_);
  auto count = Statement::prepare(db_, "SELECT COUNT(*) FROM users", kOperation);
  if (!count) return count.error();
  if (count->step() != SQLITE_ROW) return sql_error(db_, kOperation);
  return column_int64(count->get(), 0);
}

Result<void> UserStore::set_password_hash(std::int64_t user_id, const std::string& password_hash) {
  constexpr std::string_view kOperation = "set password";
  const std::lock_guard lock(mutex_);
  auto update = Statement::prepare(db_, "UPDATE users SET password_hash = ?2 WHERE id = ?1", kOperation);
  if (!update) return update.error();
  bind_int64(update->get(), 1, user_id);
  bind_text(update->get(), 2, password_hash);
  if (auto done = run(db_, *update, kOperation); !done) return done;
  return expect_user_changed(db_, user_id);
}

Result<void> UserStore::set_disabled(std::int64_t user_id, bool disabled) {
  constexpr std::string_view kOperation = "set user disabled";
  const std::lock_guard lock(mutex_);
  auto update = Statement::prepare(db_, "UPDATE users SET disabled = ?2 WHERE id = ?1", kOperation);
  if (!update) return update.error();
  bind_int64(update->get(), 1, user_id);
  sqlite3_bind_int(update->get(), 2, disabled ? 1 : 0);
  if (auto done = run(db_, *update, kOperation); !done) return done;
  return expect_user_changed(db_, user_id);
}

Result<int> UserStore::record_login_failure(std::int64_t user_id, Timestamp locked_until) {
  constexpr std::string_view kOperation = "record login failure";
  const std::lock_guard lock(mutex_);
  // MAX: a later failure never shortens a lock-out already in force.
  auto update =
      Statement::prepare(db_,
                         "UPDATE users SET failed_logins = failed_logins + 1, "
                         "locked_until = MAX(locked_until, ?2) WHERE id = ?1 RETURNING failed_logins",
                         kOperation);
  if (!update) return update.error();
  bind_int64(update->get(), 1, user_id);
  bind_int64(update->get(), 2, locked_until);
  const int rc = update->step();
  if (rc == SQLITE_DONE) return unknown_user(user_id);
  if (rc != SQLITE_ROW) return sql_error(db_, kOperation);
  const int failures = sqlite3_column_int(update->get(), 0);
  if (update->step() != SQLITE_DONE) return sql_error(db_, kOperation);  // completes the UPDATE
  return failures;
}

Result<void> UserStore::clear_login_failures(std::int64_t user_id) {
  constexpr std::string_view kOperation = "clear login failures";
  const std::lock_guard lock(mutex_);
  auto update = Statement::prepare(db_, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1",
                                   kOperation);
  if (!update) return update.error();
  bind_int64(update->get(), 1, user_id);
  if (auto done = run(db_, *update, kOperation); !done) return done;
  return expect_user_changed(db_, user_id);
}

// ---- Roles and grants -----------------------------------------------------------------------

Result<void> UserStore::upsert_role(const RoleRecord& role) {
  constexpr std::string_view kOperation = "upsert role";
  const std::lock_guard lock(mutex_);
  if (role.name.empty()) return make_error("role name must not be empty");
  Transaction transaction(db_);
  if (auto begun = transaction.begin(kOperation); !begun) return begun;
  {
    auto upsert = Statement::prepare(db_,
                                     "INSERT INTO roles(name, description, builtin) VALUES (?1, ?2, ?3) "
                                     "ON CONFLICT(name) DO UPDATE SET description = excluded.description, "
                                     "builtin = excluded.builtin",
                                     kOperation);
    if (!upsert) return upsert.error();
    bind_text(upsert->get(), 1, role.name);
    bind_text(upsert->get(), 2, role.description);
    sqlite3_bind_int(upsert->get(), 3, role.builtin ? 1 : 0);
    if (auto done = run(db_, *upsert, kOperation); !done) return done;

    auto clear = Statement::prepare(db_, "DELETE FROM role_permissions WHERE role = ?1", kOperation);
    if (!clear) return clear.error();
    bind_text(clear->get(), 1, role.name);
    if (auto done = run(db_, *clear, kOperation); !done) return done;

    auto insert = Statement::prepare(
        db_, "INSERT OR IGNORE INTO role_permissions(role, permission) VALUES (?1, ?2)", kOperation);
    if (!insert) return insert.error();
    for (const auto& permission : role.permissions) {
      bind_text(insert->get(), 1, role.name);
      bind_text(insert->get(), 2, permission);
      if (auto done = run(db_, *insert, kOperation); !done) return done;
      insert->reset();
    }
  }
  return transaction.commit(kOperation);
}

Result<std::vector<RoleRecord>> UserStore::roles() {
  constexpr std::string_view kOperation = "list roles";
  const std::lock_guard lock(mutex_);
  auto select =
      Statement::prepare(db_,
                         "SELECT r.name, r.description, r.builtin, p.permission FROM roles r "
                         "LEFT JOIN role_permissions p ON p.role = r.name ORDER BY r.name, p.permission",
                         kOperation);
  if (!select) return select.error();
  std::vector<RoleRecord> roles;
  int rc = SQLITE_ROW;
  while ((rc = select->step()) == SQLITE_ROW) {
    sqlite3_stmt* row = select->get();
    auto name = column_text(row, 0);
    if (roles.empty() || roles.back().name != name) {
      roles.push_back(RoleRecord{std::move(name), column_text(row, 1), sqlite3_column_int(row, 2) != 0, {}});
    }
    if (sqlite3_column_type(row, 3) != SQLITE_NULL) roles.back().permissions.push_back(column_text(row, 3));
  }
  if (rc != SQLITE_DONE) return sql_error(db_, kOperation);
  return roles;
}

Result<void> UserStore::grant(std::int64_t user_id, const std::string& role, const std::string& scope) {
  constexpr std::string_view kOperation = "grant role";
  const std::lock_guard lock(mutex_);
  auto user_known = user_exists(db_, user_id, kOperation);
  if (!user_known) return user_known.error();
  if (!*user_known) return unknown_user(user_id);
  auto role_known = role_exists(db_, role, kOperation);
  if (!role_known) return role_known.error();
  if (!*role_known) return make_error("unknown role '" + role + "'");
  // Granting what the user already has is not an error: the result is the same.
  auto insert = Statement::prepare(
      db_, "INSERT OR IGNORE INTO user_roles(user_id, role, scope) VALUES (?1, ?2, ?3)", kOperation);
  if (!insert) return insert.error();
  bind_int64(insert->get(), 1, user_id);
  bind_text(insert->get(), 2, role);
  bind_text(insert->get(), 3, scope);
  return run(db_, *insert, kOperation);
}

Result<void> UserStore::revoke(std::int64_t user_id, const std::string& role, const std::string& scope) {
  constexpr std::string_view kOperation = "revoke role";
  const std::lock_guard lock(mutex_);
  auto remove = Statement::prepare(
      db_, "DELETE FROM user_roles WHERE user_id = ?1 AND role = ?2 AND scope = ?3", kOperation);
  if (!remove) return remove.error();
  bind_int64(remove->get(), 1, user_id);
  bind_text(remove->get(), 2, role);
  bind_text(remove->get(), 3, scope);
  if (auto done = run(db_, *remove, kOperation); !done) return done;
  if (sqlite3_changes(db_) != 0) return {};
  auto user_known = user_exists(db_, user_id, kOperation);
  if (!user_known) return user_known.error();
  if (!*user_known) return unknown_user(user_id);
  return make_error("user " + std::to_string(user_id) + " has no grant of role '" + role + "' at scope '" +
                    scope + "'");
}

Result<std::vector<GrantRecord>> UserStore::grants(std::int64_t user_id) {
  constexpr std::string_view kOperation = "list grants";
  const std::lock_guard lock(mutex_);
  auto user_known = user_exists(db_, user_id, kOperation);
  if (!user_known) return user_known.error();
  if (!*user_known) return unknown_user(user_id);
  auto select = Statement::prepare(
      db_, "SELECT role, scope FROM user_roles WHERE user_id = ?1 ORDER BY scope, role", kOperation);
  if (!select) return select.error();
  bind_int64(select->get(), 1, user_id);
  return all_rows<GrantRecord>(
      db_, *select,
      [](sqlite3_stmt* row) {
        return GrantRecord{column_text(row, 0), column_text(row, 1)};
      },
      kOperation);
}

// ---- Sessions -------------------------------------------------------------------------------

Result<void> UserStore::create_session(const SessionRecord& session) {
  constexpr std::string_view kOperation = "create session";
  const std::lock_guard lock(mutex_);
  auto insert =
      Statement::prepare(db_,
                         "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, last_seen, "
                         "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         kOperation);
  if (!insert) return insert.error();
  bind_text(insert->get(), 1, session.token_hash);
  bind_int64(insert->get(), 2, session.user_id);
  bind_text(insert->get(), 3, session.csrf_token);
  bind_int64(insert->get(), 4, session.created_at);
  bind_int64(insert->get(), 5, session.last_seen);
  bind_int64(insert->get(), 6, session.expires_at);
  if (insert->step() == SQLITE_DONE) return {};
  if (is_constraint(db_, SQLITE_CONSTRAINT_FOREIGNKEY)) return unknown_user(session.user_id);
  if (is_constraint(db_, SQLITE_CONSTRAINT_PRIMARYKEY)) return make_error("session already exists");
  return sql_error(db_, kOperation);
}

Result<std::optional<SessionRecord>> UserStore::find_session(const std::string& token_hash) {
  constexpr std::string_view kOperation = "find session";
  const std::lock_guard lock(mutex_);
  auto select =
      Statement::prepare(db_, select_from(kSessionColumns, "sessions WHERE token_hash = ?1"), kOperation);
  if (!select) return select.error();
  bind_text(select->get(), 1, token_hash);
  return at_most_one<SessionRecord>(db_, *select, read_session, kOperation);
}

// Touching or deleting a session that is already gone is not an error: it may have expired or
// been logged out by another request in between.
Result<void> UserStore::touch_session(const std::string& token_hash, Timestamp now) {
  constexpr std::string_view kOperation = "touch session";
  const std::lock_guard lock(mutex_);
  auto update = Statement::prepare(
      db_, "UPDATE sessions SET last_seen = MAX(last_seen, ?2) WHERE token_hash = ?1", kOperation);
  if (!update) return update.error();
  bind_text(update->get(), 1, token_hash);
  bind_int64(update->get(), 2, now);
  return run(db_, *update, kOperation);
}

Result<void> UserStore::delete_session(const std::string& token_hash) {
  constexpr std::string_view kOperation = "delete session";
  const std::lock_guard lock(mutex_);
  auto remove = Statement::prepare(db_, "DELETE FROM sessions WHERE token_hash = ?1", kOperation);
  if (!remove) return remove.error();
  bind_text(remove->get(), 1, token_hash);
  return run(db_, *remove, kOperation);
}

Result<void> UserStore::delete_sessions_of(std::int64_t user_id) {
  constexpr std::string_view kOperation = "delete sessions of user";
  const std::lock_guard lock(mutex_);
  auto remove = Statement::prepare(db_, "DELETE FROM sessions WHERE user_id = ?1", kOperation);
  if (!remove) return remove.error();
  bind_int64(remove->get(), 1, user_id);
  return run(db_, *remove, kOperation);
}

Result<int> UserStore::delete_expired_sessions(Timestamp now, Timestamp idle_timeout) {
  constexpr std::string_view kOperation = "delete expired sessions";
  const std::lock_guard lock(mutex_);
  auto remove = Statement::prepare(db_, "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen + ?2 <= ?1",
                                   kOperation);
  if (!remove) return remove.error();
  bind_int64(remove->get(), 1, now);
  bind_int64(remove->get(), 2, idle_timeout);
  if (auto done = run(db_, *remove, kOperation); !done) return done.error();
  return sqlite3_changes(db_);
}

// ---- API tokens -----------------------------------------------------------------------------

Result<std::int64_t> UserStore::add_token(const std::string& token_hash, std::int64_t user_id,
                                          const std::string& name, Timestamp now, Timestamp expires_at) {
  constexpr std::string_view kOperation = "add API token";
  const std::lock_guard lock(mutex_);
  auto insert = Statement::prepare(
      db_,
      "INSERT INTO api_tokens(token_hash, user_id, name, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
      kOperation);
  if (!insert) return insert.error();
  bind_text(insert->get(), 1, token_hash);
  bind_int64(insert->get(), 2, user_id);
  bind_text(insert->get(), 3, name);
  bind_int64(insert->get(), 4, now);
  bind_int64(insert->get(), 5, expires_at);
  if (insert->step() != SQLITE_DONE) {
    if (is_constraint(db_, SQLITE_CONSTRAINT_FOREIGNKEY)) return unknown_user(user_id);
    if (is_constraint(db_, SQLITE_CONSTRAINT_UNIQUE)) return make_error("API token already exists");
    return sql_error(db_, kOperation);
  }
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::optional<TokenRecord>> UserStore::find_token(const std::string& token_hash) {
  constexpr std::string_view kOperation = "find API token";
  const std::lock_guard lock(mutex_);
  auto select =
      Statement::prepare(db_, select_from(kTokenColumns, "api_tokens WHERE token_hash = ?1"), kOperation);
  if (!select) return select.error();
  bind_text(select->get(), 1, token_hash);
  return at_most_one<TokenRecord>(db_, *select, read_token, kOperation);
}

Result<std::optional<TokenRecord>> UserStore::find_token(std::int64_t id) {
  constexpr std::string_view kOperation = "find API token";
  const std::lock_guard lock(mutex_);
  auto select = Statement::prepare(db_, select_from(kTokenColumns, "api_tokens WHERE id = ?1"), kOperation);
  if (!select) return select.error();
  bind_int64(select->get(), 1, id);
  return at_most_one<TokenRecord>(db_, *select, read_token, kOperation);
}

Result<std::vector<TokenRecord>> UserStore::tokens(std::optional<std::int64_t> user_id) {
  constexpr std::string_view kOperation = "list API tokens";
  const std::lock_guard lock(mutex_);
  auto select = Statement::prepare(
      db_, select_from(kTokenColumns, "api_tokens WHERE ?1 IS NULL OR user_id = ?1 ORDER BY id"), kOperation);
  if (!select) return select.error();
  if (user_id) bind_int64(select->get(), 1, *user_id);  // unbound stays NULL: every user's tokens
  return all_rows<TokenRecord>(db_, *select, read_token, kOperation);
}

Result<void> UserStore::revoke_token(std::int64_t id, Timestamp now) {
  constexpr std::string_view kOperation = "revoke API token";
  const std::lock_guard lock(mutex_);
  // Revoking twice keeps the first revocation time, which is what the audit trail recorded.
  auto update = Statement::prepare(
      db_, "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0", kOperation);
  if (!update) return update.error();
  bind_int64(update->get(), 1, id);
  bind_int64(update->get(), 2, now);
  if (auto done = run(db_, *update, kOperation); !done) return done;
  if (sqlite3_changes(db_) != 0) return {};
  auto known = row_exists(db_, "SELECT 1 FROM api_tokens WHERE id = ?1", kOperation,
                          [&](sqlite3_stmt* statement) { bind_int64(statement, 1, id); });
  if (!known) return known.error();
  if (!*known) return make_error("unknown API token id " + std::to_string(id));
  return {};
}

}  // namespace strata::store
