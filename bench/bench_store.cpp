// History and event write throughput of the SQLite store, on disk in a temp dir.
// Wall-clock time (UseRealTime): commits and checkpoints wait on I/O, and that is part of the cost.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store/store_writer.hpp"

namespace {

using strata::store::HistoryRecord;
using strata::store::JournalEvent;
using strata::store::Store;

constexpr std::size_t kTags = 10'000;
// Enough values per run that the staging -> clustered merge (every 1M rows by default) is paid
// several times, not skipped by a short run.
constexpr std::int64_t kValuesPerRun = 3'000'000;

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = "/tmp/strata-bench-store-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::unique_ptr<Store> open_or_die(const std::string& path) {
  auto store = Store::open(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    std::abort();
  }
  return std::move(store).value();
}

std::vector<std::int64_t> register_tags(Store& store) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < kTags; ++i)
    ids.push_back("line" + std::to_string(i / 100) + "/tag" + std::to_string(i));
  auto keys = store.register_tags(ids);
  if (!keys.ok()) std::abort();
  return *keys;
}

// A plant-like stream: every tag in turn, timestamps advancing 1 ms per full sweep.
void fill_batch(std::vector<HistoryRecord>& batch, const std::vector<std::int64_t>& keys,
                std::int64_t& next) {
  constexpr strata::Timestamp kStart = 1'767'225'600LL * strata::kMicrosPerSecond;
  for (auto& record : batch) {
    const auto tag = static_cast<std::size_t>(next % static_cast<std::int64_t>(kTags));
    const auto sweep = next / static_cast<std::int64_t>(kTags);
    record.tag_key = keys[tag];
    record.source_time = kStart + sweep * strata::kMicrosPerMilli;
    record.server_time = record.source_time + 250;
    record.value = static_cast<double>(next % 1000) * 0.25;
    record.quality = strata::model::Quality::Good;
    ++next;
  }
}

// Store::append_history directly: one transaction per batch.
void BM_HistoryAppend(benchmark::State& state) {
  ScratchDir dir;
  auto store = open_or_die(dir.file("bench.db"));
  const auto keys = register_tags(*store);
  std::vector<HistoryRecord> batch(static_cast<std::size_t>(state.range(0)));
  std::int64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fill_batch(batch, keys, next);
    state.ResumeTiming();
    if (!store->append_history(batch).ok()) state.SkipWithError("append_history failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
// Fixed iterations (kValuesPerRun values per batch size), so --benchmark_min_time does not cut a
// run short before the merges happen.
BENCHMARK(BM_HistoryAppend)
    ->Arg(1'000)
    ->Iterations(kValuesPerRun / 1'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HistoryAppend)
    ->Arg(10'000)
    ->Iterations(kValuesPerRun / 10'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HistoryAppend)
    ->Arg(50'000)
    ->Iterations(kValuesPerRun / 50'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Through the StoreWriter as the engine uses it: enqueue 10k-value batches while the writer thread
// commits them; one iteration is the whole stream, ending when flush() says all of it is committed.
void BM_WriterHistory(benchmark::State& state) {
  constexpr std::int64_t kBatch = 10'000;
  const std::int64_t values = state.range(0);
  ScratchDir dir;
  auto store = open_or_die(dir.file("bench.db"));
  const auto keys = register_tags(*store);
  strata::store::StoreWriter writer(std::move(store), {.flush_interval_ms = 100, .max_batch_values = 50'000});
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::vector<HistoryRecord>> batches(static_cast<std::size_t>(values / kBatch));
    std::int64_t next = 0;
    for (auto& batch : batches) {
      batch.resize(static_cast<std::size_t>(kBatch));
      fill_batch(batch, keys, next);
    }
    state.ResumeTiming();
    for (auto& batch : batches) writer.enqueue_history(std::move(batch));
    writer.flush();
  }
  state.SetItemsProcessed(state.iterations() * values);
  state.counters["transactions"] = static_cast<double>(writer.stats().transactions);
}
BENCHMARK(BM_WriterHistory)->Arg(2'000'000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// Range query of one tag (all its values, oldest first) with 2M values merged into the clustered
// table plus range(0) values still in the unindexed staging table, which every query scans.
void BM_HistoryQuery(benchmark::State& state) {
  ScratchDir dir;
  auto store = open_or_die(dir.file("bench.db"));
  const auto keys = register_tags(*store);
  std::vector<HistoryRecord> batch(50'000);
  std::int64_t next = 0;
  while (next < 2'000'000 + state.range(0)) {  // the default merge threshold is 1M staged rows
    fill_batch(batch, keys, next);
    if (!store->append_history(batch).ok()) state.SkipWithError("append_history failed");
  }
  std::size_t rows = 0;
  for (auto _ : state) {
    auto records = store->history(keys[1234], 0, std::numeric_limits<strata::Timestamp>::max(), 100'000);
    if (!records.ok()) state.SkipWithError("history failed");
    rows = records->size();
  }
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_HistoryQuery)->Arg(0)->Arg(500'000)->Arg(950'000)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Event journal appends; each call is one transaction.
void BM_EventAppend(benchmark::State& state) {
  ScratchDir dir;
  auto store = open_or_die(dir.file("bench.db"));
  std::vector<JournalEvent> events(static_cast<std::size_t>(state.range(0)));
  std::int64_t n = 0;
  for (auto _ : state) {
    for (auto& event : events) {
      event = JournalEvent{0, ++n, "state_change", "line1/filler", R"({"from":"Execute","to":"Holding"})"};
    }
    if (!store->append_events(events).ok()) state.SkipWithError("append_events failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EventAppend)->Arg(1)->Arg(100)->Arg(1000)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
