#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "raw_db.hpp"
#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::RawDb;
using testing::TempDir;

std::unique_ptr<Store> open_ok(const std::string& path, StoreOptions options = {}) {
  auto store = Store::open(path, options);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(store).value() : nullptr;
}

TEST(StoreMigrations, FreshDatabaseReachesLatestVersion) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"));
  ASSERT_NE(store, nullptr);
  EXPECT_GE(Store::latest_schema_version(), 2);
  EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  store.reset();
  RawDb raw(dir.file("plant.db"));
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), Store::latest_schema_version());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"), Store::latest_schema_version());
  EXPECT_EQ(raw.scalar("SELECT max(version) FROM schema_migrations"), Store::latest_schema_version());
}

TEST(StoreMigrations, DatabaseIsInWalMode) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"));
  ASSERT_NE(store, nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("plant.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(StoreMigrations, ReopenIsANoOp) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  ASSERT_NE(open_ok(path), nullptr);
  std::int64_t applied_rows = 0;
  {
    RawDb raw(path);
    applied_rows = raw.scalar("SELECT count(*) FROM schema_migrations");
  }
  for (int i = 0; i < 3; ++i) {
    auto store = open_ok(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"), applied_rows);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), Store::latest_schema_version());
}

TEST(StoreMigrations, RefusesNewerSchemaWithPathInMessage) {
  TempDir dir;
  const auto path = dir.file("future.db");
  ASSERT_NE(open_ok(path), nullptr);
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("PRAGMA user_version = " + std::to_string(Store::latest_schema_version() + 1)), "");
  }
  auto store = Store::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;

  auto read_only = Store::open(path, {.read_only = true});
  ASSERT_FALSE(read_only.ok());
  EXPECT_NE(read_only.error().message.find(path), std::string::npos) << read_only.error().message;
}

TEST(StoreMigrations, ReadOnlyOpenDoesNotMigrate) {
  TempDir dir;
  const auto path = dir.file("old.db");
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("CREATE TABLE unrelated(x)"), "");
  }
  auto store = Store::open(path, {.read_only = true});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), 0);
  auto events = (*store)->events(0, 10);
  EXPECT_FALSE(events.ok());  // no schema: an Error, not a crash
  store = Store::open(path, {.read_only = true});
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), 0);
}

TEST(StoreErrors, OpenFailureNamesThePath) {
  const std::string path = "/nonexistent-dir-for-strata/plant.db";
  auto store = Store::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
  auto read_only = Store::open("/tmp/strata-no-such-file.db", {.read_only = true});
  ASSERT_FALSE(read_only.ok());
  EXPECT_NE(read_only.error().message.find("strata-no-such-file"), std::string::npos);
}

TEST(StoreErrors, WriteOnReadOnlyStoreIsAnErrorWithContext) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  ASSERT_NE(open_ok(path), nullptr);
  auto store = open_ok(path, {.read_only = true});
  ASSERT_NE(store, nullptr);
  auto appended = store->append_history({HistoryRecord{1, 1, 1, 1.5, model::Quality::Good}});
  ASSERT_FALSE(appended.ok());
  EXPECT_NE(appended.error().message.find("append history"), std::string::npos) << appended.error().message;
  EXPECT_NE(appended.error().message.find(path), std::string::npos) << appended.error().message;
  std::vector<JournalEvent> events{{0, 1, "command", "line1", "{}"}};
  EXPECT_FALSE(store->append_events(events).ok());
  EXPECT_EQ(events[0].seq, 0);  // not committed, no seq
}

class StoreHistory : public ::testing::TestWithParam<std::size_t> {};

TEST_P(StoreHistory, EveryValueTypeAndQualityRoundTrips) {
  TempDir dir;
  // GetParam() is the merge threshold: 1 moves everything into the clustered table on each append,
  // a large one keeps everything in staging; both tiers must read back the same.
  auto store = open_ok(dir.file("plant.db"), {.history_merge_rows = GetParam()});
  ASSERT_NE(store, nullptr);
  auto keys = store->register_tags({"line1/filler/Speed"});
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  const auto key = (*keys)[0];

  const std::string with_nul("a\0b", 3);
  const std::vector<model::Value> values{
      std::monostate{},
      true,
      false,
      std::int64_t{1},
      std::int64_t{0},
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      1.0,
      0.1,
      -0.0,
      std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::lowest(),
      std::string{},
      std::string{"123"},
      std::string{"Grüße, 世界"},
      with_nul,
  };
  const std::vector<model::Quality> qualities{model::Quality::Good, model::Quality::Uncertain,
                                              model::Quality::Bad, model::Quality::Stale};
  std::vector<HistoryRecord> records;
  for (std::size_t i = 0; i < values.size(); ++i) {
    records.push_back(HistoryRecord{key, static_cast<Timestamp>(1000 + i), static_cast<Timestamp>(5000 + i),
                                    values[i], qualities[i % qualities.size()]});
  }
  ASSERT_TRUE(store->append_history(records).ok());
  auto back = store->history(key, 0, 1'000'000, 1000);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& got = (*back)[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(got.tag_key, key);
    EXPECT_EQ(got.source_time, records[i].source_time);
    EXPECT_EQ(got.server_time, records[i].server_time);
    EXPECT_EQ(got.quality, records[i].quality);
    EXPECT_EQ(got.value.index(), records[i].value.index());
    EXPECT_EQ(got.value, records[i].value);
  }
  EXPECT_TRUE(std::signbit(std::get<double>((*back)[9].value)));  // -0.0 keeps its sign

  // NaN: SQLite stores it as NULL; the type column brings it back as a double NaN.
  ASSERT_TRUE(
      store->append_history({HistoryRecord{key, 2'000'000, 1, std::numeric_limits<double>::quiet_NaN()}})
          .ok());
  auto nan = store->history(key, 2'000'000, 2'000'001, 10);
  ASSERT_TRUE(nan.ok());
  ASSERT_EQ(nan->size(), 1U);
  ASSERT_TRUE(std::holds_alternative<double>((*nan)[0].value));
  EXPECT_TRUE(std::isnan(std::get<double>((*nan)[0].value)));
}

TEST_P(StoreHistory, RangeBoundsAndLimit) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"), {.history_merge_rows = GetParam()});
  ASSERT_NE(store, nullptr);
  auto keys = store->register_tags({"a", "b"});
  ASSERT_TRUE(keys.ok());
  const auto a = (*keys)[0];
  const auto b = (*keys)[1];
  // Appended in several calls and out of time order, interleaved with another tag.
  for (Timestamp t : {105, 100, 109, 103}) {
    ASSERT_TRUE(store->append_history({{a, t, t, std::int64_t{t}}, {b, t, t, std::int64_t{-t}}}).ok());
  }
  for (Timestamp t : {101, 102, 104, 106, 107, 108}) {
    ASSERT_TRUE(store->append_history({{a, t, t, std::int64_t{t}}}).ok());
  }
  auto times = [&](Timestamp from, Timestamp to, std::size_t limit) {
    std::vector<Timestamp> out;
    auto records = store->history(a, from, to, limit);
    EXPECT_TRUE(records.ok());
    if (records.ok()) {
      for (const auto& r : *records) {
        EXPECT_EQ(std::get<std::int64_t>(r.value), r.source_time);
        out.push_back(r.source_time);
      }
    }
    return out;
  };
  EXPECT_EQ(times(102, 105, 100), (std::vector<Timestamp>{102, 103, 104}));  // from in, to out
  EXPECT_EQ(times(102, 106, 2), (std::vector<Timestamp>{102, 103}));         // oldest first
  EXPECT_EQ(times(0, 1000, 100).size(), 10U);
  EXPECT_EQ(times(109, 110, 100), (std::vector<Timestamp>{109}));
  EXPECT_TRUE(times(110, 200, 100).empty());
  EXPECT_TRUE(times(105, 105, 100).empty());
  EXPECT_TRUE(times(106, 105, 100).empty());
  EXPECT_TRUE(times(0, 1000, 0).empty());
  auto other = store->history(b, 0, 1000, 100);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 4U);
  EXPECT_EQ((*other)[0].source_time, 100);
  EXPECT_EQ(std::get<std::int64_t>((*other)[0].value), -100);
  auto unknown = store->history(9999, 0, 1000, 100);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
}

TEST_P(StoreHistory, EqualSourceTimesKeepArrivalOrder) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"), {.history_merge_rows = GetParam()});
  ASSERT_NE(store, nullptr);
  for (std::int64_t i = 0; i < 6; ++i) {
    ASSERT_TRUE(store->append_history({{7, 500, 1000 + i, i}}).ok());
  }
  auto back = store->history(7, 500, 501, 100);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 6U);
  for (std::int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(std::get<std::int64_t>((*back)[static_cast<std::size_t>(i)].value), i);
}

INSTANTIATE_TEST_SUITE_P(MergeThreshold, StoreHistory,
                         ::testing::Values(std::size_t{1}, std::size_t{5}, std::size_t{1'000'000}));

TEST(StoreHistoryMerge, ReadsBothTiersAndSurvivesReopen) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  {
    auto store = open_ok(path, {.history_merge_rows = 100});
    ASSERT_NE(store, nullptr);
    for (int batch = 0; batch < 25; ++batch) {  // 250 values: merged twice, 50 left in staging
      std::vector<HistoryRecord> records;
      for (int i = 0; i < 10; ++i) {
        const Timestamp t = batch * 10 + i;
        records.push_back({i % 2 + 1, t, t, static_cast<double>(t), model::Quality::Good});
      }
      ASSERT_TRUE(store->append_history(records).ok());
    }
  }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM history"), 200);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM history_staging"), 50);
  auto store = open_ok(path, {.history_merge_rows = 100});
  ASSERT_NE(store, nullptr);
  auto back = store->history(1, 150, 240, 1000);  // spans both tiers
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 45U);
  for (std::size_t i = 0; i < back->size(); ++i) {
    EXPECT_EQ((*back)[i].source_time, static_cast<Timestamp>(150 + 2 * i));
  }
}

TEST(StoreTags, KeysAreStableAcrossReopen) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  std::vector<std::int64_t> first;
  {
    auto store = open_ok(path);
    ASSERT_NE(store, nullptr);
    auto keys = store->register_tags({"u1/Speed", "u1/State", "u2/Speed"});
    ASSERT_TRUE(keys.ok());
    first = *keys;
    EXPECT_NE(first[0], first[1]);
    EXPECT_NE(first[1], first[2]);
    EXPECT_NE(first[0], first[2]);
  }
  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  auto keys = store->register_tags({"u2/Speed", "new/Tag", "u1/Speed", "new/Tag"});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ((*keys)[0], first[2]);
  EXPECT_EQ((*keys)[2], first[0]);
  EXPECT_EQ((*keys)[1], (*keys)[3]);
  for (auto key : first) EXPECT_NE((*keys)[1], key);
  auto empty = store->register_tags({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(StoreEvents, SeqIsStrictlyIncreasingAndQueryable) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"));
  ASSERT_NE(store, nullptr);
  auto last = store->last_event_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 0);
  std::vector<JournalEvent> first{{0, 10, "state_change", "line1/filler", R"({"to":"Execute"})"},
                                  {0, 11, "command", "line1/filler", R"({"cmd":"Stop"})"}};
  std::vector<JournalEvent> second{{0, 12, "state_change", "line1/capper", R"({"to":"Held"})"},
                                   {0, 13, "config_load", "plant", "{}"},
                                   {0, 14, "state_change", "line1/filler", R"({"to":"Stopped"})"}};
  ASSERT_TRUE(store->append_events(first).ok());
  ASSERT_TRUE(store->append_events(second).ok());
  std::vector<std::int64_t> seqs;
  for (const auto& e : first) seqs.push_back(e.seq);
  for (const auto& e : second) seqs.push_back(e.seq);
  EXPECT_GT(seqs[0], 0);
  for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_GT(seqs[i], seqs[i - 1]);
  last = store->last_event_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, seqs.back());

  auto all = store->events(0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5U);
  EXPECT_EQ((*all)[1].kind, "command");
  EXPECT_EQ((*all)[1].subject, "line1/filler");
  EXPECT_EQ((*all)[1].payload, R"({"cmd":"Stop"})");
  EXPECT_EQ((*all)[1].time, 11);
  EXPECT_EQ((*all)[1].seq, seqs[1]);

  auto after = store->events(seqs[1], 2);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2U);
  EXPECT_EQ((*after)[0].seq, seqs[2]);
  EXPECT_EQ((*after)[1].seq, seqs[3]);

  auto changes = store->events(seqs[0], 100, "state_change");
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 2U);
  EXPECT_EQ((*changes)[0].subject, "line1/capper");
  EXPECT_EQ((*changes)[1].seq, seqs[4]);
}

TEST(StoreEvents, JournalIsAppendOnlyInTheDatabase) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  std::vector<JournalEvent> events{{0, 1, "command", "line1", R"({"cmd":"Start"})"}};
  ASSERT_TRUE(store->append_events(events).ok());

  RawDb raw(path);
  const auto update = raw.exec("UPDATE events SET payload = '{}'");
  EXPECT_NE(update.find("append-only"), std::string::npos) << update;
  const auto remove = raw.exec("DELETE FROM events");
  EXPECT_NE(remove.find("append-only"), std::string::npos) << remove;
  EXPECT_NE(raw.exec("INSERT OR REPLACE INTO events(seq, time, kind, subject, payload) VALUES (" +
                     std::to_string(events[0].seq) + ", 2, 'x', 'y', '{}')"),
            "");
  auto back = store->events(0, 10);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1U);
  EXPECT_EQ((*back)[0].payload, R"({"cmd":"Start"})");
}

TEST(StoreEvents, SeqsAreNeverReusedAcrossReopen) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  std::int64_t last = 0;
  {
    auto store = open_ok(path);
    ASSERT_NE(store, nullptr);
    std::vector<JournalEvent> events(3, JournalEvent{0, 1, "command", "x", "{}"});
    ASSERT_TRUE(store->append_events(events).ok());
    last = events.back().seq;
  }
  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  std::vector<JournalEvent> events(1, JournalEvent{0, 2, "command", "x", "{}"});
  ASSERT_TRUE(store->append_events(events).ok());
  EXPECT_GT(events[0].seq, last);
}

}  // namespace
}  // namespace strata::store
