// Kill -9 a process in the middle of writing and check that everything it saw committed is there.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "store/store_writer.hpp"
#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::TempDir;

// Runs in the forked child: never returns, reports only through the pipe and its exit code.
[[noreturn]] void write_until_killed(const std::string& path, int report_fd) {
  auto store = Store::open(path);
  if (!store.ok()) _exit(2);
  std::atomic<std::int64_t> last_committed{0};
  StoreWriter writer(std::move(store).value(), {.flush_interval_ms = 1, .max_batch_values = 5000});
  for (std::int64_t round = 0;; ++round) {
    std::vector<JournalEvent> events;
    for (int i = 0; i < 5; ++i) {
      events.push_back({0, round, "command", "line1/filler", R"({"round":)" + std::to_string(round) + "}"});
    }
    writer.enqueue_events(std::move(events), [&](const std::vector<JournalEvent>& committed) {
      last_committed.store(committed.back().seq);
    });
    std::vector<HistoryRecord> history;
    for (int i = 0; i < 200; ++i)
      history.push_back({i, round, round, static_cast<double>(round), model::Quality::Good});
    writer.enqueue_history(std::move(history));
    writer.flush();
    const std::int64_t seq = last_committed.load();
    if (write(report_fd, &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) _exit(3);
  }
}

std::string integrity_check(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return "cannot open";
  sqlite3_stmt* statement = nullptr;
  std::string result = "no result";
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

TEST(StoreCrash, CommittedEventsSurviveSigkill) {
  TempDir dir;
  const auto path = dir.file("plant.db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    write_until_killed(path, fds[1]);
  }
  close(fds[1]);

  std::vector<std::int64_t> reported;
  while (reported.size() < 200) {
    std::int64_t seq = 0;
    const auto got = read(fds[0], &seq, sizeof seq);
    ASSERT_EQ(got, static_cast<ssize_t>(sizeof seq)) << "child stopped reporting";
    reported.push_back(seq);
  }
  // The child is still writing (its next transactions are in flight) when it dies.
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child exited on its own: " << status;
  close(fds[0]);

  for (std::size_t i = 1; i < reported.size(); ++i) ASSERT_GT(reported[i], reported[i - 1]);
  EXPECT_EQ(integrity_check(path), "ok");

  auto store = Store::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto events = (*store)->events(0, 10'000'000);
  ASSERT_TRUE(events.ok()) << events.error().message;
  std::set<std::int64_t> present;
  for (const auto& event : *events) present.insert(event.seq);
  for (auto seq : reported) EXPECT_TRUE(present.count(seq) == 1) << "committed seq " << seq << " lost";
  for (std::int64_t seq = 1; seq <= reported.back(); ++seq) {
    ASSERT_TRUE(present.count(seq) == 1) << "gap at seq " << seq;  // one connection: no holes
  }

  // The store is usable after the crash: new events get fresh, larger seqs.
  std::vector<JournalEvent> more{{0, 1, "config_load", "plant", "{}"}};
  ASSERT_TRUE((*store)->append_events(more).ok());
  EXPECT_GT(more[0].seq, *present.rbegin());
  ASSERT_TRUE((*store)->append_history({{1, 1, 1, 1.0, model::Quality::Good}}).ok());
  auto last = (*store)->last_event_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, more[0].seq);
}

}  // namespace
}  // namespace strata::store
