// Starved and blocked: a stop propagates along the line once the buffer between units runs out.
#include <gtest/gtest.h>

#include "drivers/sim/line_simulator.hpp"
#include "sim_test_support.hpp"
#include "test_plant.hpp"

namespace strata::sim {
namespace {

using states::PackMLCommand;
using states::PackMLState;
using test::kTestStart;
using test::state_of;

constexpr Timestamp kBound = 90 * kMicrosPerSecond;

class MaterialFlow : public ::testing::Test {
 protected:
  MaterialFlow() : simulator_(plant_, test::first_line(plant_), 11, kTestStart) {
    simulator_.advance_to(kTestStart + 30 * kMicrosPerSecond);
  }

  model::Plant plant_ = test::make_bottling_plant(test::reliable_profile());
  LineSimulator simulator_;
};

TEST_F(MaterialFlow, StoppingTheFillerStarvesAndSuspendsTheCapperThenTheLabeler) {
  ASSERT_EQ(state_of(simulator_, "capper"), PackMLState::Execute);
  ASSERT_TRUE(simulator_.command("filler", PackMLCommand::Stop).ok());

  // Not at once: the buffer keeps the capper going for a while.
  simulator_.advance_to(simulator_.now() + 3 * kMicrosPerSecond);
  EXPECT_EQ(state_of(simulator_, "capper"), PackMLState::Execute);

  const auto took = test::run_until(simulator_, kBound, [&] {
    const auto capper = *simulator_.signals("capper");
    return capper.state == PackMLState::Suspended && capper.starved;
  });
  ASSERT_GE(took, 0) << "capper not starved within " << kBound / kMicrosPerSecond << " s";
  EXPECT_FALSE(simulator_.signals("capper")->blocked);
  EXPECT_EQ(simulator_.signals("capper")->speed, 0.0);

  ASSERT_GE(test::run_until(simulator_, kBound, [&] { return simulator_.signals("labeler")->starved; }), 0);
  EXPECT_EQ(state_of(simulator_, "filler"), PackMLState::Stopped);

  // Nothing moves while starved.
  const auto processed = simulator_.signals("capper")->processed;
  simulator_.advance_to(simulator_.now() + 60 * kMicrosPerSecond);
  EXPECT_EQ(simulator_.signals("capper")->processed, processed);

  // Back to Execute upstream -> the starved units unsuspend.
  ASSERT_TRUE(simulator_.command("filler", PackMLCommand::Reset).ok());
  const auto resumed = test::run_until(simulator_, kBound, [&] {
    return state_of(simulator_, "capper") == PackMLState::Execute &&
           state_of(simulator_, "labeler") == PackMLState::Execute;
  });
  ASSERT_GE(resumed, 0);
  EXPECT_FALSE(simulator_.signals("capper")->starved);
}

TEST_F(MaterialFlow, StoppingTheLabelerBlocksAndSuspendsTheCapper) {
  ASSERT_TRUE(simulator_.command("labeler", PackMLCommand::Stop).ok());
  const auto took = test::run_until(simulator_, kBound, [&] {
    const auto capper = *simulator_.signals("capper");
    return capper.state == PackMLState::Suspended && capper.blocked;
  });
  ASSERT_GE(took, 0);
  EXPECT_GE(took, 3 * kMicrosPerSecond) << "the buffer absorbs the first seconds";
  EXPECT_FALSE(simulator_.signals("capper")->starved);
  ASSERT_GE(test::run_until(simulator_, kBound, [&] { return simulator_.signals("filler")->blocked; }), 0);
}

TEST_F(MaterialFlow, AShortStopDoesNotRipple) {
  ASSERT_TRUE(simulator_.command("filler", PackMLCommand::Hold).ok());
  simulator_.advance_to(simulator_.now() + 3 * kMicrosPerSecond);
  ASSERT_TRUE(simulator_.command("filler", PackMLCommand::Unhold).ok());
  const bool capper_stayed_in_execute = test::run_until(simulator_, 20 * kMicrosPerSecond, [&] {
                                          return state_of(simulator_, "capper") != PackMLState::Execute;
                                        }) < 0;
  EXPECT_TRUE(capper_stayed_in_execute);
}

TEST_F(MaterialFlow, MaterialIsConservedAlongTheLine) {
  simulator_.advance_to(simulator_.now() + 3600 * kMicrosPerSecond);
  const auto filler = simulator_.signals("filler")->processed;
  const auto capper = simulator_.signals("capper")->processed;
  const auto labeler = simulator_.signals("labeler")->processed;
  // Each downstream unit cannot process more than came in plus its half-full initial buffer (150).
  EXPECT_LE(capper, filler + 151);
  EXPECT_LE(labeler, capper + 151);
  EXPECT_GT(labeler, 0);
}

}  // namespace
}  // namespace strata::sim
