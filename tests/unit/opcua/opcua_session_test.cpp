// The driver's handling of connector messages, against a scripted stand-in for the connector
// (fixtures/fake_client.mjs): change detection, type mismatches, item errors, disconnects, commands.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "drivers/connector/connector_location.hpp"
#include "drivers/opcua/opcua_driver.hpp"
#include "unit/opcua/opcua_test_support.hpp"

namespace strata::opcua {
namespace {

using test::eventually;
using test::RecordingSink;
using test::tag_index;

constexpr std::string_view kPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
connections:
  opcua:
    - name: plc
      endpoint: opc.tcp://127.0.0.1:4840
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: State
        tags:
          - { name: State, type: int32, source: "opcua:plc/ns=1;s=State" }
          - { name: Speed, type: float64, source: "opcua:plc/ns=1;s=Speed" }
          - { name: Count, type: int64, source: "opcua:plc/ns=1;s=Count" }
          - { name: Recipe, type: string, source: "opcua:plc/ns=1;s=Recipe" }
          - { name: Running, type: bool, source: "opcua:plc/ns=1;s=Running" }
          - { name: Gone, type: float64, source: "opcua:plc/ns=1;s=Missing" }
          - { name: Odd, type: int32, source: "opcua:plc/ns=1;s=Wrong" }
          - { name: Command.CntrlCmd, type: int32, source: "opcua:plc/ns=1;s=Cmd" }
          - { name: Command.CmdChangeRequest, type: bool, source: "opcua:plc/ns=1;s=ChangeRequest" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";

class OpcUaSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plant_ = test::load_plant(std::string(kPlant));
    writes_ = std::filesystem::temp_directory_path() /
              ("strata-opcua-writes-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove(writes_);
  }
  void TearDown() override { std::filesystem::remove(writes_); }

  std::unique_ptr<OpcUaDriver> make_driver(const std::string& mode = "") {
    DriverOptions options;
    options.connector_argv = {connector::find_node().value(),
                              std::string(STRATA_SOURCE_DIR) + "/tests/unit/opcua/fixtures/fake_client.mjs",
                              writes_.string()};
    if (!mode.empty()) options.connector_argv.push_back(mode);
    auto driver = OpcUaDriver::create(plant_, clock_, options);
    EXPECT_TRUE(driver) << driver.error().message;
    return std::move(*driver);
  }

  std::vector<nlohmann::json> writes() const {
    std::ifstream in(writes_);
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  model::Plant plant_;
  ManualClock clock_;
  std::filesystem::path writes_;
};

TEST_F(OpcUaSessionTest, ValuesReachTheEngineOnceEachWithTheirTypes) {
  RecordingSink sink;
  auto driver = make_driver();
  driver->start(sink);
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).reads >= 2; }));  // both values frames handled
  driver->stop();
  const auto expect_once = [&](const char* name, const model::Value& value) {
    const auto updates = sink.updates_of(tag_index(plant_, name));
    ASSERT_EQ(updates.size(), 1U) << name << ": a repeated value is not pushed again";
    EXPECT_EQ(updates[0].value, value) << name;
    EXPECT_EQ(updates[0].quality, model::Quality::Good) << name;
    EXPECT_EQ(updates[0].source_time, 1'767'225'600'000'000) << name;
  };
  expect_once("State", model::Value{std::int64_t{7}});
  expect_once("Speed", model::Value{1.5});
  expect_once("Count", model::Value{std::int64_t{9'007'199'254'740'993}});
  expect_once("Recipe", model::Value{std::string("abc")});
  expect_once("Running", model::Value{true});
  const auto metrics = driver->metrics().at(0);
  EXPECT_EQ(metrics.driver, "opcua");
  EXPECT_EQ(metrics.connection, "plc");
  EXPECT_EQ(metrics.values, 7U);  // the seven tags with values, once
  EXPECT_EQ(metrics.reconnects, 0U);
}

TEST_F(OpcUaSessionTest, MissingNodesAndWrongTypesStayBad) {
  RecordingSink sink;
  auto driver = make_driver();
  driver->start(sink);
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).reads >= 2; }));
  // Both start Bad in the engine, so nothing is pushed for them.
  EXPECT_TRUE(sink.updates_of(tag_index(plant_, "Gone")).empty());
  EXPECT_TRUE(sink.updates_of(tag_index(plant_, "Odd")).empty());
  const auto metrics = driver->metrics().at(0);
  EXPECT_GE(metrics.errors, 3U);  // the item error and the two wrong values
}

TEST_F(OpcUaSessionTest, ADisconnectMakesEveryTagBadUntilValuesReturn) {
  RecordingSink sink;
  auto driver = make_driver("flap");
  driver->start(sink);
  const auto speed = tag_index(plant_, "Speed");
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).reconnects == 1; }));
  ASSERT_TRUE(sink.wait_updates(speed, 3));
  const auto updates = sink.updates_of(speed);
  EXPECT_EQ(updates[0].quality, model::Quality::Good);
  EXPECT_EQ(updates[1].quality, model::Quality::Bad);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(updates[1].value));
  EXPECT_EQ(updates[2].quality, model::Quality::Good);
  EXPECT_EQ(updates[2].value, model::Value{1.5});
  EXPECT_NE(driver->metrics().at(0).last_error.find("BadConnectionClosed"), std::string::npos);
}

TEST_F(OpcUaSessionTest, CommandsWriteTheHandshakeInOrder) {
  RecordingSink sink;
  auto driver = make_driver();
  driver->start(sink);
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).connected; }));
  const auto* unit = plant_.find_unit("s/a/L1/filler");
  ASSERT_NE(unit, nullptr);
  ASSERT_TRUE(driver->send_command(*unit, states::PackMLCommand::Start));
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).writes == 1; }));
  const auto written = writes();
  ASSERT_EQ(written.size(), 2U);
  EXPECT_EQ(written[0]["node_id"], "ns=1;s=Cmd");
  EXPECT_EQ(written[0]["data_type"], "Int32");
  EXPECT_EQ(written[0]["value"], 2);
  EXPECT_EQ(written[1]["node_id"], "ns=1;s=ChangeRequest");
  EXPECT_EQ(written[1]["data_type"], "Boolean");
  EXPECT_EQ(written[1]["value"], true);
  EXPECT_EQ(driver->metrics().at(0).write_errors, 0U);
}

TEST_F(OpcUaSessionTest, RefusedWritesAreCountedAndCommandsNeedAConnection) {
  std::string yaml(kPlant);
  yaml.replace(yaml.find("ns=1;s=Cmd\""), 11, "ns=1;s=RefuseCmd\"");
  plant_ = test::load_plant(yaml);
  RecordingSink sink;
  auto driver = make_driver();
  const auto* unit = plant_.find_unit("s/a/L1/filler");
  ASSERT_NE(unit, nullptr);
  auto refused = driver->send_command(*unit, states::PackMLCommand::Reset);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("opcua connection 'plc' is not connected"), std::string::npos);

  driver->start(sink);
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).connected; }));
  ASSERT_TRUE(driver->send_command(*unit, states::PackMLCommand::Reset));
  ASSERT_TRUE(eventually([&] { return driver->metrics().at(0).write_errors == 1; }));
  EXPECT_EQ(writes().size(), 1U) << "no change request after a refused command";
  EXPECT_NE(driver->metrics().at(0).last_error.find("BadUserAccessDenied"), std::string::npos);
  EXPECT_EQ(driver->metrics().at(0).writes, 0U);
}

}  // namespace
}  // namespace strata::opcua
