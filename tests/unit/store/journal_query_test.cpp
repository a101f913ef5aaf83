// Journal queries for reports (schema migration 5): one kind of event over a period, and the latest event
// of each subject (the persisted state of every alarm); and the migration of a v4 database to v5.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "raw_db.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::RawDb;
using testing::TempDir;

std::unique_ptr<Store> open_ok(const std::string& path) {
  auto store = Store::open(path);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(store).value() : nullptr;
}

JournalEvent event(Timestamp time, std::string kind, std::string subject, std::string payload = "{}") {
  return {0, time, std::move(kind), std::move(subject), std::move(payload)};
}

// seq, kind, subject and time of each event, for readable comparisons.
struct Row {
  std::int64_t seq = 0;
  Timestamp time = 0;
  std::string subject;
  std::string payload;
  friend bool operator==(const Row&, const Row&) = default;
};

std::ostream& operator<<(std::ostream& out, const Row& row) {
  return out << "{seq " << row.seq << ", time " << row.time << ", " << row.subject << ", " << row.payload
             << "}";
}

std::vector<Row> rows(const std::vector<JournalEvent>& events) {
  std::vector<Row> out;
  for (const auto& e : events) out.push_back({e.seq, e.time, e.subject, e.payload});
  return out;
}

class JournalQueries : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_ok(dir_.file("plant.db"));
    ASSERT_NE(store_, nullptr);
    // seq 1..8 in append order; times are deliberately not monotonic in seq (an event journaled late
    // by an operator action, or a clock step): journal order is seq order, not time order.
    std::vector<JournalEvent> events{
        event(100, "alarm", "a/x", R"({"n":1})"),        // seq 1
        event(150, "state_change", "a/u"),               // seq 2
        event(200, "alarm", "a/y", R"({"n":2})"),        // seq 3
        event(120, "alarm", "a/x", R"({"n":3})"),        // seq 4: earlier time than seq 3
        event(300, "alarm", "b/z", R"({"n":4})"),        // seq 5
        event(300, "command", "a/x"),                    // seq 6: other kind, same subject
        event(299, "alarm", "a/y", R"({"n":5})"),        // seq 7
        event(400, "alarm_extra", "a/x", R"({"n":6})"),  // seq 8: a kind that merely starts with "alarm"
    };
    ASSERT_TRUE(store_->append_events(events).ok());
    ASSERT_EQ(events.back().seq, 8);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(JournalQueries, EventsBetweenIsOneKindInAHalfOpenPeriodInJournalOrder) {
  const auto all = store_->events_between("alarm", 0, 1000);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(rows(*all), (std::vector<Row>{{1, 100, "a/x", R"({"n":1})"},
                                          {3, 200, "a/y", R"({"n":2})"},
                                          {4, 120, "a/x", R"({"n":3})"},
                                          {5, 300, "b/z", R"({"n":4})"},
                                          {7, 299, "a/y", R"({"n":5})"}}));
  for (const auto& e : *all) EXPECT_EQ(e.kind, "alarm");

  // from is inclusive, to exclusive.
  const auto window = store_->events_between("alarm", 120, 300);
  ASSERT_TRUE(window.ok());
  std::vector<std::int64_t> seqs;
  for (const auto& e : *window) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{3, 4, 7}));

  const auto at_300 = store_->events_between("alarm", 300, 301);
  ASSERT_TRUE(at_300.ok());
  ASSERT_EQ(at_300->size(), 1U);
  EXPECT_EQ((*at_300)[0].seq, 5);
}

TEST_F(JournalQueries, EventsBetweenEmptyAndUnknown) {
  for (const auto& [from, to] :
       std::vector<std::pair<Timestamp, Timestamp>>{{300, 300}, {500, 100}, {401, 10'000}}) {
    const auto none = store_->events_between("alarm", from, to);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty()) << from << ".." << to;
  }
  const auto unknown = store_->events_between("no_such_kind", 0, 1000);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
  const auto empty_kind = store_->events_between("", 0, 1000);  // not "all kinds"
  ASSERT_TRUE(empty_kind.ok());
  EXPECT_TRUE(empty_kind->empty());
}

TEST_F(JournalQueries, LatestEventsIsTheHighestSeqOfEachSubjectBySubject) {
  const auto latest = store_->latest_events("alarm");
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  // a/x: seq 4 beats seq 1; its command (seq 6) and alarm_extra (seq 8) are other kinds.
  // a/y: seq 7 beats seq 3. b/z: its only alarm, seq 5. Ordered by subject.
  EXPECT_EQ(rows(*latest), (std::vector<Row>{{4, 120, "a/x", R"({"n":3})"},
                                             {7, 299, "a/y", R"({"n":5})"},
                                             {5, 300, "b/z", R"({"n":4})"}}));
  for (const auto& e : *latest) EXPECT_EQ(e.kind, "alarm");
}

TEST_F(JournalQueries, LatestEventsFollowsLaterAppendsAndSurvivesReopen) {
  // b/z's new event has an earlier time (50) than its old one (300): latest means last journaled.
  std::vector<JournalEvent> more{event(50, "alarm", "b/z", R"({"n":7})"),   // seq 9
                                 event(60, "alarm", "a/w", R"({"n":8})")};  // seq 10, new subject
  ASSERT_TRUE(store_->append_events(more).ok());
  store_.reset();
  store_ = open_ok(dir_.file("plant.db"));
  ASSERT_NE(store_, nullptr);
  const auto latest = store_->latest_events("alarm");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(rows(*latest), (std::vector<Row>{{10, 60, "a/w", R"({"n":8})"},
                                             {4, 120, "a/x", R"({"n":3})"},
                                             {7, 299, "a/y", R"({"n":5})"},
                                             {9, 50, "b/z", R"({"n":7})"}}));
  const auto none = store_->latest_events("no_such_kind");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(JournalQueriesEmpty, FreshStoreHasNothing) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"));
  ASSERT_NE(store, nullptr);
  const auto between = store->events_between("alarm", 0, 1'000'000);
  ASSERT_TRUE(between.ok());
  EXPECT_TRUE(between->empty());
  const auto latest = store->latest_events("alarm");
  ASSERT_TRUE(latest.ok());
  EXPECT_TRUE(latest->empty());
}

// --- migration 4 -> 5 ---------------------------------------------------------------------------------

// A database exactly as a v4 binary left it: steps 1..4 applied the way Store::open applies them.
void make_v4_database(const std::string& path) {
  RawDb raw(path);
  for (const auto& migration : detail::kMigrations) {
    if (migration.version > 4) break;
    ASSERT_EQ(raw.exec("BEGIN"), "");
    ASSERT_EQ(raw.exec(std::string(migration.sql)), "") << "migration " << migration.version;
    ASSERT_EQ(raw.exec("INSERT INTO schema_migrations(version, description) VALUES (" +
                       std::to_string(migration.version) + ", '" + std::string(migration.description) + "')"),
              "");
    ASSERT_EQ(raw.exec("PRAGMA user_version = " + std::to_string(migration.version)), "");
    ASSERT_EQ(raw.exec("COMMIT"), "");
  }
  // Journal written by the v4 binary.
  ASSERT_EQ(raw.exec("INSERT INTO events(time, kind, subject, payload) VALUES "
                     "(10, 'config_load', 'acme', '{}'), (20, 'alarm', 'a/x', '{\"v\":4}'), "
                     "(30, 'alarm', 'a/x', '{\"v\":5}'), (25, 'state_change', 'a/u', '{}')"),
            "");
}

std::int64_t index_count(RawDb& raw, const std::string& name) {
  return raw.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '" + name + "'");
}

TEST(JournalMigration, VersionFourDatabaseMigratesToFiveKeepingItsJournal) {
  ASSERT_EQ(Store::latest_schema_version(), 5) << "this test covers migration 5; extend it for later steps";
  TempDir dir;
  const auto path = dir.file("old.db");
  make_v4_database(path);
  {
    RawDb raw(path);
    ASSERT_EQ(raw.scalar("PRAGMA user_version"), 4);
    EXPECT_EQ(index_count(raw, "events_kind_time"), 0);
    EXPECT_EQ(index_count(raw, "events_kind_subject_seq"), 0);
  }

  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version(), 5);
  const auto between = store->events_between("alarm", 0, 100);
  ASSERT_TRUE(between.ok()) << between.error().message;
  EXPECT_EQ(rows(*between), (std::vector<Row>{{2, 20, "a/x", R"({"v":4})"}, {3, 30, "a/x", R"({"v":5})"}}));
  const auto latest = store->latest_events("alarm");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(rows(*latest), (std::vector<Row>{{3, 30, "a/x", R"({"v":5})"}}));
  // The journal continues after the old events; the append-only triggers of v2 still hold.
  std::vector<JournalEvent> next{event(40, "alarm", "a/x")};
  ASSERT_TRUE(store->append_events(next).ok());
  EXPECT_EQ(next[0].seq, 5);
  store.reset();

  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), 5);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"), 5);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations WHERE version = 5 AND description = "
                       "'journal by kind and time'"),
            1);
  EXPECT_EQ(index_count(raw, "events_kind_time"), 1);
  EXPECT_EQ(index_count(raw, "events_kind_subject_seq"), 1);
  EXPECT_EQ(index_count(raw, "events_kind_seq"), 1);  // v2's index stays
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM events"), 5);
  EXPECT_NE(raw.exec("DELETE FROM events WHERE seq = 1").find("append-only"), std::string::npos);
}

TEST(JournalMigration, ReopeningTheMigratedDatabaseChangesNothing) {
  TempDir dir;
  const auto path = dir.file("old.db");
  make_v4_database(path);
  ASSERT_NE(open_ok(path), nullptr);
  auto again = open_ok(path);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->schema_version(), 5);
  again.reset();
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"), 5);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM events"), 4);
}

}  // namespace
}  // namespace strata::store
