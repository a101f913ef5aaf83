// Alarm management under load.
//  (a) BM_AlarmBookEvaluate: raw AlarmBook evaluation rate, samples per second, for 10k alarms on 10k tags
//      (one High alarm per tag), with no, some or many limit crossings per batch.
//  (b) BM_AlarmFlood: the flood of the issue - 10,000 activations within 1 s of plant time pushed through a
//      real Engine with a StoreWriter on SQLite (temp dir) - measured as the wall time until all 10k alarm
//      events are committed, while 100k ordinary tag updates are pushed concurrently; the ordinary ingest is
//      also run without the flood and the two are compared (rate ratio, lag of the ordinary updates).
//      Arg 0: paced (both streams spread over 1 s, as a plant would send them) or as fast as possible.
// Figures only: no assertions. Run: build/bench/bench_alarms [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

#include "alarms/alarm_book.hpp"
#include "engine/alarm_journal.hpp"
#include "engine/engine.hpp"
#include "store/store.hpp"
#include "store/store_writer.hpp"

namespace {

using namespace strata;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kAlarmTags = 10'000;
constexpr double kLimit = 100.0;

// `alarm_tags` tags with one High alarm each (limit 100, deadband 5), then `other_tags` tags without alarms,
// in units of 20 tags.
struct BenchPlant {
  model::Plant plant;
  std::vector<model::AlarmDefinition> alarms;
};

BenchPlant make_plant(std::size_t alarm_tags, std::size_t other_tags) {
  BenchPlant out;
  auto& plant = out.plant;
  plant.enterprise = {"bench", "Bench"};
  model::WorkCenter line;
  line.id = "site/area/line";
  for (std::size_t i = 0; i < alarm_tags + other_tags; ++i) {
    if (i % 20 == 0) {
      line.units.emplace_back();
      line.units.back().id = line.id + "/unit" + std::to_string(i / 20);
      line.units.back().local_id = "unit" + std::to_string(i / 20);
    }
    auto& unit = line.units.back();
    const auto index = static_cast<model::TagIndex>(plant.tags.size());
    plant.tags.push_back({unit.id + "/tag" + std::to_string(i),
                          unit.id,
                          {"tag" + std::to_string(i), model::TagType::Float64, "", "bench:x", ""}});
    unit.tags.push_back(index);
    if (i < alarm_tags) {
      model::AlarmDefinition alarm;
      alarm.id = unit.id + "/high" + std::to_string(i);
      alarm.name = "High " + std::to_string(i);
      alarm.unit_id = unit.id;
      alarm.kind = model::AlarmKind::High;
      alarm.tag = index;
      alarm.limit = kLimit;
      alarm.deadband = 5.0;
      alarm.priority = i % 4;
      out.alarms.push_back(std::move(alarm));
    }
  }
  model::Area area;
  area.id = "site/area";
  area.work_centers.push_back(std::move(line));
  model::Site site;
  site.id = "site";
  site.areas.push_back(std::move(area));
  plant.sites.push_back(std::move(site));
  plant.alarms = out.alarms;
  return out;
}

alarms::AlarmBook make_book(const std::vector<model::AlarmDefinition>& definitions) {
  auto book = alarms::AlarmBook::create(definitions);
  if (!book) throw std::runtime_error(book.error().message);
  return std::move(book).value();
}

// --- (a) raw evaluation -----------------------------------------------------------------------------------

// Arg 0: percent of samples beyond the limit. 0: the common case, nothing trips; 1 and 10: each crossing
// raises or clears an alarm (a transition into the outbox, drained once per batch like an engine tick).
void BM_AlarmBookEvaluate(benchmark::State& state) {
  const auto crossing_percent = static_cast<std::uint64_t>(state.range(0));
  const auto bench = make_plant(kAlarmTags, 0);
  auto book = make_book(bench.alarms);
  constexpr std::size_t kBatch = 100'000;
  std::mt19937_64 random(42);
  std::vector<std::pair<model::TagIndex, double>> samples;
  samples.reserve(kBatch);
  for (std::size_t i = 0; i < kBatch; ++i) {
    const bool beyond = random() % 100 < crossing_percent;
    samples.emplace_back(static_cast<model::TagIndex>(random() % kAlarmTags),
                         beyond ? 150.0 : 50.0 + static_cast<double>(random() % 40));
  }
  Timestamp now = 1'767'225'600LL * kMicrosPerSecond;
  std::size_t transitions = 0;
  model::TagValue value{.value = 0.0, .quality = model::Quality::Good, .source_time = 0, .server_time = 0};
  for (auto _ : state) {
    for (const auto& [tag, number] : samples) {
      now += 10;  // 100k samples a second of plant time
      value.value = number;
      value.source_time = now;
      value.server_time = now;
      book.on_sample(tag, value);
    }
    book.advance(now);
    transitions += book.drain_transitions().size();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
  state.counters["transitions/batch"] =
      static_cast<double>(transitions) / static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
  state.SetLabel(fmt::format("10k alarms on 10k tags, {}% of samples beyond the limit", crossing_percent));
}
BENCHMARK(BM_AlarmBookEvaluate)->Arg(0)->Arg(1)->Arg(10);

// --- (b) the flood through the engine into SQLite
// -----------------------------------------------------------

constexpr std::size_t kOtherTags = 10'000;
constexpr std::size_t kOrdinaryUpdates = 100'000;
constexpr std::size_t kSlices = 100;  // both streams go in 100 slices (every 10 ms when paced)

struct RunFigures {
  double ingest_seconds = 0;  // first ordinary push -> last ordinary batch applied
  double max_lag_ms = 0;      // worst push -> applied delay of an ordinary batch
  double median_lag_ms = 0;
  double flood_commit_seconds = 0;      // first flood push -> all 10k alarm events committed
  double flood_after_last_push_ms = 0;  // last flood push -> all committed
  std::size_t alarm_events = 0;         // counted in the store afterwards
  double flood_span_ms = 0;             // plant time between the first and last activation
};

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "strata-bench-alarms-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

RunFigures run_flood(const BenchPlant& bench, bool flood, bool paced) {
  ScratchDir dir;
  auto opened = store::Store::open(dir.file("strata.db"));
  if (!opened) throw std::runtime_error(opened.error().message);
  std::vector<std::string> ids;
  for (const auto& tag : bench.plant.tags) ids.push_back(tag.id);
  auto keys = (*opened)->register_tags(ids);
  if (!keys) throw std::runtime_error(keys.error().message);
  store::StoreWriter writer(std::move(opened).value());  // default options, as `strata serve` runs it
  SystemClock clock;
  engine::Engine engine(bench.plant, clock,
                        engine::EngineOptions{.tick = std::chrono::milliseconds(100), .record_history = true},
                        &writer, *keys);
  engine.set_alarms(make_book(bench.alarms));
  engine.start();
  // Every alarm tag starts normal, so the flood is 10k activations from Normal.
  {
    std::vector<model::TagUpdate> normal;
    for (std::size_t i = 0; i < kAlarmTags; ++i) {
      normal.push_back({static_cast<model::TagIndex>(i), 50.0, model::Quality::Good, clock.now()});
    }
    engine.push(std::move(normal));
    engine.flush().wait();
    writer.flush();
  }
  const std::uint64_t events_before = writer.stats().events_written;

  // Ordinary updates: 100 batches of 1000 over the 10k tags without alarms; flood: 100 batches of 100 alarm
  // tags going beyond the limit.
  std::mt19937_64 random(7);
  std::vector<std::vector<model::TagUpdate>> ordinary(kSlices);
  for (auto& batch : ordinary) {
    for (std::size_t i = 0; i < kOrdinaryUpdates / kSlices; ++i) {
      batch.push_back({static_cast<model::TagIndex>(kAlarmTags + random() % kOtherTags),
                       static_cast<double>(random() % 1000), model::Quality::Good, 0});
    }
  }
  std::vector<std::vector<model::TagUpdate>> surge(kSlices);
  for (std::size_t s = 0; s < kSlices; ++s) {
    for (std::size_t i = 0; i < kAlarmTags / kSlices; ++i) {
      surge[s].push_back(
          {static_cast<model::TagIndex>(s * (kAlarmTags / kSlices) + i), 150.0, model::Quality::Good, 0});
    }
  }

  const auto start = SteadyClock::now();
  const auto slot = [&](std::size_t s) { return start + std::chrono::milliseconds(10 * s); };
  std::vector<SteadyClock::time_point> pushed(kSlices);
  std::vector<std::future<SteadyClock::time_point>> applied;
  applied.reserve(kSlices);
  SteadyClock::time_point last_flood_push = start;
  std::thread flooder;
  if (flood) {
    flooder = std::thread([&] {
      for (std::size_t s = 0; s < kSlices; ++s) {
        if (paced) std::this_thread::sleep_until(slot(s));
        const Timestamp now = clock.now();
        for (auto& update : surge[s]) update.source_time = now;
        engine.push(surge[s]);
      }
      last_flood_push = SteadyClock::now();
    });
  }
  for (std::size_t s = 0; s < kSlices; ++s) {
    if (paced) std::this_thread::sleep_until(slot(s));
    const Timestamp now = clock.now();
    for (auto& update : ordinary[s]) update.source_time = now;
    pushed[s] = SteadyClock::now();
    engine.push(ordinary[s]);
    // Runs on the engine thread right after the batch: when it was applied.
    applied.push_back(engine.query([](const engine::PlantState&) { return SteadyClock::now(); }));
  }
  RunFigures figures;
  std::vector<double> lags;
  SteadyClock::time_point last_applied = start;
  for (std::size_t s = 0; s < kSlices; ++s) {
    const auto at = applied[s].get();
    last_applied = std::max(last_applied, at);
    lags.push_back(std::chrono::duration<double, std::milli>(at - pushed[s]).count());
  }
  figures.ingest_seconds = std::chrono::duration<double>(last_applied - start).count();
  std::sort(lags.begin(), lags.end());
  figures.max_lag_ms = lags.back();
  figures.median_lag_ms = lags[lags.size() / 2];

  if (flood) {
    flooder.join();
    while (writer.stats().events_written < events_before + kAlarmTags) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const auto committed = SteadyClock::now();
    figures.flood_commit_seconds = std::chrono::duration<double>(committed - start).count();
    figures.flood_after_last_push_ms =
        std::chrono::duration<double, std::milli>(committed - last_flood_push).count();
  }
  engine.stop();
  writer.flush();

  auto reader = store::Store::open(dir.file("strata.db"),
                                   store::StoreOptions{.read_only = true, .history_merge_rows = 1'000'000});
  if (!reader) throw std::runtime_error(reader.error().message);
  const auto events =
      (*reader)->events_between(std::string(engine::kAlarmEvent), 0, std::numeric_limits<Timestamp>::max());
  if (!events) throw std::runtime_error(events.error().message);
  figures.alarm_events = events->size();
  if (!events->empty()) {
    Timestamp first = std::numeric_limits<Timestamp>::max();
    Timestamp last = 0;
    for (const auto& event : *events) {
      const auto at = nlohmann::json::parse(event.payload).at("at").get<Timestamp>();
      first = std::min(first, at);
      last = std::max(last, at);
    }
    figures.flood_span_ms = static_cast<double>(last - first) / 1000.0;
  }
  return figures;
}

void BM_AlarmFlood(benchmark::State& state) {
  const bool paced = state.range(0) != 0;
  const auto bench = make_plant(kAlarmTags, kOtherTags);
  RunFigures quiet_total;
  RunFigures flood_total;
  std::size_t runs = 0;
  for (auto _ : state) {
    const auto quiet = run_flood(bench, false, paced);
    const auto flooded = run_flood(bench, true, paced);
    state.SetIterationTime(flooded.flood_commit_seconds);
    quiet_total.ingest_seconds += quiet.ingest_seconds;
    quiet_total.max_lag_ms = std::max(quiet_total.max_lag_ms, quiet.max_lag_ms);
    quiet_total.median_lag_ms += quiet.median_lag_ms;
    flood_total.ingest_seconds += flooded.ingest_seconds;
    flood_total.max_lag_ms = std::max(flood_total.max_lag_ms, flooded.max_lag_ms);
    flood_total.median_lag_ms += flooded.median_lag_ms;
    flood_total.flood_commit_seconds += flooded.flood_commit_seconds;
    flood_total.flood_after_last_push_ms += flooded.flood_after_last_push_ms;
    flood_total.alarm_events = std::max(flood_total.alarm_events, flooded.alarm_events);
    flood_total.flood_span_ms = std::max(flood_total.flood_span_ms, flooded.flood_span_ms);
    ++runs;
  }
  const double n = static_cast<double>(std::max<std::size_t>(1, runs));
  const double quiet_rate = static_cast<double>(kOrdinaryUpdates) / (quiet_total.ingest_seconds / n);
  const double flood_rate = static_cast<double>(kOrdinaryUpdates) / (flood_total.ingest_seconds / n);
  state.counters["flood_commit_ms"] = 1000.0 * flood_total.flood_commit_seconds / n;
  state.counters["commit_after_last_push_ms"] = flood_total.flood_after_last_push_ms / n;
  state.counters["alarm_events"] = static_cast<double>(flood_total.alarm_events);
  state.counters["activation_span_ms"] = flood_total.flood_span_ms;
  state.counters["ingest_quiet_per_s"] = quiet_rate;
  state.counters["ingest_flood_per_s"] = flood_rate;
  state.counters["ingest_ratio"] = flood_rate / quiet_rate;
  state.counters["lag_median_quiet_ms"] = quiet_total.median_lag_ms / n;
  state.counters["lag_median_flood_ms"] = flood_total.median_lag_ms / n;
  state.counters["lag_max_quiet_ms"] = quiet_total.max_lag_ms;
  state.counters["lag_max_flood_ms"] = flood_total.max_lag_ms;
  state.SetLabel(paced ? "paced over 1 s: 10k activations + 100k ordinary updates"
                       : "as fast as possible: 10k activations + 100k ordinary updates");
}
BENCHMARK(BM_AlarmFlood)->Arg(1)->Arg(0)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
