#include "store/audit_log.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
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

constexpr int kAuditSchemaVersion = 4;  // migration step that created the audit table
const std::string kGenesisHash(64, '0');
// Versions the encoding: a future change of the hashed fields gets a new tag, so old and new
// records can never be confused.
constexpr std::string_view kEncodingTag = "strata.audit.v1";

// ---- hashing -------------------------------------------------------------------------------

void put_u64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<unsigned char>((value >> shift) & 0xFFU)));
  }
}

// Every field is an 8-byte big-endian length followed by its bytes, so field boundaries are part
// of the hashed data ("ab"+"c" and "a"+"bc" encode differently).
void put_field(std::string& out, std::string_view bytes) {
  put_u64(out, bytes.size());
  out.append(bytes);
}

void put_field(std::string& out, std::int64_t value) {
  put_u64(out, sizeof(std::uint64_t));
  put_u64(out, static_cast<std::uint64_t>(value));
}

// ---- head file -----------------------------------------------------------------------------

struct Head {
  std::int64_t seq = 0;
  std::string hash;
};

bool is_hex_hash(const std::string& text) {
  if (text.size() != kGenesisHash.size()) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// nullopt when the file does not exist (a fresh data dir); an Error when it exists but cannot be
// read or is not "seq hash\n", since that is either damage or tampering and must not be papered over.
Result<std::optional<Head>> read_head(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return make_error("audit: cannot check head file '" + path + "': " + ec.message());
    return std::optional<Head>{};
  }
  std::ifstream in(path);
  if (!in) return make_error("audit: cannot read head file '" + path + "': " + std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(content);
  Head head;
  std::string rest;
  if (!(fields >> head.seq >> head.hash) || head.seq < 1 || !is_hex_hash(head.hash) || (fields >> rest)) {
    return make_error("audit: head file '" + path + "' is malformed (expected \"<seq> <sha256 hex>\")");
  }
  return std::optional<Head>{std::move(head)};
}

Error errno_error(const std::string& what, const std::string& path) {
  return make_error("audit: " + what + " '" + path + "' failed: " + std::strerror(errno));
}

// Write a temp file, fsync it, rename it over the head and fsync the directory: a crash leaves
// either the old or the new head, never a torn one.
Result<void> write_head(const std::string& path, const Head& head) {
  const std::string temp = path + ".tmp";
  const std::string content = std::to_string(head.seq) + " " + head.hash + "\n";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_error("create", temp);
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto error = errno_error("write", temp);
      ::close(fd);
      return error;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto error = errno_error("fsync", temp);
    ::close(fd);
    return error;
  }
  if (::close(fd) != 0) return errno_error("close", temp);
  if (::rename(temp.c_str(), path.c_str()) != 0) return errno_error("rename to", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return errno_error("open directory", dir);
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) return errno_error("fsync directory", dir);
  return {};
}

// ---- SQLite helpers ------------------------------------------------------------------------

struct Connection {
  sqlite3* db = nullptr;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close_v2(db); }
  sqlite3* release() { return std::exchange(db, nullptr); }
};

Result<void> open_connection(Connection& connection, const std::string& path, int flags) {
  const int rc = sqlite3_open_v2(path.c_str(), &connection.db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    return make_error("audit: open failed on '" + path + "': " +
                      (connection.db != nullptr ? sqlite3_errmsg(connection.db) : sqlite3_errstr(rc)));
  }
  return detail::configure_connection(connection.db);
}

Result<void> require_audit_schema(sqlite3* db) {
  auto read = read_user_version(db);
  if (!read) return read.error();
  const int version = *read;
  if (version < kAuditSchemaVersion) {
    return make_error("audit: database '" + detail::db_path(db) + "' has schema version " +
                      std::to_string(version) + ", which has no audit trail (needs " +
                      std::to_string(kAuditSchemaVersion) + "); open it once with the server to migrate");
  }
  return {};
}

constexpr std::string_view kRecordColumns =
    "SELECT seq, time, user, action, subject, before, after, reason, signed, prev_hash, hash FROM audit";

AuditRecord read_record(sqlite3_stmt* statement) {
  AuditRecord record;
  record.seq = sqlite3_column_int64(statement, 0);
  record.entry.time = sqlite3_column_int64(statement, 1);
  record.entry.user = column_text(statement, 2);
  record.entry.action = column_text(statement, 3);
  record.entry.subject = column_text(statement, 4);
  record.entry.before = column_text(statement, 5);
  record.entry.after = column_text(statement, 6);
  record.entry.reason = column_text(statement, 7);
  record.entry.is_signed = sqlite3_column_int64(statement, 8) != 0;
  record.prev_hash = column_text(statement, 9);
  record.hash = column_text(statement, 10);
  return record;
}

std::int64_t clamp_limit(std::size_t limit) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(limit > kMax ? kMax : limit);
}

}  // namespace

std::string audit_hash(const std::string& prev_hash, std::int64_t seq, const AuditEntry& entry) {
  std::string encoded;
  put_field(encoded, kEncodingTag);
  put_field(encoded, prev_hash);
  put_field(encoded, seq);
  put_field(encoded, entry.time);
  put_field(encoded, entry.user);
  put_field(encoded, entry.action);
  put_field(encoded, entry.subject);
  put_field(encoded, entry.before);
  put_field(encoded, entry.after);
  put_field(encoded, entry.reason);
  put_field(encoded, std::string_view(entry.is_signed ? "\x01" : "\x00", 1));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

AuditLog::AuditLog(sqlite3* db, std::string head_path) : db_(db), head_path_(std::move(head_path)) {}

AuditLog::~AuditLog() {
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(const std::string& db_path, const std::string& head_path) {
  if (sodium_init() < 0) return make_error("audit: libsodium failed to initialise");
  Connection connection;
  // No SQLITE_OPEN_CREATE: the database is created and migrated by Store::open.
  if (auto opened = open_connection(connection, db_path, SQLITE_OPEN_READWRITE); !opened) {
    return opened.error();
  }
  sqlite3* db = connection.db;
  if (auto schema = require_audit_schema(db); !schema) return schema.error();
  {
    auto mode = Statement::prepare(db, "PRAGMA journal_mode = WAL", "set journal_mode=WAL");
    if (!mode) return mode.error();
    if (mode->step() != SQLITE_ROW) return sql_error(db, "set journal_mode=WAL");
    const std::string journal_mode = column_text(mode->get(), 0);
    if (journal_mode != "wal") {
      return make_error("audit: could not enable WAL on '" + db_path + "' (journal_mode is " + journal_mode +
                        ")");
    }
  }
  // FULL, not the store's NORMAL: the head file is fsynced right after each commit, so the commit
  // must be on disk first, or a power loss would leave the head ahead of the trail and verify
  // would report a truncation that never happened.
  if (auto sync = exec(db, "PRAGMA synchronous = FULL", "set synchronous=FULL"); !sync) return sync.error();
  return std::unique_ptr<AuditLog>(new AuditLog(connection.release(), head_path));
}

Result<AuditRecord> AuditLog::append(const AuditEntry& entry) {
  constexpr std::string_view kOperation = "append audit record";
  std::lock_guard lock(mutex_);
  AuditRecord record;
  record.entry = entry;
  {
    // IMMEDIATE takes the write lock before reading the last record, so another connection or
    // process cannot append between our read and our insert and fork the chain.
    Transaction transaction(db_);
    if (auto begun = transaction.begin(kOperation); !begun) return begun.error();
    auto last = Statement::prepare(db_, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", kOperation);
    if (!last) return last.error();
    const int rc = last->step();
    if (rc == SQLITE_ROW) {
      record.seq = sqlite3_column_int64(last->get(), 0) + 1;
      record.prev_hash = column_text(last->get(), 1);
    } else if (rc == SQLITE_DONE) {
      record.seq = 1;
      record.prev_hash = kGenesisHash;
    } else {
      return sql_error(db_, kOperation);
    }
    // If the newest records were deleted, the head still names a later seq: number past it, so the
    // gap stays in the trail for verify to report instead of being papered over by new records.
    if (auto head = read_head(head_path_); head && head->has_value() && (*head)->seq >= record.seq) {
      record.seq = (*head)->seq + 1;
    }
    record.hash = audit_hash(record.prev_hash, record.seq, entry);
    auto insert = Statement::prepare(db_,
                                     "INSERT INTO audit(seq, time, user, action, subject, before, after, "
                                     "reason, signed, prev_hash, hash) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                     kOperation);
    if (!insert) return insert.error();
    sqlite3_stmt* statement = insert->get();
    sqlite3_bind_int64(statement, 1, record.seq);
    sqlite3_bind_int64(statement, 2, entry.time);
    bind_text(statement, 3, entry.user);
    bind_text(statement, 4, entry.action);
    bind_text(statement, 5, entry.subject);
    bind_text(statement, 6, entry.before);
    bind_text(statement, 7, entry.after);
    bind_text(statement, 8, entry.reason);
    sqlite3_bind_int(statement, 9, entry.is_signed ? 1 : 0);
    bind_text(statement, 10, record.prev_hash);
    bind_text(statement, 11, record.hash);
    if (insert->step() != SQLITE_DONE) return sql_error(db_, kOperation);
    if (auto committed = transaction.commit(kOperation); !committed) return committed.error();
  }

  // The head is written only after the commit (a head naming an uncommitted record would later
  // read as a truncation). Writers of the head take the database write lock, so two processes
  // cannot interleave read-compare-rename and move the head backwards.
  constexpr std::string_view kHeadOperation = "update audit head";
  const auto head_failed = [&](const Error& error) {
    return make_error("audit: record seq " + std::to_string(record.seq) +
                      " was committed but the head file was not updated: " + error.message);
  };
  Transaction head_lock(db_);
  if (auto begun = head_lock.begin(kHeadOperation); !begun) return head_failed(begun.error());
  auto current = read_head(head_path_);
  if (!current) return head_failed(current.error());
  if (!*current || (*current)->seq < record.seq) {
    if (auto written = write_head(head_path_, Head{record.seq, record.hash}); !written) {
      return head_failed(written.error());
    }
  }
  if (auto released = head_lock.commit(kHeadOperation); !released) return head_failed(released.error());
  return record;
}

Result<std::vector<AuditRecord>> AuditLog::records(const AuditQuery& query) {
  constexpr std::string_view kOperation = "query audit records";
  std::lock_guard lock(mutex_);
  std::vector<AuditRecord> records;
  if (query.limit == 0) return records;
  auto select =
      Statement::prepare(db_,
                         std::string(kRecordColumns) +
                             " WHERE seq > ?1 AND (?2 = '' OR user = ?2) AND (?3 = '' OR action = ?3)"
                             " ORDER BY seq LIMIT ?4",
                         kOperation);
  if (!select) return select.error();
  sqlite3_stmt* statement = select->get();
  sqlite3_bind_int64(statement, 1, query.after_seq);
  bind_text(statement, 2, query.user);
  bind_text(statement, 3, query.action);
  sqlite3_bind_int64(statement, 4, clamp_limit(query.limit));
  int rc = SQLITE_OK;
  while ((rc = select->step()) == SQLITE_ROW) records.push_back(read_record(statement));
  if (rc != SQLITE_DONE) return sql_error(db_, kOperation);
  return records;
}

Result<AuditVerification> verify_audit(const std::string& db_path, const std::string& head_path) {
  constexpr std::string_view kOperation = "verify audit trail";
  if (sodium_init() < 0) return make_error("audit: libsodium failed to initialise");
  Connection connection;
  if (auto opened = open_connection(connection, db_path, SQLITE_OPEN_READONLY); !opened)
    return opened.error();
  sqlite3* db = connection.db;
  if (auto schema = require_audit_schema(db); !schema) return schema.error();

  AuditVerification result;
  auto& problems = result.problems;
  // Read the head before the walk: a record appended meanwhile then only makes the head lag,
  // which is not a problem, whereas the reverse order could see a head beyond the walked trail.
  auto head_read = read_head(head_path);
  std::optional<Head> head;
  if (head_read) {
    head = std::move(*head_read);
  } else {
    problems.push_back(head_read.error().message);
  }
  std::optional<std::string> hash_at_head_seq;

  // One read transaction, so the walk sees a single snapshot even while the server appends.
  // Closing the connection ends it on any early return.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return sql_error(db, kOperation);
  auto select = Statement::prepare(db, std::string(kRecordColumns) + " ORDER BY seq", kOperation);
  if (!select) return select.error();
  std::int64_t expected_seq = 1;
  std::string expected_prev = kGenesisHash;
  int rc = SQLITE_OK;
  while ((rc = select->step()) == SQLITE_ROW) {
    const AuditRecord record = read_record(select->get());
    const std::string seq = std::to_string(record.seq);
    ++result.records_checked;
    if (record.seq > expected_seq) {
      problems.push_back(record.seq - 1 == expected_seq
                             ? "record " + std::to_string(expected_seq) + " missing (deleted?)"
                             : "records " + std::to_string(expected_seq) + ".." +
                                   std::to_string(record.seq - 1) + " missing (deleted?)");
    }
    if (audit_hash(record.prev_hash, record.seq, record.entry) != record.hash) {
      problems.push_back("seq " + seq + ": hash does not match its content (edited?)");
    }
    if (record.prev_hash != expected_prev) {
      problems.push_back("seq " + seq +
                         ": previous-hash link broken (a record before it was deleted or changed?)");
    }
    if (head && record.seq == head->seq) hash_at_head_seq = record.hash;
    expected_seq = record.seq + 1;
    expected_prev = record.hash;
  }
  if (rc != SQLITE_DONE) return sql_error(db, kOperation);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);  // read-only: nothing to keep or lose

  const std::int64_t last_seq = expected_seq - 1;
  if (!head_read) {
    // Already reported: the head could not be read.
  } else if (!head) {
    if (result.records_checked > 0) {
      problems.push_back("head file '" + head_path + "' is missing but the trail has records up to seq " +
                         std::to_string(last_seq) + " (head deleted?)");
    }
  } else if (head->seq > last_seq) {
    problems.push_back("records after seq " + std::to_string(last_seq) + " up to " +
                       std::to_string(head->seq) + " are missing (truncated?)");
  } else if (hash_at_head_seq && *hash_at_head_seq != head->hash) {
    // head->seq < last_seq is a head that lags (a crash between commit and head update, or an
    // append racing this walk): fine, as long as the record it names is the one it recorded.
    problems.push_back("seq " + std::to_string(head->seq) +
                       ": hash differs from the head file (record replaced?)");
  }
  return result;
}

}  // namespace strata::store
