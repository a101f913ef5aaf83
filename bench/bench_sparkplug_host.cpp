// Throughput of the Sparkplug host driver: one edge node publishes DDATA for D devices x M metrics
// (alias only, every value changed) through a local mosquitto broker; the host driver decodes, checks
// seq, converts and pushes to an UpdateSink. Reports DDATA messages/s and metric values/s from the first
// publish to the last value pushed. The publisher keeps at most one window of rounds ahead of the host
// so the broker never has to drop QoS 0 messages (a drop would show as a seq gap and a Rebirth).
//
//   bench_sparkplug_host [devices=100] [metrics=100] [rounds=200]
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "drivers/sparkplug/host_driver.hpp"
#include "drivers/sparkplug/mqtt_client.hpp"
#include "drivers/sparkplug/payload.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "unit/sparkplug/mosquitto_broker.hpp"

namespace {

using namespace strata;
using namespace strata::sparkplug;
using Steady = std::chrono::steady_clock;

class CountingSink final : public engine::UpdateSink {
 public:
  void push(std::vector<model::TagUpdate> batch) override {
    {
      std::lock_guard lock(mutex_);
      count_ += batch.size();
      last_ = Steady::now();
    }
    changed_.notify_all();
  }
  bool wait_for(std::uint64_t count, std::chrono::seconds guard) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, guard, [&] { return count_ >= count; });
  }
  std::uint64_t count() {
    std::lock_guard lock(mutex_);
    return count_;
  }
  Steady::time_point last() {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t count_ = 0;
  Steady::time_point last_{};
};

model::Plant make_plant(int devices, int metrics, int port) {
  model::Plant plant;
  model::WorkCenter line;
  line.id = "site/area/L1";
  for (int d = 0; d < devices; ++d) {
    model::WorkUnit unit;
    unit.id = fmt::format("{}/dev{}", line.id, d);
    for (int m = 0; m < metrics; ++m) {
      unit.tags.push_back(static_cast<model::TagIndex>(plant.tags.size()));
      plant.tags.push_back(model::Tag{fmt::format("{}/m{}", unit.id, m),
                                      unit.id,
                                      {fmt::format("m{}", m), model::TagType::Float64, "",
                                       fmt::format("sparkplug:uns/edge1/dev{}/m{}", d, m), ""}});
    }
    line.units.push_back(std::move(unit));
  }
  model::Area area;
  area.work_centers.push_back(std::move(line));
  model::Site site;
  site.areas.push_back(std::move(area));
  plant.sites.push_back(std::move(site));
  model::SparkplugConnection connection;
  connection.name = "uns";
  connection.port = port;
  connection.group_id = "bench";
  connection.client_id = "bench-host";
  plant.sparkplug_connections.push_back(connection);
  return plant;
}

}  // namespace

int main(int argc, char** argv) {
  const int devices = argc > 1 ? std::atoi(argv[1]) : 100;
  const int metrics = argc > 2 ? std::atoi(argv[2]) : 100;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 200;
  constexpr int kWindowRounds = 5;

  // A private mosquitto for the run; max_queued_messages 0 lifts the per-client queue limit.
  strata::sparkplug::test::MosquittoBroker broker;
  broker.add_config("max_queued_messages 0");
  if (auto started = broker.start(); !started) {
    std::fprintf(stderr, "mosquitto did not start: %s\n", started.error().message.c_str());
    return 1;
  }
  const auto plant = make_plant(devices, metrics, broker.port());
  SystemClock clock;
  auto driver = SparkplugHostDriver::create(plant, clock);
  if (!driver) {
    std::fprintf(stderr, "%s\n", driver.error().message.c_str());
    return 1;
  }

  // The edge node: births on the host's Rebirth request (sent when the host connects).
  std::mutex publish_mutex;
  std::uint64_t seq = 0;
  std::atomic<bool> born{false};
  std::unique_ptr<MqttClient> edge;
  const auto publish = [&](const std::string& topic, Payload payload) {
    (void)edge->publish(topic, encode(payload), 0, false);
  };
  const auto births = [&] {
    std::lock_guard lock(publish_mutex);
    seq = 0;
    Payload nbirth{.timestamp = 1, .seq = 0};
    nbirth.metrics.push_back(Metric{.name = "bdSeq", .datatype = DataType::Int64, .value = std::int64_t{0}});
    nbirth.metrics.push_back(
        Metric{.name = "Node Control/Rebirth", .datatype = DataType::Boolean, .value = false});
    publish(node_topic("bench", MessageType::NBirth, "edge1"), nbirth);
    for (int d = 0; d < devices; ++d) {
      Payload dbirth{.timestamp = 1, .seq = seq = (seq + 1) % 256};
      for (int m = 0; m < metrics; ++m) {
        dbirth.metrics.push_back(Metric{.name = fmt::format("m{}", m),
                                        .alias = static_cast<std::uint64_t>(d * metrics + m),
                                        .datatype = DataType::Double,
                                        .value = 0.0});
      }
      publish(device_topic("bench", MessageType::DBirth, "edge1", fmt::format("dev{}", d)), dbirth);
    }
    born = true;
  };
  MqttSettings settings;
  settings.port = broker.port();
  settings.client_id = "bench-edge";
  edge = std::make_unique<MqttClient>(
      settings, MqttCallbacks{.on_message = [&](std::string_view, std::string_view) { births(); },
                              .on_subscribed = {}});
  (void)edge->subscribe("spBv1.0/bench/NCMD/edge1", 1);
  (void)edge->start();
  while (!edge->connected()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the subscription settle

  CountingSink sink;
  (*driver)->start(sink);
  while (!born) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // BIRTH values (all 0.0) arrive first.
  const auto tags = static_cast<std::uint64_t>(devices) * static_cast<std::uint64_t>(metrics);
  if (!sink.wait_for(tags, std::chrono::seconds(60))) {
    std::fprintf(stderr, "births did not arrive (%llu of %llu)\n",
                 static_cast<unsigned long long>(sink.count()), static_cast<unsigned long long>(tags));
    return 1;
  }

  const auto start = Steady::now();
  for (int round = 1; round <= rounds; ++round) {
    {
      std::lock_guard lock(publish_mutex);
      for (int d = 0; d < devices; ++d) {
        Payload ddata{.timestamp = static_cast<std::uint64_t>(round), .seq = seq = (seq + 1) % 256};
        ddata.metrics.reserve(static_cast<std::size_t>(metrics));
        for (int m = 0; m < metrics; ++m) {
          ddata.metrics.push_back(Metric{.alias = static_cast<std::uint64_t>(d * metrics + m),
                                         .value = static_cast<double>(round)});
        }
        publish(device_topic("bench", MessageType::DData, "edge1", fmt::format("dev{}", d)), ddata);
      }
    }
    if (round > kWindowRounds) {
      const auto behind = static_cast<std::uint64_t>(round - kWindowRounds);
      if (!sink.wait_for(tags * (1 + behind), std::chrono::seconds(60))) {
        std::fprintf(stderr, "host fell behind at round %d\n", round);
        return 1;
      }
    }
  }
  const auto expected = tags * (1 + static_cast<std::uint64_t>(rounds));
  if (!sink.wait_for(expected, std::chrono::seconds(60))) {
    std::fprintf(stderr, "only %llu of %llu values arrived\n", static_cast<unsigned long long>(sink.count()),
                 static_cast<unsigned long long>(expected));
    return 1;
  }
  const double seconds = std::chrono::duration<double>(sink.last() - start).count();
  const auto messages = static_cast<double>(devices) * rounds;
  const auto values = static_cast<double>(tags) * rounds;
  const auto stats = (*driver)->metrics().front();
  std::printf("sparkplug host: %d devices x %d metrics, %d rounds of DDATA via mosquitto\n", devices, metrics,
              rounds);
  std::printf("  %.0f DDATA messages in %.3f s: %.0f messages/s, %.0f metric values/s\n", messages, seconds,
              messages / seconds, values / seconds);
  std::printf("  driver: %llu messages read, %llu values pushed, %llu errors\n",
              static_cast<unsigned long long>(stats.reads), static_cast<unsigned long long>(stats.values),
              static_cast<unsigned long long>(stats.errors));
  (*driver)->stop();
  edge->stop();
  return 0;
}
