// A staged plant served over OPC UA (the connector in role "server", node-opcua) on 127.0.0.1, read and
// commanded by the real OpcUaDriver (the connector in role "client"): the driver sees the simulator's
// values at the plant's node ids, and its PackTags command handshake reaches the simulator. Plant time is
// a ManualClock; every wait is for a condition, with a generous guard.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

#include "drivers/connector/connector_location.hpp"
#include "drivers/opcua/opcua_driver.hpp"
#include "staging/stage.hpp"
#include "staging_test_support.hpp"
#include "unit/modbus/modbus_test_support.hpp"
#include "unit/opcua/opcua_test_support.hpp"

namespace strata::staging {
namespace {

using namespace std::chrono_literals;
using model::Value;
using states::PackMLCommand;
using states::PackMLState;
using test::kCapper;
using test::kFiller;
using test::tag;

// The filler is commanded through its Command.* nodes, the capper through the connection's commands
// entry; the capper's state node has a numeric id, so its folders come from the unit path.
constexpr std::string_view kOpcUaPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
connections:
  opcua:
    - name: plc
      endpoint: "opc.tcp://127.0.0.1:PORT/strata"
      sampling_interval: 50ms
      publishing_interval: 50ms
      commands:
        - { unit: s/a/L1/capper, control_command: "ns=1;s=capper.Cmd", change_request: "ns=1;s=capper.Request" }
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: Status.StateCurrent
        tags:
          - { name: Status.StateCurrent, type: int32, source: "opcua:plc/ns=1;s=filler.Status.StateCurrent", simulate: state }
          - { name: Status.CurMachSpeed, type: float64, source: "opcua:plc/ns=1;s=filler.Status.CurMachSpeed", simulate: speed }
          - { name: Admin.ProdProcessedCount, type: int64, source: "opcua:plc/ns=1;s=filler.Admin.ProdProcessedCount", simulate: processed }
          - { name: Status.Blocked, type: bool, source: "opcua:plc/ns=1;s=filler.Status.Blocked", simulate: blocked }
          - { name: Command.CntrlCmd, type: int32, source: "opcua:plc/ns=1;s=filler.Command.CntrlCmd" }
          - { name: Command.CmdChangeRequest, type: bool, source: "opcua:plc/ns=1;s=filler.Command.CmdChangeRequest" }
        simulation: { design_speed: "600" }
      - id: capper
        level: WorkCell
        state_tag: Status.StateCurrent
        tags:
          - { name: Status.StateCurrent, type: int32, source: "opcua:plc/ns=1;i=5001", simulate: state }
        simulation: { design_speed: "600" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";

constexpr Timestamp kMinute = 60 * kMicrosPerSecond;

// A port nobody listens on right now; the OPC UA server needs a real one (the connector refuses 0).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::vector<std::string> connector_argv() {
  return {connector::find_node().value(), std::string(STRATA_SOURCE_DIR) + "/connectors/opcua/connector.mjs"};
}

Value state_value(PackMLState state) {
  return static_cast<std::int64_t>(state);
}

class StagedOpcUaPlant : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto yaml =
        std::regex_replace(std::string(kOpcUaPlant), std::regex("PORT"), std::to_string(free_port()));
    plant_ = test::load_plant(yaml);
    for (auto& site : plant_.sites) {
      for (auto& area : site.areas) {
        for (auto& line : area.work_centers) {
          for (auto& unit : line.units) unit.simulation.mean_time_between_faults = 0;
        }
      }
    }
    auto created = Stage::create(
        plant_, clock_, StageOptions{.seed = 3, .tick = 5ms, .opcua_connector_argv = connector_argv()});
    ASSERT_TRUE(created.ok()) << created.error().message;
    stage_ = std::move(*created);
    stage_->start();
    ASSERT_TRUE(stage_->wait_until_listening(60s).ok());
  }

  void TearDown() override {
    if (driver_) driver_->stop();
    if (stage_) stage_->stop();
  }

  void run_to_execute() {
    clock_.advance(kMinute);
    ASSERT_TRUE(modbus::test::eventually([&] {
      return stage_->signals(kFiller)->state == PackMLState::Execute &&
             stage_->signals(kCapper)->state == PackMLState::Execute;
    }));
  }

  void start_driver() {
    auto driver = opcua::OpcUaDriver::create(plant_, clock_, {.connector_argv = connector_argv()});
    ASSERT_TRUE(driver.ok()) << driver.error().message;
    driver_ = std::move(*driver);
    driver_->start(sink_);
  }

  bool driver_sees(std::string_view unit, std::string_view name, const Value& value) {
    return sink_.wait_value(tag(plant_, unit, name), value);
  }

  // The driver refuses commands until its session is connected; wait for that, not for a time.
  bool command(std::string_view unit, PackMLCommand command) {
    const auto deadline = std::chrono::steady_clock::now() + opcua::test::kGuard;
    while (std::chrono::steady_clock::now() < deadline) {
      if (driver_->send_command(*plant_.find_unit(unit), command).ok()) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  ManualClock clock_;
  model::Plant plant_;
  std::unique_ptr<Stage> stage_;
  std::unique_ptr<opcua::OpcUaDriver> driver_;
  opcua::test::RecordingSink sink_;
};

TEST_F(StagedOpcUaPlant, TheDriverReadsTheSimulatorsValuesAtThePlantsNodeIds) {
  run_to_execute();
  start_driver();
  const auto filler = *stage_->signals(kFiller);
  ASSERT_GT(filler.processed, 0);
  EXPECT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(filler.state)));
  EXPECT_TRUE(driver_sees(kFiller, "Status.CurMachSpeed", filler.speed));
  EXPECT_TRUE(driver_sees(kFiller, "Admin.ProdProcessedCount", filler.processed));
  EXPECT_TRUE(driver_sees(kFiller, "Status.Blocked", filler.blocked));
  EXPECT_TRUE(driver_sees(kCapper, "Status.StateCurrent", state_value(stage_->signals(kCapper)->state)));
}

TEST_F(StagedOpcUaPlant, CommandsThroughBothHandshakesReachTheSimulator) {
  run_to_execute();
  start_driver();
  ASSERT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(PackMLState::Execute)));
  ASSERT_TRUE(command(kCapper, PackMLCommand::Hold));
  ASSERT_TRUE(modbus::test::eventually([&] {
    const auto state = stage_->signals(kCapper)->state;
    return state == PackMLState::Holding || state == PackMLState::Held;
  }));
  ASSERT_TRUE(command(kFiller, PackMLCommand::Stop));
  ASSERT_TRUE(modbus::test::eventually([&] {
    const auto state = stage_->signals(kFiller)->state;
    return state == PackMLState::Stopping || state == PackMLState::Stopped;
  }));
  clock_.advance(kMinute);
  EXPECT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(PackMLState::Stopped)));
  EXPECT_TRUE(driver_sees(kCapper, "Status.StateCurrent", state_value(PackMLState::Held)));
  // The staged PLC took the request and cleared it; CntrlCmd holds what was written.
  EXPECT_TRUE(driver_sees(kFiller, "Command.CntrlCmd", static_cast<std::int64_t>(PackMLCommand::Stop)));
  EXPECT_TRUE(driver_sees(kFiller, "Command.CmdChangeRequest", false));
}

TEST_F(StagedOpcUaPlant, DescribesWhatItServesAndRefusesAPortInUse) {
  const auto lines = stage_->describe();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("opcua plc: opc.tcp://127.0.0.1:"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("5 simulated tag(s), 9 node(s), commands for 2 unit(s)"), std::string::npos)
      << lines[0];
  const auto second = Stage::create(plant_, clock_, StageOptions{.opcua_connector_argv = connector_argv()});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("in use"), std::string::npos) << second.error().message;
}

TEST(StagedOpcUaNodes, NodeIdsOutsideTheServersNamespaceAreRefused) {
  auto yaml = std::regex_replace(std::string(kOpcUaPlant), std::regex("PORT"), "4999");
  yaml = std::regex_replace(yaml, std::regex("ns=1;i=5001"), "ns=2;i=5001");
  const auto plant = test::load_plant(yaml);
  ManualClock clock;
  const auto created = Stage::create(plant, clock, StageOptions{.opcua_connector_argv = {"/bin/true"}});
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message.find("'ns=2;i=5001' is not in ns=1"), std::string::npos)
      << created.error().message;
}

}  // namespace
}  // namespace strata::staging
