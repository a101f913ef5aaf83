// OPC UA notifications per second end to end: a server-role connector with 10,000 Double variables,
// all changed every cycle by `set` frames, read by the OpcUaDriver (client-role connector, one monitored
// item per variable) into a counting UpdateSink. A load driver rather than Google Benchmark: the
// figure is a steady-state rate across three processes, not a per-call time.
//
//   bench_opcua [items=10000] [seconds=20] [cycle_ms=100]
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "drivers/connector/connector_location.hpp"
#include "drivers/connector/connector_process.hpp"
#include "drivers/connector/frame_codec.hpp"
#include "drivers/opcua/opcua_driver.hpp"
#include "drivers/opcua/value_codec.hpp"

namespace {

using namespace strata;
using SteadyClock = std::chrono::steady_clock;

class CountingSink final : public engine::UpdateSink {
 public:
  void push(std::vector<model::TagUpdate> batch) override {
    std::uint64_t good = 0;
    for (const auto& update : batch) good += update.quality == model::Quality::Good ? 1 : 0;
    updates_.fetch_add(batch.size(), std::memory_order_relaxed);
    good_.fetch_add(good, std::memory_order_relaxed);
    batches_.fetch_add(1, std::memory_order_relaxed);
    last_delivery_.store(SteadyClock::now().time_since_epoch().count(), std::memory_order_relaxed);
  }
  SteadyClock::time_point last_delivery() const {
    return SteadyClock::time_point(SteadyClock::duration(last_delivery_.load(std::memory_order_relaxed)));
  }
  std::uint64_t updates() const { return updates_.load(std::memory_order_relaxed); }
  std::uint64_t good() const { return good_.load(std::memory_order_relaxed); }
  std::uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> updates_{0};
  std::atomic<std::uint64_t> good_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<SteadyClock::rep> last_delivery_{0};
};

// The C++ side alone: decoding values frames as the connector writes them (5000 items each, the
// connector's batch size), to show where the end-to-end ceiling is not.
double decode_rate(int items_per_frame) {
  nlohmann::json frame_items = nlohmann::json::array();
  for (int i = 0; i < items_per_frame; ++i) {
    frame_items.push_back({{"h", i}, {"v", 1234.5 + i}, {"q", "good"}, {"t", 1767225600000LL + i}});
  }
  const auto frame = connector::encode_frame({{"type", "values"}, {"items", frame_items}}).value();
  constexpr int kFrames = 200;
  std::string stream;
  for (int i = 0; i < kFrames; ++i) stream += frame;
  const auto start = SteadyClock::now();
  connector::FrameDecoder decoder;
  decoder.feed(stream);
  std::uint64_t values = 0;
  while (true) {
    auto next = decoder.next();
    if (!next || !*next) break;
    for (const auto& item : (**next)["items"]) {
      if (opcua::value_from_json(item["v"], model::TagType::Float64)) ++values;
    }
  }
  return static_cast<double>(values) / std::chrono::duration<double>(SteadyClock::now() - start).count();
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string node_id(int i) {
  return fmt::format("ns=1;s=Bench.V{}", i);
}

}  // namespace

int main(int argc, char** argv) {
  const int items = argc > 1 ? std::atoi(argv[1]) : 10'000;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 20;
  const int cycle_ms = argc > 3 ? std::atoi(argv[3]) : 100;
  spdlog::set_level(spdlog::level::warn);
  // <repo>/build/bench/bench_opcua: the checkout's connectors/ is two levels up.
  const auto checkout =
      std::filesystem::weakly_canonical(std::filesystem::path(argv[0])).parent_path() / "../../connectors";
  if (std::getenv("STRATA_CONNECTORS_DIR") == nullptr && std::filesystem::exists(checkout)) {  // NOLINT
    ::setenv("STRATA_CONNECTORS_DIR", checkout.c_str(), 1);
  }
  auto location = connector::find_connector("opcua", argv[0]);
  if (!location) {
    fmt::print(stderr, "{}\n", location.error().message);
    return 1;
  }
  const int port = free_port();

  nlohmann::json nodes = nlohmann::json::array();
  for (int i = 0; i < items; ++i) {
    nodes.push_back({{"h", i},
                     {"node_id", node_id(i)},
                     {"browse_path", {"Bench", fmt::format("V{}", i)}},
                     {"data_type", "Double"},
                     {"value", 0.0}});
  }
  connector::ConnectorOptions server_options;
  server_options.name = "bench-server";
  server_options.role = "server";
  server_options.argv = location->argv();
  server_options.config = {{"host", "127.0.0.1"}, {"port", port}, {"nodes", std::move(nodes)}};
  std::atomic<bool> listening{false};
  connector::ConnectorProcess server(std::move(server_options));
  server.on_message([&](const nlohmann::json& message) {
    if (message["type"] == "listening") listening = true;
  });
  server.start();
  if (auto up = server.wait_until_up(std::chrono::seconds(60)); !up) {
    fmt::print(stderr, "server connector: {}\n", up.error().message);
    return 1;
  }
  while (!listening) std::this_thread::sleep_for(std::chrono::milliseconds(50));

  model::Plant plant;
  model::OpcUaConnection connection;
  connection.name = "bench";
  connection.endpoint = fmt::format("opc.tcp://127.0.0.1:{}", port);
  connection.sampling_interval = std::chrono::milliseconds(cycle_ms / 2 > 0 ? cycle_ms / 2 : 1);
  connection.publishing_interval = std::chrono::milliseconds(cycle_ms);
  plant.opcua_connections.push_back(connection);
  for (int i = 0; i < items; ++i) {
    model::Tag tag;
    tag.id = fmt::format("bench/V{}", i);
    tag.unit_id = "bench";
    tag.definition.name = fmt::format("V{}", i);
    tag.definition.type = model::TagType::Float64;
    tag.definition.source = fmt::format("opcua:bench/{}", node_id(i));
    plant.tags.push_back(std::move(tag));
  }
  SystemClock clock;
  opcua::DriverOptions driver_options;
  driver_options.connector_argv = location->argv();
  auto driver = opcua::OpcUaDriver::create(plant, clock, driver_options);
  if (!driver) {
    fmt::print(stderr, "{}\n", driver.error().message);
    return 1;
  }
  CountingSink sink;
  const auto started = SteadyClock::now();
  (*driver)->start(sink);
  // Every item's initial value (0.0) arrives once the subscriptions exist.
  while (sink.good() < static_cast<std::uint64_t>(items)) {
    if (SteadyClock::now() - started > std::chrono::seconds(120)) {
      fmt::print(stderr, "only {} of {} initial values after 120 s\n", sink.good(), items);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double subscribe_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();

  // Steady state: every variable changes every cycle.
  std::uint64_t sets = 0;
  const auto measure_start = SteadyClock::now();
  const auto updates_before = sink.updates();
  const auto reads_before = (*driver)->metrics().at(0).reads;
  auto next = measure_start;
  for (int cycle = 1; SteadyClock::now() - measure_start < std::chrono::seconds(seconds); ++cycle) {
    nlohmann::json set_items = nlohmann::json::array();
    for (int i = 0; i < items; ++i) set_items.push_back({{"h", i}, {"v", static_cast<double>(cycle)}});
    if (server.send({{"type", "set"}, {"items", std::move(set_items)}}))
      sets += static_cast<std::uint64_t>(items);
    next += std::chrono::milliseconds(cycle_ms);
    std::this_thread::sleep_until(next);
  }
  // Values still in flight count too: wait until deliveries stop (two quiet publishing intervals).
  const auto sent_at = SteadyClock::now();
  for (auto last = sink.updates();;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * cycle_ms));
    const auto now = sink.updates();
    if (now == last || SteadyClock::now() - sent_at > std::chrono::seconds(30)) break;
    last = now;
  }
  const double elapsed = std::chrono::duration<double>(sink.last_delivery() - measure_start).count();
  const auto updates = sink.updates() - updates_before;
  const auto metrics = (*driver)->metrics().at(0);
  (*driver)->stop();
  server.stop();

  fmt::print(
      "bench_opcua: {} monitored items, sampling {} ms, publishing {} ms, all values changed every {} ms\n",
      items, connection.sampling_interval.count(), connection.publishing_interval.count(), cycle_ms);
  fmt::print("  subscribe + first values : {:.2f} s\n", subscribe_seconds);
  fmt::print("  offered (set)            : {:.0f} values/s\n", static_cast<double>(sets) / elapsed);
  fmt::print("  delivered to the sink    : {:.0f} notifications/s over {:.1f} s (until the last delivery)\n",
             static_cast<double>(updates) / elapsed, elapsed);
  fmt::print("  values frames            : {:.1f} frames/s ({} values per frame on average)\n",
             static_cast<double>(metrics.reads - reads_before) / elapsed,
             metrics.reads > reads_before ? updates / (metrics.reads - reads_before) : 0);
  fmt::print("  errors                   : {}\n", metrics.errors);
  fmt::print("  C++ side alone           : {:.0f} values/s decoded and converted (5000-item frames)\n",
             decode_rate(5000));
  return 0;
}
