// The configurable (PackML state, unit mode) -> time category mapping and its defaults.
#include "kpi/state_mapping.hpp"

#include <gtest/gtest.h>

#include <array>
#include <utility>

namespace strata::kpi {
namespace {

using enum states::PackMLState;
using states::kModeMaintenance;
using states::kModeManual;
using states::kModeProduction;

TEST(KpiStateMapping, DefaultsFollowTheDocumentedTable) {
  const std::array<std::pair<states::PackMLState, TimeCategory>, 17> expected{{
      {Held, TimeCategory::Delay},
      {Holding, TimeCategory::Delay},
      {Unholding, TimeCategory::Delay},
      {Suspended, TimeCategory::Delay},
      {Suspending, TimeCategory::Delay},
      {Unsuspending, TimeCategory::Delay},
      {Aborting, TimeCategory::Delay},
      {Aborted, TimeCategory::Delay},
      {Clearing, TimeCategory::Delay},
      {Stopped, TimeCategory::Down},
      {Stopping, TimeCategory::Down},
      {Idle, TimeCategory::Down},
      {Resetting, TimeCategory::Down},
      {Starting, TimeCategory::Down},
      {Completing, TimeCategory::Down},
      {Complete, TimeCategory::Down},
      {Undefined, TimeCategory::NotCounted},
  }};
  const StateMapping mapping;
  for (const auto& [state, category] : expected) {
    for (states::UnitMode mode = 0; mode <= states::kMaxUnitMode; ++mode) {
      EXPECT_EQ(mapping.category(state, mode), category) << states::to_string(state) << " mode " << mode;
    }
  }
}

TEST(KpiStateMapping, ExecuteIsProductionOnlyInProductionMode) {
  const StateMapping mapping;
  EXPECT_EQ(mapping.category(Execute, kModeProduction), TimeCategory::Production);
  EXPECT_EQ(mapping.category(Execute, kModeMaintenance), TimeCategory::Setup);
  EXPECT_EQ(mapping.category(Execute, kModeManual), TimeCategory::Setup);
  EXPECT_EQ(mapping.category(Execute, 7), TimeCategory::Setup);
}

TEST(KpiStateMapping, StateOverrideAppliesToEveryMode) {
  StateMapping mapping;
  mapping.set(Suspended, TimeCategory::Down);  // e.g. a plant that counts starved/blocked as down time
  EXPECT_EQ(mapping.category(Suspended, kModeProduction), TimeCategory::Down);
  EXPECT_EQ(mapping.category(Suspended, kModeManual), TimeCategory::Down);
  EXPECT_EQ(mapping.category(Held, kModeProduction), TimeCategory::Delay) << "other states untouched";
}

TEST(KpiStateMapping, StateAndModeOverrideIsAnException) {
  StateMapping mapping;
  ASSERT_TRUE(mapping.set(Execute, kModeMaintenance, TimeCategory::Production).ok());
  EXPECT_EQ(mapping.category(Execute, kModeMaintenance), TimeCategory::Production);
  EXPECT_EQ(mapping.category(Execute, kModeManual), TimeCategory::Setup);
  EXPECT_EQ(mapping.category(Execute, kModeProduction), TimeCategory::Production);
}

TEST(KpiStateMapping, StateOverrideReplacesEarlierModeRules) {
  StateMapping mapping;
  mapping.set(Execute, TimeCategory::Delay);
  EXPECT_EQ(mapping.category(Execute, kModeProduction), TimeCategory::Delay);
  ASSERT_TRUE(mapping.set(Execute, 5, TimeCategory::Production).ok());
  EXPECT_EQ(mapping.category(Execute, 5), TimeCategory::Production);
  EXPECT_EQ(mapping.category(Execute, kModeProduction), TimeCategory::Delay);
}

TEST(KpiStateMapping, RefusesModesOutsideThePackMLRange) {
  StateMapping mapping;
  const auto refused = mapping.set(Execute, 32, TimeCategory::Production);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("32"), std::string::npos);
  EXPECT_FALSE(mapping.set(Execute, -1, TimeCategory::Production).ok());
}

TEST(KpiStateMapping, OutOfRangeModeFallsBackToTheStateRule) {
  StateMapping mapping;
  EXPECT_EQ(mapping.category(Execute, 99), TimeCategory::Setup);
  mapping.set(Held, TimeCategory::Down);
  EXPECT_EQ(mapping.category(Held, -3), TimeCategory::Down);
  EXPECT_EQ(mapping.category(static_cast<states::PackMLState>(42), kModeProduction),
            TimeCategory::NotCounted);
}

TEST(KpiStateMapping, CategoryNames) {
  EXPECT_EQ(to_string(TimeCategory::Production), "Production");
  EXPECT_EQ(to_string(TimeCategory::Setup), "Setup");
  EXPECT_EQ(to_string(TimeCategory::Delay), "Delay");
  EXPECT_EQ(to_string(TimeCategory::Down), "Down");
  EXPECT_EQ(to_string(TimeCategory::NotCounted), "NotCounted");
}

}  // namespace
}  // namespace strata::kpi
