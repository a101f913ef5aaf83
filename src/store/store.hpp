#pragma once
// Embedded SQLite store (WAL): tag history and an append-only event journal, with versioned schema
// migrations. One Store is one connection: use one per thread (the writer thread and readers each
// open their own; WAL lets readers run beside the writer).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "model/tag.hpp"

struct sqlite3;

namespace strata::store {

struct HistoryRecord {
  std::int64_t tag_key = 0;  // from Store::register_tags, stable across restarts
  Timestamp source_time = 0;
  Timestamp server_time = 0;
  model::Value value;
  model::Quality quality = model::Quality::Good;
};

struct JournalEvent {
  std::int64_t seq = 0;  // assigned by the store on append, strictly increasing
  Timestamp time = 0;
  std::string kind;     // "state_change", "command", "command_rejected", "config_load", ...
  std::string subject;  // equipment or tag id the event is about
  std::string payload;  // JSON object text
};

struct StoreOptions {
  bool read_only = false;
  // New history lands in an unindexed append-only staging table (fast to insert); once it holds
  // this many rows, the next append moves them, sorted by tag, into the tag/time clustered table
  // in the same transaction. Bigger = faster bulk inserts, slower range queries on recent data.
  std::size_t history_merge_rows = 1'000'000;
};

class Store {
 public:
  // Opens (creating if needed) and migrates to the latest schema; read-only stores do not migrate
  // and fail if the schema is newer than this binary knows.
  static Result<std::unique_ptr<Store>> open(const std::string& path, StoreOptions options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] int schema_version() const;
  static int latest_schema_version();

  // Maps tag ids to stable integer keys, creating keys for new ids; result is in input order.
  Result<std::vector<std::int64_t>> register_tags(const std::vector<std::string>& tag_ids);

  // Each call is one transaction.
  Result<void> append_history(const std::vector<HistoryRecord>& records);
  // Assigns seq to each event in place.
  Result<void> append_events(std::vector<JournalEvent>& events);

  // Values of one tag with from <= source_time < to, oldest first, at most limit.
  Result<std::vector<HistoryRecord>> history(std::int64_t tag_key, Timestamp from, Timestamp to,
                                             std::size_t limit) const;
  // For a report over [from, to): every value of the given tags with from <= source_time < to, each tag's
  // last value before `from` (the value the period starts with), merged oldest first (ties by arrival).
  Result<std::vector<HistoryRecord>> history_window(const std::vector<std::int64_t>& tag_keys, Timestamp from,
                                                    Timestamp to) const;
  // Events with seq > after_seq, oldest first, at most limit; empty kind means all kinds.
  Result<std::vector<JournalEvent>> events(std::int64_t after_seq, std::size_t limit,
                                           const std::string& kind = {}) const;
  Result<std::int64_t> last_event_seq() const;
  // Events of one kind with from <= time < to, in journal order.
  Result<std::vector<JournalEvent>> events_between(const std::string& kind, Timestamp from,
                                                   Timestamp to) const;
  // The latest event of one kind for every subject (e.g. the persisted state of every alarm) with
  // time < before, by subject.
  Result<std::vector<JournalEvent>> latest_events(
      const std::string& kind, Timestamp before = std::numeric_limits<Timestamp>::max()) const;

 private:
  explicit Store(sqlite3* db);
  sqlite3* db_;
  int schema_version_ = 0;
  std::size_t history_merge_rows_ = 1'000'000;
};

}  // namespace strata::store
