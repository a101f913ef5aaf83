// The Sparkplug edge node through a real mosquitto: live DDATA messages and metric values per second
// from engine ticks to a subscriber that received them, and the store-and-forward drain rate (stored
// records acknowledged per second once the broker comes back).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "drivers/sparkplug/edge_node.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "engine/engine.hpp"
#include "unit/sparkplug/mosquitto_broker.hpp"

namespace {

using namespace strata;
using namespace std::chrono_literals;
using sparkplug::test::MosquittoBroker;

// max_queued_messages 0: no per-client queue limit, so QoS 0 messages to a slow subscriber are not dropped.
void unbounded_queues(MosquittoBroker& broker) {
  broker.add_config("max_queued_messages 0");
}

// `units` units of 20 Float64 tags.
model::Plant synthetic_plant(std::size_t units) {
  model::Plant plant;
  plant.enterprise = {"bench", "Bench"};
  model::WorkCenter line;
  line.id = "site/area/line";
  for (std::size_t u = 0; u < units; ++u) {
    model::WorkUnit unit;
    unit.id = fmt::format("{}/unit{}", line.id, u);
    for (int t = 0; t < 20; ++t) {
      const auto index = static_cast<model::TagIndex>(plant.tags.size());
      plant.tags.push_back({fmt::format("{}/tag{}", unit.id, t),
                            unit.id,
                            {fmt::format("tag{}", t), model::TagType::Float64, "", "bench:x", ""}});
      unit.tags.push_back(index);
    }
    line.units.push_back(std::move(unit));
  }
  model::Area area;
  area.id = "site/area";
  area.work_centers.push_back(std::move(line));
  model::Site site;
  site.id = "site";
  site.areas.push_back(std::move(area));
  plant.sites.push_back(std::move(site));
  return plant;
}

std::filesystem::path scratch(std::string_view what) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             fmt::format("strata-bench-sp-{}-{}-{}", what, ::getpid(), counter.fetch_add(1));
  std::filesystem::remove_all(dir);
  return dir;
}

model::SparkplugConnection connection_to(int port, const std::filesystem::path& store) {
  model::SparkplugConnection connection;
  connection.name = "bench";
  connection.port = port;
  connection.group_id = "bench";
  connection.edge_node_id = "strata";
  connection.client_id = fmt::format("bench-edge-{}", ::getpid());
  connection.reconnect = {.initial = 5ms, .max = 10ms};
  connection.store_forward_dir = store.string();
  return connection;
}

// One tick updates every tag: one DDATA of 20 metrics per unit.
void tick(engine::Engine& engine, const model::Plant& plant, ManualClock& clock, int round) {
  std::vector<model::TagUpdate> batch;
  batch.reserve(plant.tags.size());
  clock.advance(kMicrosPerMilli);
  for (model::TagIndex i = 0; i < plant.tags.size(); ++i) {
    model::TagUpdate update;
    update.tag = i;
    update.value = static_cast<double>(round) + i * 0.001;
    update.source_time = clock.now();
    batch.push_back(std::move(update));
  }
  engine.push(std::move(batch));
  engine.flush().get();
}

void BM_SparkplugEdgeLiveDdata(benchmark::State& state) {
  const auto units = static_cast<std::size_t>(state.range(0));
  const int ticks = static_cast<int>(state.range(1));
  const auto dir = scratch("live");
  MosquittoBroker broker;
  unbounded_queues(broker);
  if (auto started = broker.start(); !started) {
    state.SkipWithError(started.error().message.c_str());
    return;
  }
  const int port = broker.port();
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> values{0};
  std::atomic<bool> subscribed{false};
  sparkplug::MqttClient subscriber({.port = port, .client_id = "bench-sub"},
                                   {.on_connect = [&] { subscribed = true; },
                                    .on_message =
                                        [&](std::string_view topic, std::string_view bytes) {
                                          if (topic.find("/DDATA/") == std::string_view::npos) return;
                                          if (auto payload = sparkplug::decode(bytes))
                                            values += payload->metrics.size();
                                          ++received;
                                        }});
  (void)subscriber.subscribe("spBv1.0/bench/#", 0);
  (void)subscriber.start();
  while (!subscribed) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(50ms);  // the SUBACK

  const auto plant = synthetic_plant(units);
  ManualClock clock;
  engine::Engine engine(plant, clock, {.tick = 1000ms, .record_history = false});
  auto edge = sparkplug::EdgeNode::create(plant, connection_to(port, dir / "store"), engine, clock);
  if (!edge) {
    state.SkipWithError(edge.error().message.c_str());
    return;
  }
  engine.add_listener(edge->get());
  engine.start();
  (void)(*edge)->start();
  while (!(*edge)->metrics().connected) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(50ms);

  const auto expected = static_cast<std::uint64_t>(ticks) * units;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    received = 0;
    values = 0;
    for (int round = 0; round < ticks; ++round) tick(engine, plant, clock, round);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (received < expected && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(100us);
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  state.counters["ddata_per_s"] =
      benchmark::Counter(static_cast<double>(received.load()) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["values_per_s"] =
      benchmark::Counter(static_cast<double>(values.load()) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["lost"] = static_cast<double>(expected - std::min(expected, received.load()));
  engine.stop();
  (*edge)->stop();
  subscriber.stop();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SparkplugEdgeLiveDdata)
    ->Args({10, 2000})
    ->Args({50, 400})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_SparkplugEdgeDrain(benchmark::State& state) {
  const auto records = static_cast<int>(state.range(0));
  const auto dir = scratch("drain");
  MosquittoBroker broker;
  unbounded_queues(broker);
  const int port = broker.reserve_port();  // not started yet: the edge node stores
  if (port == 0) {
    state.SkipWithError("no free local port");
    return;
  }
  const auto plant = synthetic_plant(1);
  ManualClock clock;
  engine::Engine engine(plant, clock, {.tick = 1000ms, .record_history = false});
  auto connection = connection_to(port, dir / "store");
  auto edge = sparkplug::EdgeNode::create(plant, connection, engine, clock);
  if (!edge) {
    state.SkipWithError(edge.error().message.c_str());
    return;
  }
  engine.add_listener(edge->get());
  engine.start();
  (void)(*edge)->start();
  std::uint64_t drained = 0;
  for (auto _ : state) {
    for (int round = 0; round < records; ++round) tick(engine, plant, clock, round);
    while ((*edge)->backlog().stored < drained + static_cast<std::uint64_t>(records)) {
      std::this_thread::sleep_for(1ms);
    }
    const auto start = std::chrono::steady_clock::now();
    if (auto started = broker.start(); !started) {
      state.SkipWithError(started.error().message.c_str());
      break;
    }
    while ((*edge)->backlog().records > 0) std::this_thread::sleep_for(100us);
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    drained = (*edge)->backlog().drained;
    broker.stop();
    while ((*edge)->metrics().connected) std::this_thread::sleep_for(1ms);
  }
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(drained), benchmark::Counter::kIsRate);
  engine.stop();
  (*edge)->stop();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SparkplugEdgeDrain)
    ->Arg(5000)
    ->Arg(20000)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
