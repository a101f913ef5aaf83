// Tag updates per second through the engine: applying values to plant state, building history
// records and change sets (engine only), and end to end into SQLite through the store writer.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "engine/engine.hpp"

namespace {

using namespace strata;

// A plant with `tag_count` float tags spread over units of 20 tags each.
model::Plant synthetic_plant(std::size_t tag_count) {
  model::Plant plant;
  plant.enterprise = {"bench", "Bench"};
  model::WorkCenter line;
  line.id = "site/area/line";
  for (std::size_t i = 0; i < tag_count; ++i) {
    if (i % 20 == 0) {
      line.units.emplace_back();
      line.units.back().id = line.id + "/unit" + std::to_string(i / 20);
    }
    auto& unit = line.units.back();
    const auto index = static_cast<model::TagIndex>(plant.tags.size());
    plant.tags.push_back({unit.id + "/tag" + std::to_string(i),
                          unit.id,
                          {"tag" + std::to_string(i), model::TagType::Float64, "", "bench:x", ""}});
    unit.tags.push_back(index);
  }
  model::Area area;
  area.work_centers.push_back(std::move(line));
  model::Site site;
  site.areas.push_back(std::move(area));
  plant.sites.push_back(std::move(site));
  return plant;
}

std::vector<model::TagUpdate> random_batch(std::size_t tag_count, std::size_t size, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<model::TagUpdate> batch;
  batch.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    model::TagUpdate update;
    update.tag = static_cast<model::TagIndex>(random() % tag_count);
    update.value = static_cast<double>(i);
    update.source_time = static_cast<Timestamp>(i);
    batch.push_back(std::move(update));
  }
  return batch;
}

// Engine thread work only: one run_once per 10k-update batch, as a tick would see it.
void BM_EngineApply(benchmark::State& state) {
  const auto tag_count = static_cast<std::size_t>(state.range(0));
  const bool history = state.range(1) != 0;
  const auto plant = synthetic_plant(tag_count);
  ManualClock clock;
  engine::Engine engine(plant, clock, engine::EngineOptions{std::chrono::milliseconds(100), history});
  const auto batch = random_batch(tag_count, 10'000, 42);
  for (auto _ : state) {
    engine.push(batch);
    engine.run_once();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
  state.SetLabel(history ? "with history records" : "state only");
}
BENCHMARK(BM_EngineApply)->Args({10'000, 0})->Args({10'000, 1})->Args({100'000, 0})->Args({100'000, 1});

// End to end: updates through the engine thread into SQLite, until the writer has committed them.
void BM_EngineIntoSqlite(benchmark::State& state) {
  const auto tag_count = static_cast<std::size_t>(state.range(0));
  const auto plant = synthetic_plant(tag_count);
  const auto dir =
      std::filesystem::temp_directory_path() / ("strata-bench-engine-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = store::Store::open((dir / "strata.db").string());
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  std::vector<std::string> ids;
  for (const auto& tag : plant.tags) ids.push_back(tag.id);
  auto keys = (*store)->register_tags(ids);
  store::StoreWriter writer(std::move(store.value()));
  SystemClock clock;
  engine::Engine engine(plant, clock, engine::EngineOptions{std::chrono::milliseconds(50), true}, &writer,
                        *keys);
  engine.start();
  const auto batch = random_batch(tag_count, 50'000, 7);
  for (auto _ : state) {
    for (int i = 0; i < 4; ++i) engine.push(batch);
    engine.flush().wait();  // everything applied and handed to the writer
    writer.flush();         // and committed
  }
  engine.stop();
  state.SetItemsProcessed(state.iterations() * 4 * static_cast<std::int64_t>(batch.size()));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_EngineIntoSqlite)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
