#include "store/store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "store/migrations.hpp"
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

// Type codes of the history.type column.
enum class ValueType : int { None = 0, Bool = 1, Int64 = 2, Double = 3, String = 4 };

Error newer_schema_error(sqlite3* db, int version) {
  return make_error("store: database '" + detail::db_path(db) + "' has schema version " +
                    std::to_string(version) + ", newer than this build of Strata supports (" +
                    std::to_string(detail::kLatestSchemaVersion) +
                    "); use a newer Strata or another database file");
}

// Applies every step above the current version, one transaction per step. The version is re-read
// inside each write transaction, so two processes opening the same new file cannot apply a step
// twice.
Result<int> migrate(sqlite3* db) {
  auto current = read_user_version(db);
  if (!current) return current.error();
  if (*current > detail::kLatestSchemaVersion) return newer_schema_error(db, *current);
  if (*current == detail::kLatestSchemaVersion) return current;  // reopen: nothing to do
  for (const auto& migration : detail::kMigrations) {
    Transaction transaction(db);
    const std::string operation = "schema migration " + std::to_string(migration.version);
    if (auto begun = transaction.begin(operation); !begun) return begun.error();
    auto version = read_user_version(db);
    if (!version) return version.error();
    if (*version > detail::kLatestSchemaVersion) return newer_schema_error(db, *version);
    if (*version >= migration.version) continue;  // already applied; the transaction rolls back
    if (*version != migration.version - 1) {
      return make_error("store: database '" + detail::db_path(db) + "' is at schema version " +
                        std::to_string(*version) + ", cannot apply migration " +
                        std::to_string(migration.version));
    }
    if (auto done = exec(db, std::string(migration.sql), operation); !done) return done.error();
    auto record = Statement::prepare(
        db, "INSERT INTO schema_migrations(version, description) VALUES (?1, ?2)", operation);
    if (!record) return record.error();
    sqlite3_bind_int(record->get(), 1, migration.version);
    sqlite3_bind_text(record->get(), 2, migration.description.data(),
                      static_cast<int>(migration.description.size()), SQLITE_STATIC);
    if (record->step() != SQLITE_DONE) return sql_error(db, operation);
    // PRAGMA takes no bound parameters; the version is our own integer.
    if (auto bumped = exec(db, "PRAGMA user_version = " + std::to_string(migration.version), operation);
        !bumped) {
      return bumped.error();
    }
    if (auto committed = transaction.commit(operation); !committed) return committed.error();
  }
  return read_user_version(db);
}

void bind_value(sqlite3_stmt* statement, int type_index, int value_index, const model::Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          sqlite3_bind_int(statement, type_index, static_cast<int>(ValueType::None));
          sqlite3_bind_null(statement, value_index);
        } else if constexpr (std::is_same_v<T, bool>) {
          sqlite3_bind_int(statement, type_index, static_cast<int>(ValueType::Bool));
          sqlite3_bind_int(statement, value_index, v ? 1 : 0);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          sqlite3_bind_int(statement, type_index, static_cast<int>(ValueType::Int64));
          sqlite3_bind_int64(statement, value_index, v);
        } else if constexpr (std::is_same_v<T, double>) {
          // SQLite stores NaN as NULL; the type column lets it come back as NaN.
          sqlite3_bind_int(statement, type_index, static_cast<int>(ValueType::Double));
          sqlite3_bind_double(statement, value_index, v);
        } else {
          sqlite3_bind_int(statement, type_index, static_cast<int>(ValueType::String));
          sqlite3_bind_text(statement, value_index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        }
      },
      value);
}

model::Value read_value(sqlite3_stmt* statement, int type_index, int value_index) {
  const bool is_null = sqlite3_column_type(statement, value_index) == SQLITE_NULL;
  switch (static_cast<ValueType>(sqlite3_column_int(statement, type_index))) {
    case ValueType::None:
      return std::monostate{};
    case ValueType::Bool:
      return sqlite3_column_int64(statement, value_index) != 0;
    case ValueType::Int64:
      return static_cast<std::int64_t>(sqlite3_column_int64(statement, value_index));
    case ValueType::Double:
      if (is_null) return std::numeric_limits<double>::quiet_NaN();
      return sqlite3_column_double(statement, value_index);
    case ValueType::String: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, value_index));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, value_index));
      return text != nullptr ? std::string(text, size) : std::string();
    }
  }
  return std::monostate{};
}

model::Quality read_quality(sqlite3_stmt* statement, int index) {
  const auto raw = sqlite3_column_int(statement, index);
  if (raw < 0 || raw > static_cast<int>(model::Quality::Stale)) return model::Quality::Bad;
  return static_cast<model::Quality>(raw);
}

std::int64_t clamp_limit(std::size_t limit) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(limit > kMax ? kMax : limit);
}

// One history row whose columns from `first` on are source_time, server_time, type, value, quality.
HistoryRecord history_row(sqlite3_stmt* statement, std::int64_t tag_key, int first) {
  HistoryRecord record;
  record.tag_key = tag_key;
  record.source_time = sqlite3_column_int64(statement, first);
  record.server_time = sqlite3_column_int64(statement, first + 1);
  record.value = read_value(statement, first + 2, first + 3);
  record.quality = read_quality(statement, first + 4);
  return record;
}

}  // namespace

Store::Store(sqlite3* db) : db_(db) {}

Store::~Store() {
  sqlite3_close_v2(db_);
}

int Store::schema_version() const {
  return schema_version_;
}

int Store::latest_schema_version() {
  return detail::kLatestSchemaVersion;
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, StoreOptions options) {
  const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;  // one Store = one connection = one thread
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // Owns the handle from here on, even when open failed (sqlite3 still allocates one).
  std::unique_ptr<Store> store(new Store(raw));
  store->history_merge_rows_ = options.history_merge_rows == 0 ? 1 : options.history_merge_rows;
  if (rc != SQLITE_OK) {
    return make_error("store: open failed on '" + path +
                      "': " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3* db = store->db_;
  if (auto configured = detail::configure_connection(db); !configured) return configured.error();
  if (auto fk = exec(db, "PRAGMA foreign_keys = ON", "enable foreign keys"); !fk) return fk.error();

  if (!options.read_only) {
    // Only takes effect on a new, empty file: bigger pages measured ~10% faster for bulk history.
    if (auto page = exec(db, "PRAGMA page_size = 16384", "set page_size"); !page) return page.error();
    // Durability: in WAL mode with synchronous=NORMAL a commit is in the WAL file (the OS page
    // cache) when COMMIT returns, and the WAL is fsynced at checkpoints. Every committed
    // transaction therefore survives the process being killed (SIGKILL, crash); only an OS crash
    // or power loss can drop the most recent commits, and never corrupts the database.
    std::string journal_mode;
    {
      auto mode = Statement::prepare(db, "PRAGMA journal_mode = WAL", "set journal_mode=WAL");
      if (!mode) return mode.error();
      if (mode->step() != SQLITE_ROW) return sql_error(db, "set journal_mode=WAL");
      journal_mode = column_text(mode->get(), 0);
    }
    if (journal_mode != "wal" && journal_mode != "memory") {
      return make_error("store: could not enable WAL on '" + path + "' (journal_mode is " + journal_mode +
                        ")");
    }
    if (auto sync = exec(db, "PRAGMA synchronous = NORMAL", "set synchronous=NORMAL"); !sync) {
      return sync.error();
    }
    // The history merge sorts up to history_merge_rows rows; give the writer a 64 MiB page cache.
    if (auto cache = exec(db, "PRAGMA cache_size = -65536", "set cache_size"); !cache) return cache.error();
    auto version = migrate(db);
    if (!version) return version.error();
    store->schema_version_ = *version;
  } else {
    // Read-only stores never migrate; an older schema is reported by schema_version() and
    // queries against missing tables fail with an Error.
    auto version = read_user_version(db);
    if (!version) return version.error();
    if (*version > detail::kLatestSchemaVersion) return newer_schema_error(db, *version);
    store->schema_version_ = *version;
  }
  return store;
}

Result<std::vector<std::int64_t>> Store::register_tags(const std::vector<std::string>& tag_ids) {
  constexpr std::string_view kOperation = "register tags";
  std::vector<std::int64_t> keys;
  keys.reserve(tag_ids.size());
  Transaction transaction(db_);
  if (auto begun = transaction.begin(kOperation); !begun) return begun.error();
  auto select = Statement::prepare(db_, "SELECT key FROM tags WHERE id = ?1", kOperation);
  if (!select) return select.error();
  auto insert = Statement::prepare(db_, "INSERT INTO tags(id) VALUES (?1)", kOperation);
  if (!insert) return insert.error();
  for (const auto& id : tag_ids) {
    bind_text(select->get(), 1, id);
    const int rc = select->step();
    if (rc == SQLITE_ROW) {
      keys.push_back(sqlite3_column_int64(select->get(), 0));
    } else if (rc == SQLITE_DONE) {
      bind_text(insert->get(), 1, id);
      if (insert->step() != SQLITE_DONE) return sql_error(db_, std::string(kOperation) + " '" + id + "'");
      keys.push_back(sqlite3_last_insert_rowid(db_));
      insert->reset();
    } else {
      return sql_error(db_, kOperation);
    }
    select->reset();
  }
  if (auto committed = transaction.commit(kOperation); !committed) return committed.error();
  return keys;
}

Result<void> Store::append_history(const std::vector<HistoryRecord>& records) {
  constexpr std::string_view kOperation = "append history";
  if (records.empty()) return {};
  Transaction transaction(db_);
  if (auto begun = transaction.begin(kOperation); !begun) return begun.error();
  {
    auto insert = Statement::prepare(db_,
                                     "INSERT INTO history_staging(tag_key, source_time, server_time, type, "
                                     "value, quality) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                     kOperation);
    if (!insert) return insert.error();
    sqlite3_stmt* statement = insert->get();
    for (const auto& record : records) {
      sqlite3_bind_int64(statement, 1, record.tag_key);
      sqlite3_bind_int64(statement, 2, record.source_time);
      sqlite3_bind_int64(statement, 3, record.server_time);
      bind_value(statement, 4, 5, record.value);
      sqlite3_bind_int(statement, 6, static_cast<int>(record.quality));
      if (insert->step() != SQLITE_DONE) return sql_error(db_, kOperation);
      sqlite3_reset(statement);  // every parameter is rebound for each row
    }
  }
  // Staging only ever empties completely, so its seq span is its row count (two separate min/max
  // subqueries: each is a b-tree edge lookup, while min() and max() together would scan).
  auto count = Statement::prepare(db_,
                                  "SELECT COALESCE((SELECT max(seq) FROM history_staging) - (SELECT min(seq) "
                                  "FROM history_staging) + 1, 0)",
                                  kOperation);
  if (!count) return count.error();
  if (count->step() != SQLITE_ROW) return sql_error(db_, kOperation);
  const auto staged = sqlite3_column_int64(count->get(), 0);
  if (staged >= static_cast<std::int64_t>(history_merge_rows_)) {
    const std::string merge_operation = "merge history staging";
    if (auto moved = exec(db_,
                          "INSERT INTO history(tag_key, source_time, seq, server_time, type, value, quality) "
                          "SELECT tag_key, source_time, seq, server_time, type, value, quality "
                          "FROM history_staging ORDER BY tag_key, source_time, seq",
                          merge_operation);
        !moved) {
      return moved.error();
    }
    if (auto cleared = exec(db_, "DELETE FROM history_staging", merge_operation); !cleared) {
      return cleared.error();
    }
  }
  return transaction.commit(kOperation);
}

Result<void> Store::append_events(std::vector<JournalEvent>& events) {
  constexpr std::string_view kOperation = "append events";
  if (events.empty()) return {};
  std::vector<std::int64_t> seqs;
  seqs.reserve(events.size());
  Transaction transaction(db_);
  if (auto begun = transaction.begin(kOperation); !begun) return begun.error();
  auto insert = Statement::prepare(
      db_, "INSERT INTO events(time, kind, subject, payload) VALUES (?1, ?2, ?3, ?4) RETURNING seq",
      kOperation);
  if (!insert) return insert.error();
  for (const auto& event : events) {
    sqlite3_bind_int64(insert->get(), 1, event.time);
    bind_text(insert->get(), 2, event.kind);
    bind_text(insert->get(), 3, event.subject);
    bind_text(insert->get(), 4, event.payload);
    if (insert->step() != SQLITE_ROW) return sql_error(db_, kOperation);
    seqs.push_back(sqlite3_column_int64(insert->get(), 0));
    if (insert->step() != SQLITE_DONE) return sql_error(db_, kOperation);
    insert->reset();
  }
  if (auto committed = transaction.commit(kOperation); !committed) return committed.error();
  // Only a committed batch gets its seqs, so a failed call leaves the events as they were.
  for (std::size_t i = 0; i < events.size(); ++i) events[i].seq = seqs[i];
  return {};
}

Result<std::vector<HistoryRecord>> Store::history(std::int64_t tag_key, Timestamp from, Timestamp to,
                                                  std::size_t limit) const {
  constexpr std::string_view kOperation = "query history";
  std::vector<HistoryRecord> records;
  if (limit == 0 || from >= to) return records;
  // Both tiers; seq is unique across them and orders values with equal source_time by arrival.
  auto query =
      Statement::prepare(db_,
                         "SELECT source_time, server_time, type, value, quality, seq FROM history "
                         "WHERE tag_key = ?1 AND source_time >= ?2 AND source_time < ?3 "
                         "UNION ALL "
                         "SELECT source_time, server_time, type, value, quality, seq FROM "
                         "history_staging WHERE tag_key = ?1 AND source_time >= ?2 AND source_time < ?3 "
                         "ORDER BY 1, 6 LIMIT ?4",
                         kOperation);
  if (!query) return query.error();
  sqlite3_stmt* statement = query->get();
  sqlite3_bind_int64(statement, 1, tag_key);
  sqlite3_bind_int64(statement, 2, from);
  sqlite3_bind_int64(statement, 3, to);
  sqlite3_bind_int64(statement, 4, clamp_limit(limit));
  int rc = SQLITE_OK;
  while ((rc = query->step()) == SQLITE_ROW) records.push_back(history_row(statement, tag_key, 0));
  if (rc != SQLITE_DONE) return sql_error(db_, kOperation);
  return records;
}

Result<std::vector<HistoryRecord>> Store::history_window(const std::vector<std::int64_t>& tag_keys,
                                                         Timestamp from, Timestamp to) const {
  constexpr std::string_view kOperation = "query history window";
  std::vector<HistoryRecord> records;
  if (tag_keys.empty() || from >= to) return records;
  std::string keys;
  for (const auto key : tag_keys) keys += (keys.empty() ? "" : ",") + std::to_string(key);
  constexpr std::string_view kColumns = "tag_key, source_time, server_time, type, value, quality, seq";
  // The value before `from` of each tag: one index probe per tag in the clustered tier, one pass with a
  // window function over the (bounded, unindexed) staging tier; the later of the two wins. A UNION of
  // per-tag LIMIT 1 subqueries keeps the clustered probes O(log n) however long the history is.
  std::string clustered_baseline;
  for (const auto key : tag_keys) {
    clustered_baseline += fmt::format(
        "{}SELECT * FROM (SELECT {} FROM history WHERE tag_key = {} AND source_time < ?1 "
        "ORDER BY source_time DESC, seq DESC LIMIT 1)",
        clustered_baseline.empty() ? "" : " UNION ALL ", kColumns, key);
  }
  const auto sql = fmt::format(
      "SELECT {0} FROM (SELECT {0}, row_number() OVER (PARTITION BY tag_key ORDER BY source_time DESC, seq "
      "DESC) "
      "AS newest_first FROM ({2} UNION ALL SELECT {0} FROM history_staging WHERE tag_key IN ({1}) "
      "AND source_time < ?1)) WHERE newest_first = 1 "
      "UNION ALL "
      "SELECT {0} FROM history WHERE tag_key IN ({1}) AND source_time >= ?1 AND source_time < ?2 "
      "UNION ALL "
      "SELECT {0} FROM history_staging WHERE tag_key IN ({1}) AND source_time >= ?1 AND source_time < ?2 "
      "ORDER BY 2, 7",
      kColumns, keys, clustered_baseline);
  auto query = Statement::prepare(db_, sql, kOperation);
  if (!query) return query.error();
  sqlite3_stmt* statement = query->get();
  sqlite3_bind_int64(statement, 1, from);
  sqlite3_bind_int64(statement, 2, to);
  int rc = SQLITE_OK;
  while ((rc = query->step()) == SQLITE_ROW) {
    records.push_back(history_row(statement, sqlite3_column_int64(statement, 0), 1));
  }
  if (rc != SQLITE_DONE) return sql_error(db_, kOperation);
  return records;
}

namespace {

// Runs a query whose columns are seq, time, kind, subject, payload.
Result<std::vector<JournalEvent>> read_events(sqlite3* db, Statement& query, std::string_view operation) {
  std::vector<JournalEvent> events;
  sqlite3_stmt* statement = query.get();
  int rc = SQLITE_OK;
  while ((rc = query.step()) == SQLITE_ROW) {
    JournalEvent event;
    event.seq = sqlite3_column_int64(statement, 0);
    event.time = sqlite3_column_int64(statement, 1);
    event.kind = column_text(statement, 2);
    event.subject = column_text(statement, 3);
    event.payload = column_text(statement, 4);
    events.push_back(std::move(event));
  }
  if (rc != SQLITE_DONE) return sql_error(db, operation);
  return events;
}

}  // namespace

Result<std::vector<JournalEvent>> Store::events(std::int64_t after_seq, std::size_t limit,
                                                const std::string& kind) const {
  constexpr std::string_view kOperation = "query events";
  if (limit == 0) return std::vector<JournalEvent>{};
  auto query = Statement::prepare(
      db_,
      kind.empty()
          ? "SELECT seq, time, kind, subject, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2"
          : "SELECT seq, time, kind, subject, payload FROM events WHERE kind = ?3 AND seq > ?1 "
            "ORDER BY seq LIMIT ?2",
      kOperation);
  if (!query) return query.error();
  sqlite3_bind_int64(query->get(), 1, after_seq);
  sqlite3_bind_int64(query->get(), 2, clamp_limit(limit));
  if (!kind.empty()) bind_text(query->get(), 3, kind);
  return read_events(db_, *query, kOperation);
}

Result<std::vector<JournalEvent>> Store::events_between(const std::string& kind, Timestamp from,
                                                        Timestamp to) const {
  constexpr std::string_view kOperation = "query events by time";
  auto query = Statement::prepare(db_,
                                  "SELECT seq, time, kind, subject, payload FROM events "
                                  "WHERE kind = ?1 AND time >= ?2 AND time < ?3 ORDER BY seq",
                                  kOperation);
  if (!query) return query.error();
  bind_text(query->get(), 1, kind);
  sqlite3_bind_int64(query->get(), 2, from);
  sqlite3_bind_int64(query->get(), 3, to);
  return read_events(db_, *query, kOperation);
}

Result<std::vector<JournalEvent>> Store::latest_events(const std::string& kind, Timestamp before) const {
  constexpr std::string_view kOperation = "query latest events";
  auto query =
      Statement::prepare(db_,
                         "SELECT seq, time, kind, subject, payload FROM events WHERE seq IN "
                         "(SELECT max(seq) FROM events WHERE kind = ?1 AND time < ?2 GROUP BY subject) "
                         "ORDER BY subject",
                         kOperation);
  if (!query) return query.error();
  bind_text(query->get(), 1, kind);
  sqlite3_bind_int64(query->get(), 2, before);
  return read_events(db_, *query, kOperation);
}

Result<std::int64_t> Store::last_event_seq() const {
  constexpr std::string_view kOperation = "read last event seq";
  auto query = Statement::prepare(db_, "SELECT COALESCE(max(seq), 0) FROM events", kOperation);
  if (!query) return query.error();
  if (query->step() != SQLITE_ROW) return sql_error(db_, kOperation);
  return static_cast<std::int64_t>(sqlite3_column_int64(query->get(), 0));
}

}  // namespace strata::store
