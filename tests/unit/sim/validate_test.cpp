// LineSimulator::validate: unknown "sim:" signals and implausible profiles are reported up front.
#include <gtest/gtest.h>

#include "drivers/sim/line_simulator.hpp"
#include "drivers/sim/sim_signal.hpp"
#include "test_plant.hpp"

namespace strata::sim {
namespace {

TEST(SimValidate, AcceptsEveryKnownSignal) {
  const auto plant = test::make_bottling_plant();
  const auto result = LineSimulator::validate(plant);
  EXPECT_TRUE(result.ok()) << result.error().message;
}

TEST(SimValidate, ListsEveryUnknownSignal) {
  auto plant = test::make_bottling_plant();
  plant.tags[0].definition.source = "sim:temperature";
  plant.tags[9].definition.source = "sim:";
  plant.tags[10].definition.source = "modbus://plc1/40001";  // other schemes are not the simulator's business
  const auto result = LineSimulator::validate(plant);
  ASSERT_FALSE(result.ok());
  const auto& message = result.error().message;
  EXPECT_NE(message.find(plant.tags[0].id), std::string::npos) << message;
  EXPECT_NE(message.find("sim:temperature"), std::string::npos) << message;
  EXPECT_NE(message.find(plant.tags[9].id), std::string::npos) << message;
  EXPECT_EQ(message.find(plant.tags[10].id), std::string::npos) << message;
  EXPECT_NE(message.find("stop_reason"), std::string::npos) << "lists the known signals: " << message;
}

TEST(SimValidate, RejectsImplausibleProfiles) {
  model::SimulationProfile profile;
  profile.reject_ratio = 1.5;
  const auto plant = test::make_bottling_plant(profile);
  const auto result = LineSimulator::validate(plant);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("filler"), std::string::npos);
}

TEST(SimSignal, NamesRoundTripAndAddressesParse) {
  for (auto signal : {Signal::State, Signal::Mode, Signal::Speed, Signal::Processed, Signal::Defective,
                      Signal::Blocked, Signal::Starved, Signal::StopReason}) {
    EXPECT_EQ(parse_signal(to_string(signal)), signal);
  }
  EXPECT_EQ(sim_signal_name("sim:speed"), "speed");
  EXPECT_EQ(sim_signal_name("sim://speed"), "speed");
  EXPECT_EQ(sim_signal_name("modbus://plc/1"), "");
  EXPECT_FALSE(parse_signal("State").has_value()) << "signal names are exact";
}

TEST(LineSimulator, UnknownSignalsAreIgnoredWhenRunning) {
  auto plant = test::make_bottling_plant();
  plant.tags[0].definition.source = "sim:temperature";
  LineSimulator simulator(plant, test::first_line(plant), 1, 0);
  EXPECT_EQ(simulator.advance_to(0).size(), plant.tags.size() - 1);
}

}  // namespace
}  // namespace strata::sim
