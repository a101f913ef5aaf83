#include "drivers/sparkplug/host_driver.hpp"

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "host_test_support.hpp"
#include "mosquitto_broker.hpp"

namespace strata::sparkplug {
namespace {

using namespace std::chrono_literals;
using model::Quality;
using model::TagType;
using model::Value;
using test::MosquittoBroker;
using test::RecordingSink;
using test::TestEdgeNode;

constexpr std::string_view kEdge = "edge1";

std::vector<test::TagSpec> filler_tags() {
  return {
      {"Status.StateCurrent", TagType::Int32, "sparkplug:uns/edge1/filler/Status/StateCurrent"},
      {"Status.CurMachSpeed", TagType::Float64, "sparkplug:uns/edge1/filler/Status/CurMachSpeed"},
      {"Admin.Offset", TagType::Int32, "sparkplug:uns/edge1/filler/Admin/Offset"},
      {"Status.Running", TagType::Bool, "sparkplug:uns/edge1/filler/Status/Running"},
      {"Admin.Product", TagType::String, "sparkplug:uns/edge1/filler/Admin/Product"},
      {"Admin.Counter", TagType::Int64, "sparkplug:uns/edge1/filler/Admin/Counter"},
      {"Node.Temperature", TagType::Float64, "sparkplug:uns/edge1//Inputs/Temperature"},
      {"Admin.Missing", TagType::Int64, "sparkplug:uns/edge1/filler/Never/Born"},
      {"Command.CntrlCmd", TagType::Int32, "sparkplug:uns/edge1/filler/Command/CntrlCmd"},
      {"Command.CmdChangeRequest", TagType::Bool, "sparkplug:uns/edge1/filler/Command/CmdChangeRequest"},
  };
}

void define_edge(TestEdgeNode& edge) {
  edge.define_node(
      {Metric{.name = "Inputs/Temperature", .alias = 100, .datatype = DataType::Float, .value = 21.5F}});
  edge.define_device(
      "filler",
      {
          Metric{.name = "Status/StateCurrent",
                 .alias = 1,
                 .datatype = DataType::Int32,
                 .value = std::int64_t{4}},
          Metric{.name = "Status/CurMachSpeed", .alias = 2, .datatype = DataType::Double, .value = 0.0},
          Metric{.name = "Admin/Offset", .alias = 3, .datatype = DataType::Int8, .value = std::int64_t{-5}},
          Metric{.name = "Status/Running", .alias = 4, .datatype = DataType::Boolean, .value = false},
          Metric{.name = "Admin/Product",
                 .alias = 5,
                 .datatype = DataType::String,
                 .value = std::string("cola")},
          Metric{
              .name = "Admin/Counter", .alias = 6, .datatype = DataType::UInt64, .value = std::uint64_t{7}},
          Metric{
              .name = "Command/CntrlCmd", .alias = 7, .datatype = DataType::Int32, .value = std::int64_t{0}},
          Metric{
              .name = "Command/CmdChangeRequest", .alias = 8, .datatype = DataType::Boolean, .value = false},
      });
}

// A broker, an auto-birthing edge node "edge1" with a device "filler", and a started host driver.
class HostDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker.start().ok());
    plant = test::make_plant(filler_tags(), broker.port());
  }
  void TearDown() override {
    if (driver) driver->stop();
  }

  void start_edge(bool auto_birth) {
    edge = std::make_unique<TestEdgeNode>(broker.port(), std::string(kEdge), auto_birth);
    define_edge(*edge);
    edge->start();
    ASSERT_TRUE(edge->wait_subscribed());
  }
  void start_driver() {
    auto created = SparkplugHostDriver::create(plant, clock);
    ASSERT_TRUE(created.ok()) << created.error().message;
    driver = std::move(*created);
    driver->start(sink);
  }
  model::TagIndex tag(std::string_view name) const { return test::tag_index(plant, name); }
  // Everything from the BIRTHs has arrived.
  void expect_born() {
    ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{4}}));
    ASSERT_TRUE(sink.wait_for(tag("Admin.Offset"), Value{std::int64_t{-5}}));
    ASSERT_TRUE(sink.wait_for(tag("Node.Temperature"), Value{21.5}));
    ASSERT_TRUE(sink.wait_for(tag("Admin.Product"), Value{std::string("cola")}));
    ASSERT_TRUE(sink.wait_for(tag("Admin.Counter"), Value{std::int64_t{7}}));
    ASSERT_TRUE(sink.wait_for(tag("Status.Running"), Value{false}));
  }

  MosquittoBroker broker;
  model::Plant plant;
  SystemClock clock;
  RecordingSink sink;
  std::unique_ptr<TestEdgeNode> edge;
  std::unique_ptr<SparkplugHostDriver> driver;
};

TEST_F(HostDriverTest, BirthValuesArriveAndDataByAliasUpdatesThem) {
  start_edge(true);
  start_driver();
  expect_born();
  // DATA with aliases only and no datatype: the BIRTH's datatypes apply (Int8 -3 sign-extended).
  edge->ddata("filler",
              {Metric{.alias = 1, .value = std::uint64_t{6}}, Metric{.alias = 2, .value = 120.5},
               Metric{.alias = 3, .value = std::uint64_t{0xFFFFFFFDU}}, Metric{.alias = 4, .value = true}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{6}}));
  ASSERT_TRUE(sink.wait_for(tag("Status.CurMachSpeed"), Value{120.5}));
  ASSERT_TRUE(sink.wait_for(tag("Admin.Offset"), Value{std::int64_t{-3}}));
  ASSERT_TRUE(sink.wait_for(tag("Status.Running"), Value{true}));
  edge->ndata({Metric{.alias = 100, .value = 22.25F}});
  ASSERT_TRUE(sink.wait_for(tag("Node.Temperature"), Value{22.25}));
  // Source time is the payload's (ms) in µs; unchanged values are not pushed again.
  EXPECT_EQ(sink.latest(tag("Status.StateCurrent"))->source_time, 2000 * kMicrosPerMilli);
  const auto before = sink.history(tag("Admin.Product")).size();
  edge->ddata("filler", {Metric{.alias = 5, .value = std::string("cola")},
                         Metric{.alias = 1, .value = std::uint64_t{5}}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{5}}));
  EXPECT_EQ(sink.history(tag("Admin.Product")).size(), before);
  // A metric no BIRTH defined never gets a value.
  EXPECT_FALSE(sink.latest(tag("Admin.Missing")).has_value());
  const auto metrics = driver->metrics();
  ASSERT_EQ(metrics.size(), 1U);
  EXPECT_TRUE(metrics[0].connected);
  EXPECT_EQ(metrics[0].driver, "sparkplug-host");
  EXPECT_GE(metrics[0].values, 10U);
  EXPECT_EQ(metrics[0].errors, 0U);
}

TEST_F(HostDriverTest, NodeDeathMakesEveryMetricStaleButOnlyWithTheBirthsBdSeq) {
  start_edge(true);
  start_driver();
  expect_born();
  edge->ndeath(/*bd_seq=*/99);  // an old connection's Will: ignored
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{6}}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{6}}));
  EXPECT_EQ(sink.latest(tag("Node.Temperature"))->quality, Quality::Good);
  edge->ndeath();
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{6}}, Quality::Stale));
  ASSERT_TRUE(sink.wait_for(tag("Node.Temperature"), Value{21.5}, Quality::Stale));
  ASSERT_TRUE(sink.wait_for(tag("Admin.Product"), Value{std::string("cola")}, Quality::Stale));
  // Never born: stays without a value rather than turning Stale.
  EXPECT_FALSE(sink.latest(tag("Admin.Missing")).has_value());
}

TEST_F(HostDriverTest, DeviceDeathMakesTheDeviceStaleAtItsTimestamp) {
  start_edge(true);
  start_driver();
  expect_born();
  edge->ddeath("filler");
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{4}}, Quality::Stale));
  EXPECT_EQ(sink.latest(tag("Status.StateCurrent"))->source_time, 5000 * kMicrosPerMilli);
  EXPECT_EQ(sink.latest(tag("Node.Temperature"))->quality, Quality::Good);  // the node lives on
  // DATA of a dead device asks for a Rebirth (repeated while unanswered), which brings it back.
  const int asked = edge->rebirth_requests();
  for (int i = 0; i < 200 && edge->rebirth_requests() == asked; ++i) {
    edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{9}}});
    edge->wait_rebirth_requests(asked + 1, 50ms);
  }
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{4}}, Quality::Good));
}

TEST_F(HostDriverTest, SeqGapThatDoesNotFillAsksForRebirthAndIgnoresDataUntilThen) {
  start_edge(false);
  start_driver();
  ASSERT_TRUE(edge->wait_rebirth_requests(1));  // the host asks every node on connect
  edge->publish_births();
  expect_born();
  const int asked = edge->rebirth_requests();
  (void)edge->skip_seq();  // lost message
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{6}}});
  ASSERT_TRUE(edge->wait_rebirth_requests(asked + 1));
  const auto commands = edge->commands();
  EXPECT_EQ(commands.back().topic, "spBv1.0/plant/NCMD/edge1");
  ASSERT_EQ(commands.back().payload.metrics.size(), 1U);
  EXPECT_EQ(commands.back().payload.metrics[0].name, "Node Control/Rebirth");
  EXPECT_EQ(commands.back().payload.metrics[0].datatype, DataType::Boolean);
  EXPECT_EQ(commands.back().payload.metrics[0].value, MetricValue{true});
  // The held message was dropped, and DATA is ignored until the new NBIRTH.
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{7}}});
  edge->define_device(
      "filler",
      {Metric{
          .name = "Status/StateCurrent", .alias = 1, .datatype = DataType::Int32, .value = std::int64_t{8}}});
  edge->publish_births();
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{8}}));
  for (const auto& update : sink.history(tag("Status.StateCurrent"))) {
    EXPECT_NE(update.value, Value{std::int64_t{6}});
    EXPECT_NE(update.value, Value{std::int64_t{7}});
  }
  // Metrics the new DBIRTH no longer defines lose their value.
  ASSERT_TRUE(sink.wait_for_quality(tag("Admin.Product"), Quality::Bad));
}

TEST_F(HostDriverTest, OutOfOrderMessagesWithinTheReorderTimeoutAreAppliedInSeqOrder) {
  plant.sparkplug_connections[0].reorder_timeout = 20s;  // longer than the test: the gap must fill
  start_edge(false);
  start_driver();
  ASSERT_TRUE(edge->wait_rebirth_requests(1));
  edge->publish_births();
  expect_born();
  const auto first = edge->skip_seq();
  const auto second = edge->skip_seq();
  edge->ddata_with_seq("filler", second, {Metric{.alias = 1, .value = std::uint64_t{11}}});
  edge->ddata_with_seq("filler", first, {Metric{.alias = 1, .value = std::uint64_t{10}}});
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{12}}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{12}}));
  std::vector<Value> seen;
  for (const auto& update : sink.history(tag("Status.StateCurrent"))) seen.push_back(update.value);
  EXPECT_EQ(seen,
            (std::vector<Value>{std::int64_t{4}, std::int64_t{10}, std::int64_t{11}, std::int64_t{12}}));
  EXPECT_EQ(edge->rebirth_requests(), 1);
}

TEST_F(HostDriverTest, DataBeforeAnyBirthAsksForRebirth) {
  start_edge(false);
  start_driver();
  ASSERT_TRUE(edge->wait_rebirth_requests(1));
  // The edge node ignores that request and just sends DATA: the host cannot read it and asks again.
  for (int i = 0; i < 200 && edge->rebirth_requests() < 2; ++i) {
    edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{6}}});
    edge->wait_rebirth_requests(2, 50ms);
  }
  ASSERT_EQ(edge->rebirth_requests(), 2);
  EXPECT_FALSE(sink.latest(tag("Status.StateCurrent")).has_value());
  edge->publish_births();
  expect_born();
}

TEST_F(HostDriverTest, BrokerRestartMakesTagsStaleThenReconnectsAndRebirths) {
  start_edge(true);
  start_driver();
  expect_born();
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{6}}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{6}}));
  ASSERT_TRUE(broker.restart().ok());
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{6}}, Quality::Stale));
  ASSERT_TRUE(sink.wait_for(tag("Node.Temperature"), Value{21.5}, Quality::Stale));
  // Both reconnect; the edge node births again (by itself or on the host's request).
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{4}}, Quality::Good));
  ASSERT_TRUE(sink.wait_for(tag("Node.Temperature"), Value{21.5}, Quality::Good));
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{3}}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{3}}));
  EXPECT_GE(driver->metrics()[0].reconnects, 1U);
}

TEST_F(HostDriverTest, MalformedPayloadsAndTopicsAreCountedWithoutHarm) {
  start_edge(true);
  start_driver();
  expect_born();
  edge->publish_raw("spBv1.0/plant/DDATA/edge1/filler", std::string("\xff\xff\xff\xff\xff\xff", 6));
  edge->publish_raw("spBv1.0/plant/DDATA/edge1", "no device level");
  edge->publish_raw("spBv1.0/plant/NBIRTH/edge1/extra", "");
  // A string into an Int32 tag: Bad, counted.
  edge->ddata("filler", {Metric{.alias = 1, .datatype = DataType::String, .value = std::string("six")},
                         Metric{.alias = 2, .value = 50.0}});
  ASSERT_TRUE(sink.wait_for(tag("Status.CurMachSpeed"), Value{50.0}));
  // The garbage took no seq number, so the next DATA is in sequence.
  edge->ddata("filler", {Metric{.alias = 1, .value = std::uint64_t{6}}});
  ASSERT_TRUE(sink.wait_for(tag("Status.StateCurrent"), Value{std::int64_t{6}}));
  EXPECT_GE(driver->metrics()[0].errors, 3U);
  EXPECT_FALSE(driver->metrics()[0].last_error.empty());
}

TEST_F(HostDriverTest, CommandIsSentAsDcmdWithControlCommandAndChangeRequest) {
  start_edge(true);
  start_driver();
  expect_born();
  const auto* unit = plant.find_unit(std::string(test::kLineId) + "/filler");
  ASSERT_NE(unit, nullptr);
  ASSERT_TRUE(driver->send_command(*unit, states::PackMLCommand::Start).ok());
  const auto received = edge->wait_command("spBv1.0/plant/DCMD/edge1/filler");
  ASSERT_TRUE(received.has_value());
  const auto& command = *received;
  ASSERT_EQ(command.metrics.size(), 2U);
  EXPECT_EQ(command.metrics[0].name, "Command/CntrlCmd");
  EXPECT_EQ(command.metrics[0].datatype, DataType::Int32);
  EXPECT_EQ(command.metrics[0].value, MetricValue{std::int64_t{2}});
  EXPECT_EQ(command.metrics[1].name, "Command/CmdChangeRequest");
  EXPECT_EQ(command.metrics[1].datatype, DataType::Boolean);
  EXPECT_EQ(command.metrics[1].value, MetricValue{true});
  EXPECT_TRUE(command.timestamp.has_value());
  EXPECT_EQ(driver->metrics()[0].writes, 1U);

  model::WorkUnit other;
  other.id = "site/area/L1/nowhere";
  EXPECT_FALSE(driver->send_command(other, states::PackMLCommand::Start).ok());
}

}  // namespace
}  // namespace strata::sparkplug
