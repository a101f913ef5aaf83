#pragma once
// Private to strata_store: the schema as an ordered list of numbered steps. PRAGMA user_version
// holds the number of the last applied step; each step runs in its own transaction together with
// the user_version bump and a row in schema_migrations, so a crash leaves the DB at a whole step.
// Never edit a released step: append a new one.
#include <array>
#include <string_view>

namespace strata::store::detail {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

inline constexpr std::array<Migration, 2> kMigrations{{
    {1, "tags and history",
     R"sql(
CREATE TABLE schema_migrations (
  version     INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE tags (
  key INTEGER PRIMARY KEY,
  id  TEXT UNIQUE NOT NULL
);

-- History is written in two tiers. New values are appended to history_staging, a plain rowid
-- table with no secondary index: appends touch only its right edge, so a batch dirties few pages.
-- Once it is large enough, Store::append_history moves it (sorted by tag, time) into history,
-- clustered on (tag_key, source_time, seq), in the same transaction as the batch that tipped it.
-- A range query reads both tiers. Indexing every value on arrival instead dirties one index leaf
-- per distinct tag per transaction: with 10k tags it measured ~120k values/s against ~500k.
-- type: 0 none (value NULL), 1 bool, 2 int64 (both INTEGER), 3 double (REAL), 4 string (TEXT).
-- seq: AUTOINCREMENT never reuses a number, so it is unique across both tiers and orders values
-- that share a source_time by arrival.
CREATE TABLE history_staging (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  tag_key     INTEGER NOT NULL,
  source_time INTEGER NOT NULL,
  server_time INTEGER NOT NULL,
  type        INTEGER NOT NULL,
  value,                 -- no declared type: BLOB affinity, stored exactly as bound
  quality     INTEGER NOT NULL
);

CREATE TABLE history (
  tag_key     INTEGER NOT NULL,
  source_time INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  server_time INTEGER NOT NULL,
  type        INTEGER NOT NULL,
  value,                 -- no declared type: BLOB affinity, stored exactly as bound
  quality     INTEGER NOT NULL,
  PRIMARY KEY (tag_key, source_time, seq)
) WITHOUT ROWID;
)sql"},
    {2, "append-only event journal",
     R"sql(
CREATE TABLE events (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  time    INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX events_kind_seq ON events (kind, seq);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events journal is append-only: UPDATE is not allowed');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events journal is append-only: DELETE is not allowed');
END;
-- INSERT OR REPLACE deletes the conflicting row without firing DELETE triggers (unless
-- recursive_triggers is on), so refuse any insert that names an existing seq.
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq)
BEGIN
  SELECT RAISE(ABORT, 'events journal is append-only: seq already exists');
END;
)sql"},
}};

inline constexpr int kLatestSchemaVersion = kMigrations.back().version;

}  // namespace strata::store::detail
