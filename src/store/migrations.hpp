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

inline constexpr std::array<Migration, 5> kMigrations{{
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
    {3, "users, roles scoped to the ISA-95 hierarchy, sessions and API tokens",
     R"sql(
-- Secrets are never stored: password_hash is an Argon2id string (libsodium crypto_pwhash_str);
-- sessions and API tokens are stored as the SHA-256 hex of the random token handed out.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT UNIQUE NOT NULL,
  display_name  TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0,   -- microseconds since the epoch; 0 = not locked
  created_at    INTEGER NOT NULL
);

-- Custom roles and the permissions of every role; built-in roles are seeded by the code that
-- owns them, so their permission sets can evolve with the binary.
CREATE TABLE roles (
  name        TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  builtin     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE role_permissions (
  role       TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
) WITHOUT ROWID;

-- A role granted to a user over an ISA-95 scope ('' = whole enterprise, else an equipment path
-- such as 'bottling/packaging/L1'); a grant covers everything below its scope.
CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role    TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
  scope   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, role, scope)
) WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL    -- absolute limit; idle expiry is last_seen + idle timeout
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash  TEXT UNIQUE NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL DEFAULT 0,   -- 0 = no expiry
  revoked_at  INTEGER NOT NULL DEFAULT 0    -- 0 = active
);
)sql"},
    {4, "hash-chained audit trail",
     R"sql(
-- Every operator and configuration action. hash = SHA-256 over the previous record's hash and
-- this record's fields (see store/audit_log.cpp for the exact encoding), so editing or deleting
-- any record breaks the chain from there on; `strata audit verify` walks it.
CREATE TABLE audit (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  time       INTEGER NOT NULL,
  user       TEXT NOT NULL,      -- user name, or 'system' / 'cli:<os user>'
  action     TEXT NOT NULL,      -- e.g. 'login', 'command', 'user.add', 'token.revoke'
  subject    TEXT NOT NULL,      -- equipment path, user name, token id ...
  before     TEXT NOT NULL,      -- JSON, '{}' when not applicable
  after      TEXT NOT NULL,      -- JSON
  reason     TEXT NOT NULL,
  signed     INTEGER NOT NULL DEFAULT 0,   -- 1 = electronic signature (password re-entered)
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE is not allowed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit trail is append-only: DELETE is not allowed');
END;
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)
BEGIN
  SELECT RAISE(ABORT, 'audit trail is append-only: seq already exists');
END;
)sql"},
    {5, "journal by kind and time",
     R"sql(
-- Reports read one kind of event over a period (alarm transitions for alarm KPIs) and the latest event of
-- each subject (the persisted state of every alarm).
CREATE INDEX events_kind_time ON events (kind, time);
CREATE INDEX events_kind_subject_seq ON events (kind, subject, seq);
)sql"},
}};

inline constexpr int kLatestSchemaVersion = kMigrations.back().version;

}  // namespace strata::store::detail
