// Modbus TCP end to end, on loopback: a staging Modbus server (libmodbus) whose holding registers all change
// between polls, the real ModbusDriver polling it as fast as it can (poll interval 1 ms), and a real Engine
// applying the values. A plain load driver rather than Google Benchmark: the driver runs on its own threads,
// so the figures are rates over a wall-clock window, printed as JSON lines.
//  - values/s applied by the engine, polls/s and requests/s, for 100, 1,000 and 10,000 int16 tags;
//  - mean read round trip (request sent to answer decoded), from the driver's own counters.
// Figures only: no assertions. Run: build/bench/bench_modbus [seconds per case, default 5]
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "drivers/modbus/modbus_driver.hpp"
#include "engine/engine.hpp"
#include "staging/modbus_server.hpp"

namespace {

using namespace strata;
using SteadyClock = std::chrono::steady_clock;

// `tags` int16 tags on hr0.., 20 per unit, all on one connection "plc".
model::Plant make_plant(std::size_t tags) {
  model::Plant plant;
  plant.enterprise = {"bench", "Bench"};
  model::WorkCenter line;
  line.id = "site/area/line";
  for (std::size_t i = 0; i < tags; ++i) {
    if (i % 20 == 0) {
      line.units.emplace_back();
      line.units.back().id = line.id + "/unit" + std::to_string(i / 20);
      line.units.back().local_id = "unit" + std::to_string(i / 20);
    }
    auto& unit = line.units.back();
    const auto index = static_cast<model::TagIndex>(plant.tags.size());
    model::TagDefinition definition;
    definition.name = "tag" + std::to_string(i);
    definition.type = model::TagType::Int32;
    definition.source = fmt::format("modbus:plc/hr{}:int16", i);
    plant.tags.push_back({unit.id + "/" + definition.name, unit.id, definition});
    unit.tags.push_back(index);
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

void run_case(std::size_t tags, std::chrono::seconds window) {
  auto server = staging::ModbusServer::listen("127.0.0.1", 0);
  if (!server) throw std::runtime_error(server.error().message);
  (*server)->start();

  const auto plant = make_plant(tags);
  model::ModbusConnection connection;
  connection.name = "plc";
  connection.host = "127.0.0.1";
  connection.port = (*server)->port();
  connection.poll_interval = std::chrono::milliseconds(1);
  SystemClock clock;
  auto driver = modbus::ModbusDriver::create(plant, {connection}, clock);
  if (!driver) throw std::runtime_error(driver.error().message);
  auto* modbus = driver->get();

  engine::Engine engine(plant, clock, engine::EngineOptions{std::chrono::milliseconds(100), false});
  engine.add_driver(std::move(*driver));
  engine.start();

  // Every register changes as fast as the server takes updates, so every poll reads new values.
  std::atomic<bool> stop{false};
  std::thread changer([&] {
    std::uint16_t round = 0;
    while (!stop.load()) {
      ++round;
      (*server)->update([&](staging::ModbusTables& tables) {
        for (std::size_t i = 0; i < tags; ++i)
          tables.holding_registers[i] = static_cast<std::uint16_t>(round + i);
      });
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });

  while (modbus->stats()[0].polls < 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // warm-up
  const auto applied_before = engine.stats().updates_applied;
  const auto stats_before = modbus->stats()[0];
  const auto start = SteadyClock::now();
  std::this_thread::sleep_for(window);
  engine.flush().wait();
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const auto applied = engine.stats().updates_applied - applied_before;
  const auto stats_after = modbus->stats()[0];

  stop = true;
  changer.join();
  engine.stop();
  (*server)->stop();

  const auto polls = stats_after.polls - stats_before.polls;
  const auto requests = stats_after.requests - stats_before.requests;
  const auto answered = stats_after.reads_answered - stats_before.reads_answered;
  const double round_trip_ms = answered == 0
                                   ? 0.0
                                   : 1000.0 * (stats_after.read_seconds_sum - stats_before.read_seconds_sum) /
                                         static_cast<double>(answered);
  fmt::print(
      "{{\"case\":\"modbus_end_to_end\",\"tags\":{},\"seconds\":{:.2f},\"values_per_s\":{:.0f},"
      "\"polls_per_s\":{:.1f},\"requests_per_s\":{:.0f},\"requests_per_poll\":{:.1f},\"mean_round_trip_ms\":{"
      ":.3f},\"errors\":{}}}"
      "\n",
      tags, seconds, static_cast<double>(applied) / seconds, static_cast<double>(polls) / seconds,
      static_cast<double>(requests) / seconds,
      polls == 0 ? 0.0 : static_cast<double>(requests) / static_cast<double>(polls), round_trip_ms,
      stats_after.errors - stats_before.errors);
}

}  // namespace

int main(int argc, char** argv) {
  const auto window = std::chrono::seconds(argc > 1 ? std::atoi(argv[1]) : 5);
  for (const std::size_t tags : {100U, 1000U, 10000U}) run_case(tags, window);
  return 0;
}
