// Which tags a staged plant simulates, and the configuration errors `strata sim --serve` reports.
#include "staging/staged_plant.hpp"

#include <gtest/gtest.h>

#include "drivers/sim/line_simulator.hpp"
#include "staging_test_support.hpp"

namespace strata::staging {
namespace {

using test::kCapper;
using test::kFiller;
using test::tag;

TEST(SimulatedCopy, RoutesSimulatedTagsToTheSimulatorAndKeepsTheRest) {
  const auto plant = test::modbus_plant();
  const auto copy = simulated_copy(plant);
  ASSERT_EQ(copy.tags.size(), plant.tags.size());
  EXPECT_EQ(copy.tags[tag(plant, kFiller, "Status.StateCurrent")].definition.source, "sim:state");
  EXPECT_EQ(copy.tags[tag(plant, kCapper, "Admin.ProdProcessedCount")].definition.source, "sim:processed");
  EXPECT_EQ(copy.tags[tag(plant, kFiller, "Command.CntrlCmd")].definition.source, "modbus:plc/hr10:int32");
  EXPECT_EQ(copy.tags[tag(plant, kCapper, "Status.CurMachSpeed")].definition.source, "sim:speed");
  EXPECT_TRUE(check_simulated_tags(plant).ok());
}

TEST(CheckSimulatedTags, UnknownSignalNamesTheTagAndTheKnownSignals) {
  auto plant = test::modbus_plant();
  plant.tags[tag(plant, kFiller, "Status.Blocked")].definition.simulate = "velocity";
  const auto checked = check_simulated_tags(plant);
  ASSERT_FALSE(checked.ok());
  const auto& message = checked.error().message;
  EXPECT_NE(message.find("s/a/L1/filler/Status.Blocked"), std::string::npos) << message;
  EXPECT_NE(message.find("'velocity'"), std::string::npos) << message;
  EXPECT_NE(message.find("state, mode, speed"), std::string::npos) << message;
}

TEST(CheckSimulatedTags, SourceOfAProtocolNotServedIsAnError) {
  auto plant = test::modbus_plant();
  plant.tags[tag(plant, kFiller, "Status.Blocked")].definition.source = "sparkplug:edge/Blocked";
  const auto checked = check_simulated_tags(plant);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("s/a/L1/filler/Status.Blocked"), std::string::npos);
  EXPECT_NE(checked.error().message.find("modbus, opcua"), std::string::npos) << checked.error().message;
}

TEST(CheckSimulatedTags, APlantWithoutSimulatedTagsHasNothingToServe) {
  auto plant = test::modbus_plant();
  for (auto& t : plant.tags) t.definition.simulate.clear();
  const auto checked = check_simulated_tags(plant);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("nothing to serve"), std::string::npos);
}

// `strata check` runs LineSimulator::validate, so a misspelt signal fails there too.
TEST(CheckSimulatedTags, LineSimulatorValidationReportsAnUnknownSimulateSignal) {
  auto plant = test::modbus_plant();
  plant.tags[tag(plant, kCapper, "Status.StateCurrent")].definition.simulate = "sate";
  const auto valid = sim::LineSimulator::validate(plant);
  ASSERT_FALSE(valid.ok());
  EXPECT_NE(valid.error().message.find("s/a/L1/capper/Status.StateCurrent"), std::string::npos);
  EXPECT_NE(valid.error().message.find("known signals"), std::string::npos) << valid.error().message;
}

}  // namespace
}  // namespace strata::staging
