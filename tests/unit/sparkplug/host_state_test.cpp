#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "drivers/sparkplug/host_driver.hpp"
#include "host_test_support.hpp"
#include "mosquitto_broker.hpp"

namespace strata::sparkplug {
namespace {

using test::MosquittoBroker;
using test::Signal;

// Watches spBv1.0/STATE/<host> like an edge node configured with this primary host would.
class StateObserver {
 public:
  explicit StateObserver(int port) {
    MqttSettings settings;
    settings.port = port;
    settings.client_id = "state-observer";
    client_ = std::make_unique<MqttClient>(
        settings, MqttCallbacks{.on_message =
                                    [this](std::string_view, std::string_view payload) {
                                      auto json = nlohmann::json::parse(payload, nullptr, false);
                                      signal.update([&] { states.push_back(std::move(json)); });
                                    },
                                .on_subscribed = [this] { signal.update([this] { subscribed = true; }); }});
    (void)client_->subscribe("spBv1.0/STATE/scada", 1);
    (void)client_->start();
  }
  ~StateObserver() { client_->stop(); }
  Result<int> publish(const std::string& payload) {
    return client_->publish("spBv1.0/STATE/scada", payload, 1, true);
  }

  Signal signal;
  bool subscribed = false;             // guarded by signal
  std::vector<nlohmann::json> states;  // guarded by signal

 private:
  std::unique_ptr<MqttClient> client_;
};

TEST(SparkplugHostState, PrimaryHostPublishesRetainedStateBirthAndDeathWithOneTimestamp) {
  MosquittoBroker broker;
  ASSERT_TRUE(broker.start().ok());
  auto plant = test::make_plant({{"Speed", model::TagType::Float64, "sparkplug:uns/edge1/filler/Speed"}},
                                broker.port());
  plant.sparkplug_connections[0].host_id = "scada";
  ManualClock clock;
  auto driver = SparkplugHostDriver::create(plant, clock);
  ASSERT_TRUE(driver.ok()) << driver.error().message;
  test::RecordingSink sink;
  (*driver)->start(sink);

  // Subscribing after the birth: the retained message is delivered.
  StateObserver observer(broker.port());
  ASSERT_TRUE(observer.signal.wait([&] { return !observer.states.empty(); }));
  const auto birth = observer.signal.read([&] { return observer.states.back(); });
  EXPECT_EQ(birth["online"], true);
  const auto expected_ms = static_cast<std::uint64_t>(clock.now() / kMicrosPerMilli);
  EXPECT_EQ(birth["timestamp"].get<std::uint64_t>(), expected_ms);

  // Someone claims the host is offline: it republishes its birth (§6).
  ASSERT_TRUE(observer.signal.wait([&] { return observer.subscribed; }));
  // Malformed STATE messages are ignored (they are still retained, hence published before the real one).
  ASSERT_TRUE(observer.publish("not json").ok());
  ASSERT_TRUE(observer.publish(R"({"online":"no","timestamp":"soon"})").ok());
  ASSERT_TRUE(observer.publish(R"({"online":false,"timestamp":-1})").ok());
  ASSERT_TRUE(observer.publish(state_payload(false, expected_ms)).ok());
  ASSERT_TRUE(observer.signal.wait(
      [&] { return observer.states.size() >= 3 && observer.states.back()["online"] == true; }));

  (*driver)->stop();
  ASSERT_TRUE(observer.signal.wait([&] { return observer.states.back()["online"] == false; }));
  const auto death = observer.signal.read([&] { return observer.states.back(); });
  EXPECT_EQ(death["timestamp"].get<std::uint64_t>(), expected_ms);
}

TEST(SparkplugHostState, StatePayloadIsTheSpecifiedJson) {
  EXPECT_EQ(state_payload(true, 1767225600000), R"({"online":true,"timestamp":1767225600000})");
  EXPECT_EQ(state_payload(false, 5), R"({"online":false,"timestamp":5})");
}

}  // namespace
}  // namespace strata::sparkplug
