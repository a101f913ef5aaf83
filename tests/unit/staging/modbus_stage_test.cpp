// A staged plant served over Modbus TCP on 127.0.0.1, read and commanded by the real ModbusDriver: the
// driver sees the simulator's values at the plant's addresses, and its PackTags command handshake reaches
// the simulator. Plant time is a ManualClock, so the values a test compares are fixed while it waits; no
// timed assertions, every wait is for a condition with a generous deadline.
#include <gtest/gtest.h>

#include "drivers/modbus/modbus_driver.hpp"
#include "staging/stage.hpp"
#include "staging_test_support.hpp"
#include "unit/modbus/modbus_test_support.hpp"

namespace strata::staging {
namespace {

using namespace std::chrono_literals;
using modbus::test::eventually;
using modbus::test::RecordingSink;
using model::Value;
using states::PackMLCommand;
using states::PackMLState;
using test::kCapper;
using test::kFiller;
using test::tag;

constexpr Timestamp kMinute = 60 * kMicrosPerSecond;

Value state_value(PackMLState state) {
  return static_cast<std::int64_t>(state);
}

class StagedModbusPlant : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Stage::create(plant_, clock_, StageOptions{.seed = 7, .tick = 5ms});
    ASSERT_TRUE(created.ok()) << created.error().message;
    stage_ = std::move(*created);
    stage_->start();
  }

  void TearDown() override {
    if (driver_) driver_->stop();
    if (stage_) stage_->stop();
  }

  // Runs a minute of plant time, until both units produce.
  void run_to_execute() {
    clock_.advance(kMinute);
    ASSERT_TRUE(eventually([&] {
      return stage_->signals(kFiller)->state == PackMLState::Execute &&
             stage_->signals(kCapper)->state == PackMLState::Execute;
    }));
  }

  // The real driver, polling fast, on the port the stage listens on.
  void start_driver() {
    auto settings = plant_.modbus_connections.at(0);
    settings.port = stage_->ports().at("plc");
    settings.poll_interval = 10ms;
    settings.reconnect.initial = 10ms;
    auto driver = modbus::ModbusDriver::create(plant_, {settings}, clock_);
    ASSERT_TRUE(driver.ok()) << driver.error().message;
    driver_ = std::move(*driver);
    driver_->start(sink_);
  }

  bool driver_sees(std::string_view unit, std::string_view name, const Value& value) {
    return sink_.wait_for_value(tag(plant_, unit, name), value);
  }

  ManualClock clock_;
  model::Plant plant_ = test::modbus_plant();
  std::unique_ptr<Stage> stage_;
  std::unique_ptr<modbus::ModbusDriver> driver_;
  RecordingSink sink_;
};

TEST_F(StagedModbusPlant, TheDriverReadsTheSimulatorsValuesAtThePlantsAddresses) {
  run_to_execute();
  start_driver();
  const auto filler = *stage_->signals(kFiller);
  const auto capper = *stage_->signals(kCapper);
  ASSERT_GT(filler.processed, 0);
  EXPECT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(filler.state)));
  EXPECT_TRUE(driver_sees(kFiller, "Status.UnitModeCurrent", Value(std::int64_t{filler.mode})));
  // float32 on the wire: the driver gets the simulator's speed rounded to float.
  EXPECT_TRUE(
      driver_sees(kFiller, "Status.CurMachSpeed", static_cast<double>(static_cast<float>(filler.speed))));
  EXPECT_TRUE(driver_sees(kFiller, "Admin.ProdProcessedCount", filler.processed));
  EXPECT_TRUE(driver_sees(kFiller, "Status.Blocked", filler.blocked));
  EXPECT_TRUE(driver_sees(kFiller, "Status.Starved", filler.starved));
  EXPECT_TRUE(driver_sees(kCapper, "Status.StateCurrent", state_value(capper.state)));
  EXPECT_TRUE(driver_sees(kCapper, "Admin.ProdProcessedCount", capper.processed));
}

TEST_F(StagedModbusPlant, ValuesFollowThePlantAsItRuns) {
  start_driver();
  EXPECT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(PackMLState::Stopped)));
  EXPECT_TRUE(driver_sees(kFiller, "Admin.ProdProcessedCount", std::int64_t{0}));
  run_to_execute();
  EXPECT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(PackMLState::Execute)));
  EXPECT_TRUE(driver_sees(kFiller, "Admin.ProdProcessedCount", stage_->signals(kFiller)->processed));
}

// The filler's handshake is CntrlCmd + a CmdChangeRequest coil (its Command.* tags).
TEST_F(StagedModbusPlant, ACommandThroughTheCoilHandshakeReachesTheSimulator) {
  run_to_execute();
  start_driver();
  ASSERT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(PackMLState::Execute)));
  ASSERT_TRUE(driver_->send_command(*plant_.find_unit(kFiller), PackMLCommand::Stop).ok());
  ASSERT_TRUE(eventually([&] {
    const auto state = stage_->signals(kFiller)->state;
    return state == PackMLState::Stopping || state == PackMLState::Stopped;
  }));
  clock_.advance(kMinute);
  EXPECT_TRUE(driver_sees(kFiller, "Status.StateCurrent", state_value(PackMLState::Stopped)));
  // What the driver wrote stays in the PLC's memory, as on a real one; the change request was latched.
  EXPECT_TRUE(driver_sees(kFiller, "Command.CntrlCmd", static_cast<std::int64_t>(PackMLCommand::Stop)));
  EXPECT_TRUE(driver_sees(kFiller, "Command.CmdChangeRequest", false));
}

// The capper's handshake is the connection's commands entry: CntrlCmd hr150, change request hr151 bit 3.
TEST_F(StagedModbusPlant, ACommandThroughARegisterBitHandshakeReachesTheSimulator) {
  run_to_execute();
  start_driver();
  ASSERT_TRUE(driver_sees(kCapper, "Status.StateCurrent", state_value(PackMLState::Execute)));
  ASSERT_TRUE(driver_->send_command(*plant_.find_unit(kCapper), PackMLCommand::Hold).ok());
  ASSERT_TRUE(eventually([&] {
    const auto state = stage_->signals(kCapper)->state;
    return state == PackMLState::Holding || state == PackMLState::Held;
  }));
  clock_.advance(kMinute);
  EXPECT_TRUE(driver_sees(kCapper, "Status.StateCurrent", state_value(PackMLState::Held)));

  // The change request bit was cleared, so the next command is taken as well.
  ASSERT_TRUE(driver_->send_command(*plant_.find_unit(kCapper), PackMLCommand::Unhold).ok());
  clock_.advance(kMinute);
  EXPECT_TRUE(driver_sees(kCapper, "Status.StateCurrent", state_value(PackMLState::Execute)));
}

TEST_F(StagedModbusPlant, APortInUseIsReportedWhenStaging) {
  auto second = plant_;
  second.modbus_connections.at(0).port = stage_->ports().at("plc");
  const auto created = Stage::create(second, clock_);
  ASSERT_FALSE(created.ok());
  const auto& message = created.error().message;
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(stage_->ports().at("plc"))), std::string::npos)
      << message;
  EXPECT_NE(message.find("in use"), std::string::npos) << message;
  EXPECT_NE(message.find("'plc'"), std::string::npos) << message;
}

TEST_F(StagedModbusPlant, DescribesWhatItServes) {
  const auto lines = stage_->describe();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("modbus plc: 127.0.0.1:"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("8 simulated tag(s)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("commands for 2 unit(s)"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace strata::staging
