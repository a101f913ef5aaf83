#pragma once
// Tamper-evident audit trail (schema step 4): every operator and configuration action, appended
// with a SHA-256 hash chain. A head file beside the database records the last (seq, hash), so
// deleting the newest records is caught too. Thread- and process-safe appends.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

struct sqlite3;

namespace strata::store {

struct AuditEntry {
  Timestamp time = 0;
  std::string user;           // user name, "system" or "cli:<os user>"
  std::string action;         // "login", "login.failed", "logout", "command", "user.add", "token.create", ...
  std::string subject;        // equipment path, user name, token id
  std::string before = "{}";  // JSON
  std::string after = "{}";   // JSON
  std::string reason;
  bool is_signed = false;  // electronic signature: password re-entered with a reason
};

struct AuditRecord {
  std::int64_t seq = 0;
  AuditEntry entry;
  std::string prev_hash;
  std::string hash;
};

struct AuditQuery {
  std::int64_t after_seq = 0;
  std::size_t limit = 1000;
  std::string user;    // empty = any
  std::string action;  // empty = any
};

class AuditLog {
 public:
  // head_path: the head file, conventionally "<data dir>/audit.head".
  static Result<std::unique_ptr<AuditLog>> open(const std::string& db_path, const std::string& head_path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one record in its own transaction and returns it with seq and hashes.
  Result<AuditRecord> append(const AuditEntry& entry);
  Result<std::vector<AuditRecord>> records(const AuditQuery& query);

 private:
  AuditLog(sqlite3* db, std::string head_path);
  std::mutex mutex_;
  sqlite3* db_;
  std::string head_path_;
};

struct AuditVerification {
  std::int64_t records_checked = 0;
  std::vector<std::string> problems;  // each names the seq and what is wrong; empty = intact
  [[nodiscard]] bool intact() const { return problems.empty(); }
};

// Walks the whole chain read-only: recomputes every hash, checks prev_hash links and seq gaps,
// and compares the last record with the head file.
Result<AuditVerification> verify_audit(const std::string& db_path, const std::string& head_path);

// The hash of a record: SHA-256 hex over prev_hash and the fields, each length-prefixed so that
// no two different records encode alike.
[[nodiscard]] std::string audit_hash(const std::string& prev_hash, std::int64_t seq, const AuditEntry& entry);

}  // namespace strata::store
