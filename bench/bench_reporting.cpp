// KPI recomputation from the store: KpiService::performance for one line (3 units) over one shift, one day
// and 30 days, replaying recorded history from SQLite (Store::history_window -> SeriesBuilder -> evaluate),
// and the live path (LiveSeries snapshot) for one shift.
//
// History: 2 lines x 3 units x 31 days of synthetic PackTags samples written once per process into a temp
// SQLite store (about 2 million rows): state changes (Execute broken by starved, held and aborted stops with
// first-out stop reason codes), ProdProcessedCount every 10 s (int32, wrapping), ProdDefectiveCount every
// 60 s, the unit mode once. Three 8 h shifts a day with an hour of breaks.
//
// items/s = recorded values of the line's KPI tags in the requested window (what the store hands the
// series builder) per second of CPU time; the live path is given the same count for the same shift so the
// two rates compare. The shift is benchmarked on the first and the last day of the history: a store
// replay's cost should depend on the period, not on how much history lies before it.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/plant_loader.hpp"
#include "reporting/kpi_service.hpp"
#include "store/store.hpp"

namespace {

namespace kpi = strata::kpi;
namespace model = strata::model;
namespace reporting = strata::reporting;
namespace store = strata::store;
using strata::kMicrosPerSecond;
using strata::ManualClock;
using strata::Timestamp;

constexpr Timestamp kMinute = 60 * kMicrosPerSecond;
constexpr Timestamp kHour = 60 * kMinute;
constexpr Timestamp kDay = 24 * kHour;
constexpr int kDays = 31;
constexpr Timestamp kStart = 1'767'571'200LL * kMicrosPerSecond;  // 2026-01-05 00:00 UTC, a Monday
constexpr Timestamp kEnd = kStart + kDays * kDay;
constexpr Timestamp kCounterEvery = 10 * kMicrosPerSecond;
constexpr Timestamp kDefectiveEvery = 60 * kMicrosPerSecond;

constexpr std::string_view kPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
calendar:
  utc_offset: Z
  shifts:
    - { name: early, start: "06:00", duration: 8h, breaks: [{ start: "09:00", duration: 15m }, { start: "11:00", duration: 30m }, { start: "13:00", duration: 15m }] }
    - { name: late, start: "14:00", duration: 8h, breaks: [{ start: "17:00", duration: 15m }, { start: "19:00", duration: 30m }, { start: "21:00", duration: 15m }] }
    - { name: night, start: "22:00", duration: 8h, breaks: [{ start: "01:00", duration: 15m }, { start: "03:00", duration: 30m }, { start: "05:00", duration: 15m }] }
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    parameters: [{ name: speed, type: float, default: "600" }]
    stop_reasons:
      Mechanical: { 100: Jam, 101: Fallen, 102: Overload, 103: Leak, 104: Sensor }
      Electrical: { 110: Drive, 111: Door, 112: Emergency stop }
    units:
      - id: filler
        level: WorkCell
        state_tag: Status.StateCurrent
        mode_tag: Status.UnitModeCurrent
        performance: &performance
          produced: Admin.ProdProcessedCount
          defective: Admin.ProdDefectiveCount
          stop_reason: Admin.StopReason
          ideal_rate: ${speed}
        tags: &tags
          - { name: Status.StateCurrent, type: int32, source: "fake:state" }
          - { name: Status.UnitModeCurrent, type: int32, source: "fake:mode" }
          - { name: Admin.ProdProcessedCount, type: int32, source: "fake:processed" }
          - { name: Admin.ProdDefectiveCount, type: int32, source: "fake:defective" }
          - { name: Admin.StopReason, type: int32, source: "fake:stop_reason" }
      - { id: capper, level: WorkCell, state_tag: Status.StateCurrent, mode_tag: Status.UnitModeCurrent, performance: *performance, tags: *tags }
      - { id: labeler, level: WorkCell, state_tag: Status.StateCurrent, mode_tag: Status.UnitModeCurrent, performance: *performance, tags: *tags }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
          - { id: L2, template: { id: line, version: 1.0.0 }, parameters: { speed: 450 } }
)";
constexpr std::string_view kLine = "s/a/L1";

class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  Timestamp seconds_between(std::int64_t low, std::int64_t high) {
    return (low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1))) *
           kMicrosPerSecond;
  }

 private:
  std::uint64_t state_;
};

// One unit's recorded behaviour, generated on a 10 s grid.
void generate_unit(const model::WorkUnit& unit, const std::vector<std::int64_t>& keys, std::uint64_t seed,
                   std::vector<store::HistoryRecord>& out) {
  Lcg random(seed);
  const auto key = [&](std::optional<model::TagIndex> tag) { return keys.at(*tag); };
  const auto record = [&](std::optional<model::TagIndex> tag, Timestamp at, std::int64_t value) {
    out.push_back(store::HistoryRecord{key(tag), at, at, value, model::Quality::Good});
  };
  record(unit.mode_tag, kStart, 1);
  std::int64_t state = 6;  // Execute
  record(unit.state_tag, kStart, state);
  record(unit.performance.stop_reason, kStart, 0);
  Timestamp next_change = kStart + random.seconds_between(30, 1200);
  std::int64_t processed =
      (std::int64_t{1} << 31) - 3'000'000 - static_cast<std::int64_t>(seed % 1000) * 1000;
  std::int64_t defective = 0;
  std::int64_t made_since_defective = 0;
  for (Timestamp t = kStart; t <= kEnd; t += kCounterEvery) {
    while (next_change <= t) {
      if (state == 6) {
        const auto kind = random.next() % 20;
        if (kind < 12) {
          state = 5;  // Suspended: starved or blocked, no code
          record(unit.state_tag, next_change, state);
          next_change += random.seconds_between(3, 90);
        } else {
          state = kind < 17 ? 11 : 9;  // Held or Aborted, with a first-out code a moment later
          record(unit.state_tag, next_change, state);
          const std::int64_t codes[] = {100, 101, 102, 103, 104, 110, 111, 112};
          record(unit.performance.stop_reason, next_change + kMicrosPerSecond, codes[random.next() % 8]);
          next_change += random.seconds_between(40, 900);
        }
      } else {
        if (state != 5) record(unit.performance.stop_reason, next_change, 0);
        state = 6;
        record(unit.state_tag, next_change, state);
        next_change += random.seconds_between(30, 1500);
      }
    }
    if (t > kStart && state == 6) {
      const auto made = static_cast<std::int64_t>(90 + random.next() % 11);
      processed = (processed + made) % (std::int64_t{1} << 31);
      made_since_defective += made;
    }
    record(unit.performance.produced, t, processed);
    if ((t - kStart) % kDefectiveEvery == 0) {
      defective += made_since_defective / 100;
      made_since_defective %= 100;
      record(unit.performance.defective, t, defective);
    }
  }
}

struct Fixture {
  std::string dir;
  model::Plant plant;
  std::vector<std::int64_t> keys;
  std::unique_ptr<store::Store> reader;
  ManualClock clock{kEnd};
  std::size_t rows = 0;
  std::size_t replayed = 0;  // values handed out by the history source, across calls
  std::unique_ptr<reporting::KpiService> from_store;
  std::unique_ptr<reporting::LiveSeries> live;
  std::unique_ptr<reporting::KpiService> from_live;
  std::string error;

  Fixture() {
    const auto started = std::chrono::steady_clock::now();
    std::string pattern = "/tmp/strata-bench-reporting-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      error = "mkdtemp failed";
      return;
    }
    dir = pattern;
    auto loaded = strata::config::load_plant_string(std::string(kPlant), "bench.yaml");
    if (!loaded.ok()) {
      error = strata::config::to_string(loaded.diagnostics);
      return;
    }
    plant = std::move(*loaded.plant);
    auto store = store::Store::open(dir + "/strata.db");
    if (!store) {
      error = store.error().message;
      return;
    }
    std::vector<std::string> ids;
    for (const auto& tag : plant.tags) ids.push_back(tag.id);
    keys = *(*store)->register_tags(ids);
    std::uint64_t seed = 1;
    for (const auto* unit : plant.units()) {
      std::vector<store::HistoryRecord> records;
      generate_unit(*unit, keys, seed++, records);
      rows += records.size();
      for (std::size_t at = 0; at < records.size(); at += 200'000) {
        const std::vector<store::HistoryRecord> batch(
            records.begin() + static_cast<std::ptrdiff_t>(at),
            records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), at + 200'000)));
        if (auto appended = (*store)->append_history(batch); !appended) {
          error = appended.error().message;
          return;
        }
      }
    }
    store->reset();
    auto read = store::Store::open(dir + "/strata.db",
                                   store::StoreOptions{.read_only = true, .history_merge_rows = 1'000'000});
    if (!read) {
      error = read.error().message;
      return;
    }
    reader = std::move(*read);
    reporting::HistorySource history = [this](const std::vector<std::int64_t>& tag_keys, Timestamp from,
                                              Timestamp to) {
      auto records = reader->history_window(tag_keys, from, to);
      if (records) replayed += records->size();
      return records;
    };
    auto service = reporting::KpiService::create(plant, clock, keys, history, nullptr, nullptr);
    if (!service) {
      error = service.error().message;
      return;
    }
    from_store = std::move(*service);
    // The live series as a running server has it: default retention (26 h), seeded from the store.
    auto created = reporting::LiveSeries::create(plant);
    if (!created) {
      error = created.error().message;
      return;
    }
    live = std::move(*created);
    if (auto seeded = from_store->seed(*live, kEnd - 26 * kHour); !seeded) {
      error = seeded.error().message;
      return;
    }
    auto memory = reporting::KpiService::create(plant, clock, keys, {}, live.get(), nullptr);
    if (!memory) {
      error = memory.error().message;
      return;
    }
    from_live = std::move(*memory);
    std::printf("history: %zu units x %d days, %zu rows in %s; set up in %.1f s\n", plant.units().size(),
                kDays, rows, dir.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  ~Fixture() {
    reader.reset();
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

reporting::Scope line_scope() {
  return *reporting::resolve_scope(fixture().plant, kLine);
}

// Values of the line's KPI tags the store hands out for `period` (with the service's repair look-ahead).
std::size_t values_in(kpi::Interval period) {
  auto& f = fixture();
  f.replayed = 0;
  (void)f.from_store->performance(line_scope(), period, reporting::Bucketing::None);
  return f.replayed;
}

void run(benchmark::State& state, const reporting::KpiService& service, kpi::Interval period,
         reporting::Bucketing bucketing, std::size_t values) {
  const auto scope = line_scope();
  double oee = 0.0;
  for (auto _ : state) {
    auto report = service.performance(scope, period, bucketing);
    if (!report) {
      state.SkipWithError(report.error().message.c_str());
      return;
    }
    oee = report->total.kpis().oee.value_or(0.0);
    benchmark::DoNotOptimize(report->total.time.apt);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(values));
  state.counters["values"] = static_cast<double>(values);
  state.counters["line_OEE"] = oee;
}

bool ready(benchmark::State& state) {
  if (!fixture().error.empty()) {
    state.SkipWithError(fixture().error.c_str());
    return false;
  }
  return true;
}

// One late shift (14:00-22:00) on day `range(0)` of the history, replayed from the store.
void BM_StoreReplayShift(benchmark::State& state) {
  if (!ready(state)) return;
  const Timestamp day = kStart + state.range(0) * kDay;
  const kpi::Interval shift{day + 14 * kHour, day + 22 * kHour};
  run(state, *fixture().from_store, shift, reporting::Bucketing::None, values_in(shift));
}
BENCHMARK(BM_StoreReplayShift)
    ->ArgName("day")
    ->Arg(0)
    ->Arg(15)
    ->Arg(kDays - 2)
    ->Unit(benchmark::kMillisecond);

// One day (00:00-24:00, parts of four shift instances), replayed from the store, with shift buckets.
void BM_StoreReplayDay(benchmark::State& state) {
  if (!ready(state)) return;
  const kpi::Interval day{kStart + 15 * kDay, kStart + 16 * kDay};
  run(state, *fixture().from_store, day, reporting::Bucketing::Shift, values_in(day));
}
BENCHMARK(BM_StoreReplayDay)->Unit(benchmark::kMillisecond);

// 30 days, replayed from the store, with day buckets.
void BM_StoreReplay30Days(benchmark::State& state) {
  if (!ready(state)) return;
  const kpi::Interval days{kStart, kStart + 30 * kDay};
  run(state, *fixture().from_store, days, reporting::Bucketing::Day, values_in(days));
}
BENCHMARK(BM_StoreReplay30Days)->Unit(benchmark::kMillisecond);

// The last late shift from the live series (memory, no store reads); values: what the store would replay.
void BM_LiveShift(benchmark::State& state) {
  if (!ready(state)) return;
  const Timestamp day = kStart + (kDays - 1) * kDay;
  const kpi::Interval shift{day + 14 * kHour, day + 22 * kHour};
  run(state, *fixture().from_live, shift, reporting::Bucketing::None, values_in(shift));
}
BENCHMARK(BM_LiveShift)->Unit(benchmark::kMillisecond);

// The history query alone for the last shift: each tag's value before the shift plus the shift's values.
void BM_HistoryWindowShift(benchmark::State& state) {
  if (!ready(state)) return;
  auto& f = fixture();
  const Timestamp day = kStart + state.range(0) * kDay;
  std::vector<std::int64_t> keys;
  for (const auto& unit : f.plant.find_work_center(kLine)->units) {
    for (const auto tag : unit.tags) keys.push_back(f.keys[tag]);
  }
  std::size_t values = 0;
  for (auto _ : state) {
    auto records = f.reader->history_window(keys, day + 14 * kHour, day + 22 * kHour);
    if (!records) {
      state.SkipWithError(records.error().message.c_str());
      return;
    }
    values = records->size();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(values));
  state.counters["values"] = static_cast<double>(values);
}
BENCHMARK(BM_HistoryWindowShift)->ArgName("day")->Arg(0)->Arg(kDays - 2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
