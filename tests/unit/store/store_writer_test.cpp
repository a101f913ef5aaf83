#include "store/store_writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::TempDir;

std::unique_ptr<Store> open_ok(const std::string& path) {
  auto store = Store::open(path);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(store).value() : nullptr;
}

std::vector<HistoryRecord> make_history(std::int64_t tag, Timestamp first, std::size_t count) {
  std::vector<HistoryRecord> records;
  for (std::size_t i = 0; i < count; ++i) {
    const auto t = first + static_cast<Timestamp>(i);
    records.push_back({tag, t, t + 1, static_cast<double>(t), model::Quality::Good});
  }
  return records;
}

std::size_t history_count(Store& store, std::int64_t tag) {
  auto records = store.history(tag, 0, 1'000'000'000, 10'000'000);
  EXPECT_TRUE(records.ok());
  return records.ok() ? records->size() : 0;
}

void exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

TEST(StoreWriter, FlushCommitsEverythingAndCountsIt) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  // A long interval: only flush() can explain the data being there.
  StoreWriter writer(open_ok(path), {.flush_interval_ms = 60'000, .max_batch_values = 50'000});
  writer.enqueue_history(make_history(1, 0, 300));
  writer.enqueue_history(make_history(2, 0, 200));
  writer.enqueue_events({{0, 1, "command", "line1", "{}"}, {0, 2, "state_change", "line1", "{}"}});
  writer.flush();

  const auto stats = writer.stats();
  EXPECT_EQ(stats.history_values_written, 500U);
  EXPECT_EQ(stats.events_written, 2U);
  EXPECT_EQ(stats.transactions, 2U);  // one for the history batch, one for the events
  EXPECT_EQ(stats.errors, 0U);

  auto reader = open_ok(path);  // a second connection sees it: committed, not just buffered
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(history_count(*reader, 1), 300U);
  EXPECT_EQ(history_count(*reader, 2), 200U);
  auto last = reader->last_event_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 2);

  writer.flush();  // nothing new: returns at once
  EXPECT_EQ(writer.stats().transactions, 2U);
}

TEST(StoreWriter, SplitsHistoryIntoBatchesOfAtMostMaxBatchValues) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  StoreWriter writer(open_ok(path), {.flush_interval_ms = 60'000, .max_batch_values = 100});
  writer.enqueue_history(make_history(1, 0, 1050));
  writer.flush();
  const auto stats = writer.stats();
  EXPECT_EQ(stats.history_values_written, 1050U);
  EXPECT_EQ(stats.transactions, 11U);
  auto reader = open_ok(path);
  ASSERT_NE(reader, nullptr);
  auto records = reader->history(1, 0, 10'000, 10'000);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1050U);
  for (std::size_t i = 0; i < records->size(); ++i)
    EXPECT_EQ((*records)[i].source_time, static_cast<Timestamp>(i));
}

TEST(StoreWriter, CommitsOnItsIntervalWithoutFlush) {
  TempDir dir;
  StoreWriter writer(open_ok(dir.file("plant.db")), {.flush_interval_ms = 10, .max_batch_values = 50'000});
  writer.enqueue_history(make_history(1, 0, 10));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (writer.stats().history_values_written < 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(writer.stats().history_values_written, 10U);
}

TEST(StoreWriter, CallbacksCarryCommittedSeqs) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  std::mutex mutex;
  std::vector<std::vector<JournalEvent>> delivered;
  auto record = [&](const std::vector<JournalEvent>& events) {
    std::lock_guard lock(mutex);
    delivered.push_back(events);
  };
  {
    StoreWriter writer(open_ok(path), {.flush_interval_ms = 60'000, .max_batch_values = 50'000});
    writer.enqueue_events({{0, 1, "command", "a", R"({"n":1})"}, {0, 2, "command", "b", R"({"n":2})"}},
                          record);
    writer.enqueue_events({{0, 3, "state_change", "c", R"({"n":3})"}}, record);
    writer.enqueue_events({{0, 4, "config_load", "d", "{}"}});  // no callback
    writer.flush();  // callbacks have run by the time flush returns
    std::lock_guard lock(mutex);
    ASSERT_EQ(delivered.size(), 2U);
    ASSERT_EQ(delivered[0].size(), 2U);
    ASSERT_EQ(delivered[1].size(), 1U);
    EXPECT_GT(delivered[0][0].seq, 0);
    EXPECT_GT(delivered[0][1].seq, delivered[0][0].seq);
    EXPECT_GT(delivered[1][0].seq, delivered[0][1].seq);
    EXPECT_EQ(delivered[0][1].subject, "b");
    EXPECT_EQ(delivered[1][0].kind, "state_change");
  }
  auto reader = open_ok(path);
  ASSERT_NE(reader, nullptr);
  auto events = reader->events(0, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 4U);
  EXPECT_EQ((*events)[0].seq, delivered[0][0].seq);
  EXPECT_EQ((*events)[2].seq, delivered[1][0].seq);
  EXPECT_EQ((*events)[2].payload, R"({"n":3})");
}

TEST(StoreWriter, DestructorFlushesEverythingAccepted) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  {
    StoreWriter writer(open_ok(path), {.flush_interval_ms = 60'000, .max_batch_values = 50'000});
    for (int i = 0; i < 20; ++i) writer.enqueue_history(make_history(3, i * 100, 100));
    writer.enqueue_events({{0, 1, "command", "x", "{}"}});
  }
  auto reader = open_ok(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(history_count(*reader, 3), 2000U);
  auto last = reader->last_event_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 1);
}

TEST(StoreWriter, ConcurrentProducersLoseNothing) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  {
    StoreWriter writer(open_ok(path), {.flush_interval_ms = 2, .max_batch_values = 1000});
    std::vector<std::thread> producers;
    for (int p = 0; p < 4; ++p) {
      producers.emplace_back([&writer, p] {
        for (int i = 0; i < 50; ++i) {
          writer.enqueue_history(make_history(10 + p, i * 100, 100));
          writer.enqueue_events({{0, i, "command", std::to_string(p), "{}"}});
          if (i % 10 == 0) writer.flush();
        }
      });
    }
    for (auto& producer : producers) producer.join();
    writer.flush();
    EXPECT_EQ(writer.stats().history_values_written, 20'000U);
    EXPECT_EQ(writer.stats().events_written, 200U);
  }
  auto reader = open_ok(path);
  ASSERT_NE(reader, nullptr);
  for (int p = 0; p < 4; ++p) EXPECT_EQ(history_count(*reader, 10 + p), 5000U);
}

TEST(StoreWriter, KeepsDataAndRetriesAfterWriteErrors) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  ASSERT_NE(open_ok(path), nullptr);
  // Inject failures: every insert aborts while fail_switch has a row.
  exec(path,
       "CREATE TABLE fail_switch(x);"
       "INSERT INTO fail_switch VALUES (1);"
       "CREATE TRIGGER fail_history BEFORE INSERT ON history_staging WHEN EXISTS (SELECT 1 FROM fail_switch) "
       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
       "CREATE TRIGGER fail_events BEFORE INSERT ON events WHEN EXISTS (SELECT 1 FROM fail_switch) "
       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

  std::vector<JournalEvent> delivered;
  std::mutex mutex;
  StoreWriter writer(open_ok(path), {.flush_interval_ms = 20, .max_batch_values = 50'000});
  writer.enqueue_history(make_history(1, 0, 100));
  writer.enqueue_events({{0, 1, "command", "x", "{}"}}, [&](const std::vector<JournalEvent>& events) {
    std::lock_guard lock(mutex);
    delivered = events;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (writer.stats().errors < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto stats = writer.stats();
  EXPECT_GE(stats.errors, 4U);
  EXPECT_LE(stats.errors, 200U);  // backs off a full interval between attempts: no hot spin
  EXPECT_EQ(stats.history_values_written, 0U);
  EXPECT_EQ(stats.events_written, 0U);
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(delivered.empty());
  }

  exec(path, "DELETE FROM fail_switch");
  writer.enqueue_history(make_history(1, 100, 50));
  writer.flush();
  stats = writer.stats();
  EXPECT_EQ(stats.history_values_written, 150U);
  EXPECT_EQ(stats.events_written, 1U);
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(delivered.size(), 1U);
    EXPECT_EQ(delivered[0].seq, 1);
  }
  auto reader = open_ok(path);
  ASSERT_NE(reader, nullptr);
  auto records = reader->history(1, 0, 1000, 1000);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 150U);  // each value exactly once, in order
  for (std::size_t i = 0; i < records->size(); ++i)
    EXPECT_EQ((*records)[i].source_time, static_cast<Timestamp>(i));
}

}  // namespace
}  // namespace strata::store
