// The plant's `kpi.time_mapping` rules: category names and how rules with and without a mode combine.
#include <gtest/gtest.h>

#include "kpi/state_mapping.hpp"

namespace strata::kpi {
namespace {

using enum states::PackMLState;
using states::kModeMaintenance;
using states::kModeManual;
using states::kModeProduction;

TEST(KpiTimeCategoryNames, ParseIsCaseInsensitiveAndAcceptsBothSpellingsOfNotCounted) {
  EXPECT_EQ(parse_time_category("production"), TimeCategory::Production);
  EXPECT_EQ(parse_time_category("Setup"), TimeCategory::Setup);
  EXPECT_EQ(parse_time_category("DELAY"), TimeCategory::Delay);
  EXPECT_EQ(parse_time_category("down"), TimeCategory::Down);
  EXPECT_EQ(parse_time_category("not_counted"), TimeCategory::NotCounted);
  EXPECT_EQ(parse_time_category("NotCounted"), TimeCategory::NotCounted);
  EXPECT_FALSE(parse_time_category("idle").has_value());
  EXPECT_FALSE(parse_time_category("").has_value());
  EXPECT_FALSE(parse_time_category("production time").has_value());
  for (const auto category : {TimeCategory::Production, TimeCategory::Setup, TimeCategory::Delay,
                              TimeCategory::Down, TimeCategory::NotCounted}) {
    EXPECT_EQ(parse_time_category(to_string(category)), category) << "round trip of " << to_string(category);
  }
}

TEST(KpiMappingFromRules, NoRulesIsTheDefault) {
  const auto mapping = mapping_from_rules({});
  ASSERT_TRUE(mapping.ok());
  EXPECT_EQ(mapping->category(Execute, kModeProduction), TimeCategory::Production);
  EXPECT_EQ(mapping->category(Execute, kModeManual), TimeCategory::Setup);
  EXPECT_EQ(mapping->category(Held, kModeProduction), TimeCategory::Delay);
}

TEST(KpiMappingFromRules, StateRulesApplyFirstThenModeRulesRefineThem) {
  // Listed mode rule first: it must still survive the state rule for the same state.
  const std::vector<model::TimeMappingRule> rules{
      {.state = "Execute", .mode = kModeMaintenance, .category = "production"},
      {.state = "Execute", .mode = std::nullopt, .category = "delay"},
      {.state = "suspended", .mode = std::nullopt, .category = "Down"},
      {.state = "Held", .mode = kModeManual, .category = "not_counted"},
  };
  const auto mapping = mapping_from_rules(rules);
  ASSERT_TRUE(mapping.ok()) << mapping.error().message;
  EXPECT_EQ(mapping->category(Execute, kModeMaintenance), TimeCategory::Production);
  EXPECT_EQ(mapping->category(Execute, kModeProduction), TimeCategory::Delay);
  EXPECT_EQ(mapping->category(Execute, kModeManual), TimeCategory::Delay);
  EXPECT_EQ(mapping->category(Suspended, kModeProduction), TimeCategory::Down);
  EXPECT_EQ(mapping->category(Held, kModeManual), TimeCategory::NotCounted);
  EXPECT_EQ(mapping->category(Held, kModeProduction), TimeCategory::Delay);
}

TEST(KpiMappingFromRules, RefusesUnknownNamesAndModes) {
  const auto unknown_state =
      mapping_from_rules({{.state = "Running", .mode = std::nullopt, .category = "down"}});
  ASSERT_FALSE(unknown_state.ok());
  EXPECT_NE(unknown_state.error().message.find("'Running'"), std::string::npos)
      << unknown_state.error().message;

  const auto unknown_category =
      mapping_from_rules({{.state = "Held", .mode = std::nullopt, .category = "waiting"}});
  ASSERT_FALSE(unknown_category.ok());
  EXPECT_NE(unknown_category.error().message.find("'waiting'"), std::string::npos);
  EXPECT_NE(unknown_category.error().message.find(std::string(kTimeCategoryNames)), std::string::npos);

  const auto bad_mode = mapping_from_rules({{.state = "Held", .mode = 32, .category = "down"}});
  ASSERT_FALSE(bad_mode.ok());
  EXPECT_NE(bad_mode.error().message.find("32"), std::string::npos);
}

}  // namespace
}  // namespace strata::kpi
