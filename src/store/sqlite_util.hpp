#pragma once
// Private to strata_store: thin RAII over the SQLite C API, turning every failure into a
// strata::Error that names the operation, the database path and SQLite's own message.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace strata::store::detail {

inline std::string db_path(sqlite3* db) {
  const char* name = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (name == nullptr || *name == '\0') return ":memory:";
  return name;
}

// "store: <operation> failed on '<path>': <sqlite message> (code N)"
inline Error sql_error(sqlite3* db, std::string_view operation) {
  std::string message = "store: ";
  message.append(operation);
  message += " failed on '" + db_path(db) + "': ";
  if (db != nullptr) {
    message += sqlite3_errmsg(db);
    message += " (code " + std::to_string(sqlite3_extended_errcode(db)) + ")";
  } else {
    message += "no connection";
  }
  return Error{std::move(message)};
}

// A prepared statement, finalized on destruction. Bind indices are 1-based as in SQLite.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept {
    if (this != &other) {
      sqlite3_finalize(stmt_);
      stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
  }
  ~Statement() { sqlite3_finalize(stmt_); }

  static Result<Statement> prepare(sqlite3* db, std::string_view sql, std::string_view operation) {
    Statement statement;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &statement.stmt_, nullptr) !=
        SQLITE_OK) {
      return sql_error(db, operation);
    }
    return statement;
  }

  [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }

  // Steps once: SQLITE_ROW or SQLITE_DONE on success; anything else is reported by the caller
  // through sql_error (the connection's errmsg then describes it).
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

inline Result<void> exec(sqlite3* db, const std::string& sql, std::string_view operation) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return sql_error(db, operation);
  return {};
}

// BEGIN IMMEDIATE (take the write lock up front so a busy writer waits on busy_timeout instead of
// failing a lock upgrade mid-transaction); rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (active_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  Result<void> begin(std::string_view operation) {
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return sql_error(db_, std::string(operation) + " (begin)");
    }
    active_ = true;
    return {};
  }
  Result<void> commit(std::string_view operation) {
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return sql_error(db_, std::string(operation) + " (commit)");
    }
    active_ = false;
    return {};
  }

 private:
  sqlite3* db_;
  bool active_ = false;
};

inline std::string column_text(sqlite3_stmt* statement, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, index));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, index));
  return text != nullptr ? std::string(text, size) : std::string();
}

inline std::int64_t column_int64(sqlite3_stmt* statement, int index) {
  return static_cast<std::int64_t>(sqlite3_column_int64(statement, index));
}

// SQLITE_STATIC: the caller keeps `text` alive until the statement has stepped.
inline void bind_text(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

inline void bind_int64(sqlite3_stmt* statement, int index, std::int64_t value) {
  sqlite3_bind_int64(statement, index, static_cast<sqlite3_int64>(value));
}

// The schema step the database is at (PRAGMA user_version).
inline Result<int> read_user_version(sqlite3* db) {
  auto statement = Statement::prepare(db, "PRAGMA user_version", "read schema version");
  if (!statement) return statement.error();
  if (statement->step() != SQLITE_ROW) return sql_error(db, "read schema version");
  return sqlite3_column_int(statement->get(), 0);
}

// Every connection of the store waits this long for another writer (the engine's writer, the
// CLI, the audit log) instead of failing at once with SQLITE_BUSY.
inline constexpr int kBusyTimeoutMs = 5000;

// Settings every connection needs: extended error codes in messages and the busy timeout.
inline Result<void> configure_connection(sqlite3* db) {
  sqlite3_extended_result_codes(db, 1);
  if (sqlite3_busy_timeout(db, kBusyTimeoutMs) != SQLITE_OK) return sql_error(db, "set busy_timeout");
  return {};
}

}  // namespace strata::store::detail
