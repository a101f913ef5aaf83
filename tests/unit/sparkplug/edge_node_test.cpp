// Strata as a Sparkplug B edge node against a real mosquitto and a real Engine: births, seq and bdSeq,
// the NDEATH Will on an unclean connection loss, Rebirth, DCMD commands, store-and-forward across a
// broker restart, and a cross-check of the payloads with the Eclipse Tahu JavaScript decoder.
#include "drivers/sparkplug/edge_node.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "config/plant_loader.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "mosquitto_broker.hpp"
#include "wait_for.hpp"

namespace strata::sparkplug {
namespace {

using test::MosquittoBroker;
using test::Signal;
using namespace std::chrono_literals;

// A TCP forwarder between the edge node and the broker. close() cuts the edge's connection without an
// MQTT DISCONNECT (the broker then publishes the Will, as for a crashed or unplugged edge node) and
// refuses new ones until open(): the test decides when the edge node may reach the broker.
class TcpGate {
 public:
  explicit TcpGate(int target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    ::listen(listen_fd_, 16);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
    thread_ = std::thread([this] { run(); });
  }
  ~TcpGate() {
    stopping_ = true;
    poke();
    thread_.join();
    for (const auto& [a, b] : pairs_) {
      ::close(a);
      ::close(b);
    }
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }
  TcpGate(const TcpGate&) = delete;
  TcpGate& operator=(const TcpGate&) = delete;

  [[nodiscard]] int port() const { return port_; }
  void open() { open_ = true; }
  // Cuts every forwarded connection and refuses new ones; returns once they are closed.
  void close() {
    open_ = false;
    const auto target = cuts_requested_.fetch_add(1) + 1;
    poke();
    std::unique_lock lock(mutex_);
    cut_done_.wait(lock, [&] { return cuts_done_ >= target; });
  }

 private:
  void poke() {
    const char byte = 1;
    (void)!::write(wake_[1], &byte, 1);
  }
  static void shut(int fd) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }
  void run() {
    std::vector<char> buffer(1 << 16);
    while (!stopping_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      for (const auto& [a, b] : pairs_) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
      ::poll(fds.data(), fds.size(), 200);
      if ((fds[1].revents & POLLIN) != 0) {
        char drain[64];
        while (::read(wake_[0], drain, sizeof(drain)) > 0) {
        }
      }
      const auto requested = cuts_requested_.load();
      if (requested != cuts_done_) {
        for (const auto& [a, b] : pairs_) {
          shut(a);
          shut(b);
        }
        pairs_.clear();
        {
          std::lock_guard lock(mutex_);
          cuts_done_ = requested;
        }
        cut_done_.notify_all();
        continue;
      }
      if ((fds[0].revents & POLLIN) != 0) accept_one();
      std::set<std::size_t> broken;
      for (std::size_t i = 2; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        const auto pair = (i - 2) / 2;
        const int from = fds[i].fd;
        const int to = from == pairs_[pair].first ? pairs_[pair].second : pairs_[pair].first;
        const auto got = ::read(from, buffer.data(), buffer.size());
        bool ok = got > 0;
        for (ssize_t sent = 0; ok && sent < got;) {
          const auto n = ::write(to, buffer.data() + sent, static_cast<std::size_t>(got - sent));
          ok = n > 0;
          sent += n > 0 ? n : 0;
        }
        if (!ok) broken.insert(pair);
      }
      for (auto it = broken.rbegin(); it != broken.rend(); ++it) {
        shut(pairs_[*it].first);
        shut(pairs_[*it].second);
        pairs_.erase(pairs_.begin() + static_cast<std::ptrdiff_t>(*it));
      }
    }
  }
  void accept_one() {
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) return;
    if (!open_) {
      shut(client);
      return;
    }
    const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(target_port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      shut(client);
      ::close(upstream);
      return;
    }
    pairs_.emplace_back(client, upstream);
  }

  int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2]{-1, -1};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> open_{true};
  std::atomic<std::uint64_t> cuts_requested_{0};
  std::mutex mutex_;
  std::condition_variable cut_done_;
  std::uint64_t cuts_done_ = 0;
  std::thread thread_;
  std::vector<std::pair<int, int>> pairs_;  // gate thread only
};

struct Received {
  Topic topic;
  Payload payload;
  std::string bytes;
};

// A host-side observer: subscribes to the whole Sparkplug namespace and decodes what arrives.
class Collector {
 public:
  explicit Collector(int port)
      : client_(MqttSettings{.port = port,
                             .client_id = fmt::format("collector-{}", ::getpid()),
                             .reconnect = {.initial = 20ms, .max = 50ms}},
                MqttCallbacks{.on_connect = [this] { signal_.update([&] { ++connects_; }); },
                              .on_message = [this](std::string_view topic,
                                                   std::string_view bytes) { add(topic, bytes); }}) {
    (void)client_.subscribe("spBv1.0/#", 1);
    (void)client_.subscribe("strata-test/probe", 1);
    (void)client_.start();
  }

  // Connected with its subscriptions in place: a probe sent after them came back.
  bool wait_ready() {
    const auto connects = signal_.read([&] { return connects_; });
    if (!signal_.wait([&] { return connects_ > 0; })) return false;
    const auto probes = signal_.read([&] { return probes_; });
    (void)connects;
    while (!client_.publish("strata-test/probe", "p", 1, false)) std::this_thread::sleep_for(10ms);
    return signal_.wait([&] { return probes_ > probes; });
  }
  void publish(const std::string& topic, const Payload& payload) {
    ASSERT_TRUE(client_.publish(topic, encode(payload), 1, false).ok());
  }
  template <typename Predicate>
  bool wait(Predicate condition) {
    return signal_.wait([&] { return condition(messages_); });
  }
  std::vector<Received> messages() {
    return signal_.read([&] { return messages_; });
  }
  void clear() {
    signal_.update([&] { messages_.clear(); });
  }

 private:
  void add(std::string_view topic, std::string_view bytes) {
    if (topic == "strata-test/probe") {
      signal_.update([&] { ++probes_; });
      return;
    }
    auto parsed = parse_topic(topic);
    auto payload = decode(bytes);
    // Only what the edge node publishes; the test's own NCMD/DCMD come back too.
    if (!parsed || !payload || parsed->type == MessageType::NCmd || parsed->type == MessageType::DCmd) return;
    signal_.update([&] { messages_.push_back(Received{*parsed, std::move(*payload), std::string(bytes)}); });
  }

  Signal signal_;
  int connects_ = 0;
  int probes_ = 0;
  std::vector<Received> messages_;
  MqttClient client_;
};

// For state other threads change without notifying: polls until `condition` holds; false only when the
// failure guard expired (no timing is asserted).
template <typename Predicate>
bool eventually(Predicate condition) {
  const auto deadline = std::chrono::steady_clock::now() + test::kFailureGuard;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

std::size_t count(const std::vector<Received>& messages, MessageType type) {
  return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(),
                                                [&](const Received& m) { return m.topic.type == type; }));
}

const Metric* find_metric(const Payload& payload, std::string_view name) {
  for (const auto& metric : payload.metrics) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
}

// Decodes payloads with the Eclipse Tahu JavaScript decoder (tests/support/sparkplug_decode.mjs, npm
// package sparkplug-payload under tests/node_modules); one JSON object per payload.
std::optional<std::vector<nlohmann::json>> tahu_decode(const std::vector<std::string>& payloads,
                                                       const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto input = dir / "payloads.hex";
  const auto output = dir / "decoded.jsonl";
  {
    std::ofstream out(input);
    for (const auto& payload : payloads) {
      for (const unsigned char byte : payload) out << fmt::format("{:02x}", byte);
      out << '\n';
    }
  }
  const auto script = std::filesystem::path(STRATA_SOURCE_DIR) / "tests/support/sparkplug_decode.mjs";
  const auto command =
      fmt::format("node '{}' < '{}' > '{}'", script.string(), input.string(), output.string());
  if (std::system(command.c_str()) != 0) return std::nullopt;
  std::vector<nlohmann::json> decoded;
  std::ifstream in(output);
  for (std::string line; std::getline(in, line);) decoded.push_back(nlohmann::json::parse(line));
  return decoded;
}

std::string tahu_type(DataType type) {
  switch (type) {
    case DataType::Int32:
      return "Int32";
    case DataType::Int64:
      return "Int64";
    case DataType::Float:
      return "Float";
    case DataType::Double:
      return "Double";
    case DataType::Boolean:
      return "Boolean";
    case DataType::String:
      return "String";
    default:
      return "?";
  }
}

// Field by field: what Strata's decoder read equals what Tahu's read.
void expect_same(const Payload& ours, const nlohmann::json& tahu, const std::string& what) {
  SCOPED_TRACE(what + ": " + tahu.dump());
  ASSERT_FALSE(tahu.contains("error"));
  if (ours.seq) {
    EXPECT_EQ(tahu.at("seq").get<std::string>(), std::to_string(*ours.seq));
  } else {
    EXPECT_FALSE(tahu.contains("seq"));
  }
  EXPECT_EQ(tahu.at("timestamp").get<std::string>(), std::to_string(ours.timestamp.value_or(0)));
  const auto& metrics = tahu.at("metrics");
  ASSERT_EQ(metrics.size(), ours.metrics.size());
  for (std::size_t i = 0; i < ours.metrics.size(); ++i) {
    const auto& mine = ours.metrics[i];
    const auto& theirs = metrics[i];
    EXPECT_EQ(theirs.value("name", ""), mine.name);
    if (mine.alias) {
      EXPECT_EQ(theirs.at("alias").get<std::string>(), std::to_string(*mine.alias));
    } else {
      EXPECT_FALSE(theirs.contains("alias")) << mine.name;
    }
    EXPECT_EQ(theirs.at("type").get<std::string>(), tahu_type(mine.datatype)) << mine.name;
    EXPECT_EQ(theirs.value("isHistorical", false), mine.is_historical);
    const auto& value = theirs.at("value");
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>) {
            EXPECT_TRUE(value.is_null()) << mine.name;
          } else if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, std::string>) {
            EXPECT_EQ(value.get<V>(), v) << mine.name;
          } else if constexpr (std::is_same_v<V, std::int64_t> || std::is_same_v<V, std::uint64_t>) {
            // 64-bit values come back as exact decimal strings, 32-bit ones as numbers.
            const auto text = value.is_string() ? value.get<std::string>() : value.dump();
            EXPECT_EQ(text, std::to_string(v)) << mine.name;
          } else {
            EXPECT_DOUBLE_EQ(value.get<double>(), static_cast<double>(v)) << mine.name;
          }
        },
        mine.value);
  }
}

// Records the commands the engine routes to units whose state tag has a "test:" source.
class RecordingDriver final : public engine::Driver {
 public:
  explicit RecordingDriver(Signal& signal, std::vector<std::pair<std::string, states::PackMLCommand>>& sent)
      : signal_(signal), sent_(sent) {}
  [[nodiscard]] std::string_view scheme() const override { return "test"; }
  void start(engine::UpdateSink&) override {}
  void stop() override {}
  Result<void> send_command(const model::WorkUnit& unit, states::PackMLCommand command) override {
    signal_.update([&] { sent_.emplace_back(unit.id, command); });
    return {};
  }

 private:
  Signal& signal_;
  std::vector<std::pair<std::string, states::PackMLCommand>>& sent_;
};

constexpr std::string_view kPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: Status.StateCurrent
        tags:
          - { name: Status.StateCurrent, type: int32, source: "test:state" }
          - { name: Status.CurMachSpeed, type: float64, source: "test:speed" }
          - { name: Admin.ProdProcessedCount, type: int64, source: "test:count" }
          - { name: Running, type: bool, source: "test:running" }
          - { name: Recipe, type: string, source: "test:recipe" }
          - { name: Temperature, type: float32, source: "test:temp" }
      - id: capper
        level: WorkCell
        state_tag: Status.StateCurrent
        tags:
          - { name: Status.StateCurrent, type: int32, source: "test:state" }
          - { name: Status.CurMachSpeed, type: float64, source: "test:speed" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";

constexpr std::string_view kGroup = "plant";
constexpr std::string_view kEdge = "strata";
constexpr std::string_view kFiller = "a:L1:filler";
constexpr std::string_view kCapper = "a:L1:capper";

class EdgeNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker_.start().ok());
    gate_ = std::make_unique<TcpGate>(broker_.port());
    collector_ = std::make_unique<Collector>(broker_.port());
    ASSERT_TRUE(collector_->wait_ready());
    auto loaded = config::load_plant_string(kPlant, "plant.yaml");
    ASSERT_TRUE(loaded.ok()) << config::to_string(loaded.diagnostics);
    plant_ = std::move(*loaded.plant);
    static std::atomic<int> counter{0};
    store_dir_ = std::filesystem::temp_directory_path() /
                 fmt::format("strata-edge-{}-{}", ::getpid(), counter.fetch_add(1));
    std::filesystem::remove_all(store_dir_);
    connection_.name = "uns";
    connection_.host = "127.0.0.1";
    connection_.port = gate_->port();
    connection_.group_id = kGroup;
    connection_.edge_node_id = kEdge;
    connection_.client_id = fmt::format("edge-{}", ::getpid());
    connection_.keepalive = 5s;
    connection_.reconnect = {.initial = 20ms, .max = 100ms};
    connection_.store_forward_dir = store_dir_.string();
    connection_.store_forward_max_bytes = 16ULL << 20;
  }

  void TearDown() override {
    stop_edge();
    std::filesystem::remove_all(store_dir_);
  }

  // Engine with initial values, then the edge node; returns once its births are out.
  void start_edge(bool wait_births = true) {
    engine_ = std::make_unique<engine::Engine>(plant_, clock_, engine::EngineOptions{.tick = 10ms});
    engine_->add_driver(std::make_unique<RecordingDriver>(commands_signal_, commands_));
    auto edge = EdgeNode::create(plant_, connection_, *engine_, clock_);
    ASSERT_TRUE(edge.ok()) << edge.error().message;
    edge_ = std::move(*edge);
    engine_->add_listener(edge_.get());
    engine_->start();
    set("s/a/L1/filler/Status.StateCurrent", std::int64_t{2});
    set("s/a/L1/filler/Status.CurMachSpeed", 600.5);
    set("s/a/L1/filler/Admin.ProdProcessedCount", std::int64_t{42});
    set("s/a/L1/filler/Running", true);
    set("s/a/L1/filler/Recipe", std::string("cola"));
    set("s/a/L1/filler/Temperature", 4.5);
    set("s/a/L1/capper/Status.StateCurrent", std::int64_t{2});
    set("s/a/L1/capper/Status.CurMachSpeed", 0.0, model::Quality::Bad);
    ASSERT_TRUE(edge_->start().ok());
    if (wait_births) {
      ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DBirth) >= 2; }));
    }
  }

  void stop_edge() {
    if (engine_) engine_->stop();
    if (edge_) edge_->stop();
    edge_.reset();
    engine_.reset();
  }

  void set(const std::string& tag, model::Value value, model::Quality quality = model::Quality::Good) {
    const auto index = plant_.find_tag(tag);
    ASSERT_TRUE(index) << tag;
    clock_.advance(kMicrosPerMilli);
    engine_->push({model::TagUpdate{*index, std::move(value), quality, clock_.now()}});
    engine_->flush().get();
  }

  std::string device_topic_of(MessageType type, std::string_view device) const {
    return device_topic(kGroup, type, kEdge, device);
  }

  MosquittoBroker broker_;
  std::unique_ptr<TcpGate> gate_;
  std::unique_ptr<Collector> collector_;
  model::Plant plant_;
  model::SparkplugConnection connection_;
  std::filesystem::path store_dir_;
  ManualClock clock_;
  Signal commands_signal_;
  std::vector<std::pair<std::string, states::PackMLCommand>> commands_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<EdgeNode> edge_;
};

TEST_F(EdgeNodeTest, BirthsCarryEveryMetricWithDatatypeValueAndAlias) {
  start_edge();
  const auto messages = collector_->messages();
  ASSERT_GE(messages.size(), 3U);
  const auto& nbirth = messages[0];
  ASSERT_EQ(nbirth.topic.type, MessageType::NBirth);
  EXPECT_EQ(nbirth.topic.group_id, kGroup);
  EXPECT_EQ(nbirth.topic.edge_node_id, kEdge);
  EXPECT_EQ(nbirth.payload.seq, std::optional<std::uint64_t>(0));
  const auto* bd_seq = find_metric(nbirth.payload, "bdSeq");
  ASSERT_NE(bd_seq, nullptr);
  EXPECT_EQ(bd_seq->datatype, DataType::Int64);
  EXPECT_EQ(std::get<std::int64_t>(bd_seq->value), 0) << "a fresh edge node starts at bdSeq 0";
  const auto* rebirth = find_metric(nbirth.payload, "Node Control/Rebirth");
  ASSERT_NE(rebirth, nullptr);
  EXPECT_EQ(rebirth->datatype, DataType::Boolean);
  EXPECT_EQ(rebirth->value, MetricValue(false));
  EXPECT_FALSE(rebirth->alias) << "the Rebirth metric never has an alias";

  const auto& filler = messages[1];
  ASSERT_EQ(filler.topic.type, MessageType::DBirth);
  EXPECT_EQ(filler.topic.device_id, kFiller);
  EXPECT_EQ(filler.payload.seq, std::optional<std::uint64_t>(1));
  const std::map<std::string, std::pair<DataType, MetricValue>> expected{
      {"Status.StateCurrent", {DataType::Int32, MetricValue(std::int64_t{2})}},
      {"Status.CurMachSpeed", {DataType::Double, MetricValue(600.5)}},
      {"Admin.ProdProcessedCount", {DataType::Int64, MetricValue(std::int64_t{42})}},
      {"Running", {DataType::Boolean, MetricValue(true)}},
      {"Recipe", {DataType::String, MetricValue(std::string("cola"))}},
      {"Temperature", {DataType::Float, MetricValue(4.5F)}},
      {"Command.CntrlCmd", {DataType::Int32, MetricValue(std::int64_t{0})}},
  };
  ASSERT_EQ(filler.payload.metrics.size(), expected.size());
  std::set<std::uint64_t> aliases;
  for (const auto& metric : filler.payload.metrics) {
    const auto want = expected.find(metric.name);
    ASSERT_NE(want, expected.end()) << metric.name;
    EXPECT_EQ(metric.datatype, want->second.first) << metric.name;
    EXPECT_EQ(metric.value, want->second.second) << metric.name;
    ASSERT_TRUE(metric.alias) << metric.name;
    aliases.insert(*metric.alias);
  }
  const auto& capper = messages[2];
  ASSERT_EQ(capper.topic.type, MessageType::DBirth);
  EXPECT_EQ(capper.topic.device_id, kCapper);
  EXPECT_EQ(capper.payload.seq, std::optional<std::uint64_t>(2));
  const auto* bad = find_metric(capper.payload, "Status.CurMachSpeed");
  ASSERT_NE(bad, nullptr);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(bad->value)) << "Bad quality is published as null";
  for (const auto& metric : capper.payload.metrics) aliases.insert(metric.alias.value_or(0));
  EXPECT_EQ(aliases.size(), filler.payload.metrics.size() + capper.payload.metrics.size())
      << "aliases are unique across the edge node";
  EXPECT_EQ(aliases.count(0), 0U);
}

TEST_F(EdgeNodeTest, DataUsesAliasesAndSeqCountsEveryMessageWrappingAt256) {
  start_edge();
  const auto births = collector_->messages();
  const auto* speed_birth = find_metric(births[1].payload, "Status.CurMachSpeed");
  ASSERT_NE(speed_birth, nullptr);
  constexpr int kChanges = 300;  // with the 3 births: seq runs 0..255, 0..46
  for (int i = 0; i < kChanges; ++i) set("s/a/L1/filler/Status.CurMachSpeed", 100.0 + i);
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= kChanges; }));
  const auto messages = collector_->messages();
  std::uint64_t expected_seq = 0;
  int data = 0;
  for (const auto& message : messages) {
    ASSERT_TRUE(message.payload.seq) << to_string(message.topic.type);
    EXPECT_EQ(*message.payload.seq, expected_seq);
    expected_seq = (expected_seq + 1) % 256;
    if (message.topic.type != MessageType::DData) continue;
    ASSERT_EQ(message.payload.metrics.size(), 1U);
    const auto& metric = message.payload.metrics[0];
    EXPECT_TRUE(metric.name.empty()) << "DATA uses the alias alone";
    EXPECT_EQ(metric.alias, speed_birth->alias);
    EXPECT_FALSE(metric.is_historical);
    EXPECT_EQ(metric.value, MetricValue(100.0 + data));
    ++data;
  }
  EXPECT_EQ(data, kChanges);
  EXPECT_EQ(edge_->metrics().values, static_cast<std::uint64_t>(kChanges));
}

TEST_F(EdgeNodeTest, AnUncleanConnectionLossDeliversNdeathAsTheWillAndTheNextSessionIncrementsBdSeq) {
  start_edge();
  gate_->close();  // the TCP connection ends without DISCONNECT, like a crashed or unplugged edge node
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::NDeath) == 1; }));
  collector_->clear();
  gate_->open();
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DBirth) >= 2; }));
  stop_edge();  // a clean stop publishes NDEATH itself
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::NDeath) == 1; }));

  const auto messages = collector_->messages();
  const auto nbirth = std::find_if(messages.begin(), messages.end(),
                                   [](const Received& m) { return m.topic.type == MessageType::NBirth; });
  ASSERT_NE(nbirth, messages.end());
  EXPECT_EQ(std::get<std::int64_t>(find_metric(nbirth->payload, "bdSeq")->value), 1)
      << "one more per MQTT CONNECT";
  const auto& death = messages.back();
  ASSERT_EQ(death.topic.type, MessageType::NDeath);
  EXPECT_FALSE(death.payload.seq) << "NDEATH carries no seq";
  ASSERT_EQ(death.payload.metrics.size(), 1U) << "NDEATH carries only bdSeq";
  EXPECT_EQ(death.payload.metrics[0].name, "bdSeq");
  EXPECT_EQ(death.payload.metrics[0].datatype, DataType::Int64);
  EXPECT_EQ(std::get<std::int64_t>(death.payload.metrics[0].value), 1) << "the NDEATH matches its NBIRTH";
}

TEST_F(EdgeNodeTest, TheWillOfTheFirstSessionCarriesItsBdSeqAndARestartContinuesTheCount) {
  start_edge();
  gate_->close();
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::NDeath) == 1; }));
  const auto messages = collector_->messages();
  const auto death = std::find_if(messages.begin(), messages.end(),
                                  [](const Received& m) { return m.topic.type == MessageType::NDeath; });
  EXPECT_EQ(std::get<std::int64_t>(death->payload.metrics.at(0).value), 0);
  stop_edge();
  // A restarted Strata on the same directory does not reuse the previous session's bdSeq.
  collector_->clear();
  gate_->open();
  start_edge();
  const auto again = collector_->messages();
  EXPECT_EQ(std::get<std::int64_t>(find_metric(again.at(0).payload, "bdSeq")->value), 1);
}

TEST_F(EdgeNodeTest, RebirthRequestRepublishesBirthsWithCurrentValuesAndTheSameBdSeq) {
  start_edge();
  set("s/a/L1/filler/Status.CurMachSpeed", 321.0);
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= 1; }));
  collector_->clear();
  Payload rebirth{.timestamp = 1};
  rebirth.metrics.push_back(
      Metric{.name = "Node Control/Rebirth", .datatype = DataType::Boolean, .value = true});
  collector_->publish(node_topic(kGroup, MessageType::NCmd, kEdge), rebirth);
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DBirth) >= 2; }));
  const auto messages = collector_->messages();
  ASSERT_EQ(messages[0].topic.type, MessageType::NBirth);
  EXPECT_EQ(messages[0].payload.seq, std::optional<std::uint64_t>(0));
  EXPECT_EQ(std::get<std::int64_t>(find_metric(messages[0].payload, "bdSeq")->value), 0) << "same session";
  ASSERT_EQ(messages[1].topic.device_id, kFiller);
  EXPECT_EQ(find_metric(messages[1].payload, "Status.CurMachSpeed")->value, MetricValue(321.0));
  EXPECT_EQ(messages[1].payload.seq, std::optional<std::uint64_t>(1));
}

TEST_F(EdgeNodeTest, DcmdCommandReachesTheEngineAndOtherWritesAreRefused) {
  start_edge();
  Payload write{.timestamp = 1};
  write.metrics.push_back(Metric{.name = "Status.CurMachSpeed", .datatype = DataType::Double, .value = 1.0});
  collector_->publish(device_topic_of(MessageType::DCmd, kFiller), write);
  Payload bad_number{.timestamp = 1};
  bad_number.metrics.push_back(
      Metric{.name = "Command.CntrlCmd", .datatype = DataType::Int32, .value = std::int64_t{99}});
  collector_->publish(device_topic_of(MessageType::DCmd, kFiller), bad_number);
  // Stopped --Reset--> Resetting is accepted; by alias, as a host that read the DBIRTH may send it.
  const auto births = collector_->messages();
  const auto* command_metric = find_metric(births[1].payload, "Command.CntrlCmd");
  ASSERT_NE(command_metric, nullptr);
  Payload reset{.timestamp = 1};
  reset.metrics.push_back(
      Metric{.alias = command_metric->alias, .datatype = DataType::Int32, .value = std::int64_t{1}});
  collector_->publish(device_topic_of(MessageType::DCmd, kFiller), reset);
  ASSERT_TRUE(commands_signal_.wait([&] { return !commands_.empty(); }));
  ASSERT_TRUE(eventually([&] { return edge_->metrics().writes == 1; }));
  commands_signal_.read([&] {
    ASSERT_EQ(commands_.size(), 1U);
    EXPECT_EQ(commands_[0].first, "s/a/L1/filler");
    EXPECT_EQ(commands_[0].second, states::PackMLCommand::Reset);
  });
  // Everything is handled in order on the edge's thread: the refusals were counted before the command.
  EXPECT_EQ(edge_->metrics().write_errors, 2U);
}

TEST_F(EdgeNodeTest, BrokerRestartStoresChangesAndForwardsThemInOrderExactlyOnce) {
  start_edge();
  set("s/a/L1/filler/Status.CurMachSpeed", 1.0);
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= 1; }));
  gate_->close();  // keeps the edge away from the restarted broker until the collector is back
  broker_.stop();
  ASSERT_TRUE(eventually([&] { return !edge_->metrics().connected; }));

  constexpr int kStored = 60;
  for (int i = 0; i < kStored; ++i) {
    set("s/a/L1/filler/Admin.ProdProcessedCount", std::int64_t{1000 + i});
  }
  set("s/a/L1/capper/Status.CurMachSpeed", 55.0);  // another device, in order with the rest
  // Stored by the edge's thread; wait for it (not a timing assertion: the guard only stops a hang).
  ASSERT_TRUE(eventually([&] { return edge_->backlog().stored >= kStored + 1; }));
  ASSERT_EQ(edge_->backlog().stored, static_cast<std::uint64_t>(kStored + 1));
  EXPECT_EQ(edge_->backlog().records, static_cast<std::uint64_t>(kStored + 1));

  ASSERT_TRUE(broker_.start().ok());  // same port
  collector_ = std::make_unique<Collector>(broker_.port());
  ASSERT_TRUE(collector_->wait_ready());
  gate_->open();
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= kStored + 1; }));
  ASSERT_TRUE(eventually([&] { return edge_->backlog().records == 0; }));
  set("s/a/L1/filler/Admin.ProdProcessedCount", std::int64_t{5000});  // live again
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= kStored + 2; }));

  const auto messages = collector_->messages();
  ASSERT_EQ(messages.size(), 3U + kStored + 2U);
  EXPECT_EQ(messages[0].topic.type, MessageType::NBirth);
  EXPECT_EQ(std::get<std::int64_t>(find_metric(messages[0].payload, "bdSeq")->value), 1);
  EXPECT_EQ(messages[1].topic.type, MessageType::DBirth);
  EXPECT_EQ(messages[2].topic.type, MessageType::DBirth);
  const auto* count_birth = find_metric(messages[1].payload, "Admin.ProdProcessedCount");
  ASSERT_NE(count_birth, nullptr);
  EXPECT_EQ(count_birth->value, MetricValue(std::int64_t{1000 + kStored - 1}))
      << "births carry current values";
  for (int i = 0; i < kStored; ++i) {
    const auto& message = messages[3 + static_cast<std::size_t>(i)];
    ASSERT_EQ(message.topic.type, MessageType::DData);
    EXPECT_EQ(message.topic.device_id, kFiller);
    EXPECT_EQ(message.payload.seq, std::optional<std::uint64_t>(3 + i)) << "this session's seq";
    ASSERT_EQ(message.payload.metrics.size(), 1U);
    const auto& metric = message.payload.metrics[0];
    EXPECT_TRUE(metric.is_historical);
    EXPECT_EQ(metric.alias, count_birth->alias) << "stored by name, sent by this birth's alias";
    EXPECT_TRUE(metric.name.empty());
    EXPECT_EQ(metric.value, MetricValue(std::int64_t{1000 + i})) << "in order, each once";
    EXPECT_TRUE(metric.timestamp.has_value());
  }
  const auto& capper = messages[3 + kStored];
  EXPECT_EQ(capper.topic.device_id, kCapper);
  EXPECT_TRUE(capper.payload.metrics.at(0).is_historical);
  EXPECT_EQ(capper.payload.metrics.at(0).value, MetricValue(55.0));
  const auto& live = messages.back();
  EXPECT_FALSE(live.payload.metrics.at(0).is_historical);
  EXPECT_EQ(live.payload.metrics.at(0).value, MetricValue(std::int64_t{5000}));
  EXPECT_EQ(live.payload.seq, std::optional<std::uint64_t>(3 + kStored + 1));
  const auto backlog = edge_->backlog();
  EXPECT_EQ(backlog.records, 0U);
  EXPECT_EQ(backlog.drained, static_cast<std::uint64_t>(kStored + 1));
  EXPECT_EQ(backlog.dropped, 0U);
}

TEST_F(EdgeNodeTest, StoredMessagesSurviveARestartOfStrataAndAreSentByTheNextRun) {
  start_edge();
  gate_->close();
  ASSERT_TRUE(eventually([&] { return !edge_->metrics().connected; }));
  constexpr int kStored = 5;
  for (int i = 0; i < kStored; ++i) set("s/a/L1/filler/Admin.ProdProcessedCount", std::int64_t{7000 + i});
  ASSERT_TRUE(eventually([&] { return edge_->backlog().stored >= kStored; }));
  stop_edge();  // Strata shuts down while the broker is unreachable

  collector_->clear();
  gate_->open();
  start_edge();  // the next run, on the same store-and-forward directory
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= kStored; }));
  const auto messages = collector_->messages();
  ASSERT_EQ(messages.size(), 3U + kStored);
  EXPECT_EQ(std::get<std::int64_t>(find_metric(messages[0].payload, "bdSeq")->value), 1)
      << "the previous run used bdSeq 0";
  for (int i = 0; i < kStored; ++i) {
    const auto& metric = messages[3 + static_cast<std::size_t>(i)].payload.metrics.at(0);
    EXPECT_TRUE(metric.is_historical);
    EXPECT_EQ(metric.value, MetricValue(std::int64_t{7000 + i}));
  }
  ASSERT_TRUE(eventually([&] { return edge_->backlog().records == 0; }));
}

TEST_F(EdgeNodeTest, PayloadsDecodeIdenticallyWithTheTahuJavaScriptDecoder) {
  start_edge();
  set("s/a/L1/filler/Status.CurMachSpeed", 250.25);
  set("s/a/L1/filler/Recipe", std::string("lemonade"));
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= 2; }));
  gate_->close();
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::NDeath) >= 1; }));
  // Once the edge node noticed (QoS 0 data written into a connection it still believes up can be lost).
  ASSERT_TRUE(eventually([&] { return !edge_->metrics().connected; }));
  set("s/a/L1/filler/Admin.ProdProcessedCount", std::int64_t{9'000'000'000});  // stored: historical
  gate_->open();
  ASSERT_TRUE(collector_->wait([](const auto& m) { return count(m, MessageType::DData) >= 3; }));

  const auto messages = collector_->messages();
  std::vector<std::string> bytes;
  for (const auto& message : messages) bytes.push_back(message.bytes);
  const auto decoded = tahu_decode(bytes, store_dir_ / "tahu");
  ASSERT_TRUE(decoded) << "node tests/support/sparkplug_decode.mjs failed (is `npm install` done in tests/?)";
  ASSERT_EQ(decoded->size(), messages.size());
  bool historical_seen = false;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    expect_same(messages[i].payload, (*decoded)[i],
                fmt::format("message {} ({})", i, to_string(messages[i].topic.type)));
    for (const auto& metric : messages[i].payload.metrics)
      historical_seen = historical_seen || metric.is_historical;
  }
  EXPECT_TRUE(historical_seen);
}

}  // namespace
}  // namespace strata::sparkplug
