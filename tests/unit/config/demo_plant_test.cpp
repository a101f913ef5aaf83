// The shipped demo plant (examples/bottling/plant.yaml) loads cleanly into the expected model.
#include <gtest/gtest.h>

#include <string>

#include "config/plant_loader.hpp"

namespace strata::config {
namespace {

const std::string kDemoPath = std::string(STRATA_SOURCE_DIR) + "/examples/bottling/plant.yaml";

class DemoPlant : public ::testing::Test {
 protected:
  void SetUp() override {
    result_ = load_plant_file(kDemoPath);
    ASSERT_TRUE(result_.diagnostics.empty()) << to_string(result_.diagnostics);
    ASSERT_TRUE(result_.plant.has_value());
  }
  [[nodiscard]] const model::Plant& plant() const { return *result_.plant; }
  [[nodiscard]] const model::Tag& tag(std::string_view id) const {
    const auto index = plant().find_tag(id);
    EXPECT_TRUE(index.has_value()) << id;
    return plant().tags.at(index.value_or(0));
  }

  LoadResult result_;
};

TEST_F(DemoPlant, LoadsWithoutDiagnostics) {
  EXPECT_TRUE(result_.ok());
  EXPECT_EQ(plant().source_file, kDemoPath);
  EXPECT_EQ(plant().enterprise.id, "acme");
  EXPECT_EQ(plant().enterprise.name, "ACME Beverages");
}

TEST_F(DemoPlant, HierarchyHasTwoLinesOfThreeUnits) {
  ASSERT_EQ(plant().sites.size(), 1u);
  const auto& site = plant().sites[0];
  EXPECT_EQ(site.id, "bottling");
  EXPECT_EQ(site.local_id, "bottling");
  EXPECT_EQ(site.name, "Bottling plant");
  ASSERT_EQ(site.areas.size(), 1u);
  const auto& area = site.areas[0];
  EXPECT_EQ(area.id, "bottling/packaging");
  EXPECT_EQ(area.name, "Packaging hall");
  ASSERT_EQ(area.work_centers.size(), 2u);
  EXPECT_EQ(area.work_centers[0].id, "bottling/packaging/L1");
  EXPECT_EQ(area.work_centers[1].id, "bottling/packaging/L2");
  for (const auto& center : area.work_centers) {
    EXPECT_EQ(center.level, model::EquipmentLevel::ProductionLine);
    EXPECT_EQ(center.template_ref.id, "bottling-line");
    EXPECT_EQ(center.template_ref.version, "1.0.0");
    ASSERT_EQ(center.units.size(), 3u);
    const char* expected[] = {"filler", "capper", "labeler"};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto& unit = center.units[i];
      EXPECT_EQ(unit.local_id, expected[i]);
      EXPECT_EQ(unit.id, center.id + "/" + expected[i]);
      EXPECT_EQ(unit.template_unit, expected[i]);
      EXPECT_EQ(unit.level, model::EquipmentLevel::WorkCell);
      EXPECT_EQ(unit.tags.size(), 8u);
    }
  }
  EXPECT_EQ(area.work_centers[0].units[0].name, "Filler");
  EXPECT_EQ(plant().units().size(), 6u);
  EXPECT_NE(plant().find_unit("bottling/packaging/L2/labeler"), nullptr);
}

TEST_F(DemoPlant, TagsAreFlattenedWithHierarchicalIds) {
  ASSERT_EQ(plant().tags.size(), 48u);
  const auto& first = plant().tags[0];
  EXPECT_EQ(first.id, "bottling/packaging/L1/filler/Status.StateCurrent");
  EXPECT_EQ(first.unit_id, "bottling/packaging/L1/filler");
  EXPECT_EQ(first.definition.type, model::TagType::Int32);
  EXPECT_EQ(first.definition.source, "sim:state");

  const auto& speed = tag("bottling/packaging/L1/capper/Status.CurMachSpeed");
  EXPECT_EQ(speed.definition.type, model::TagType::Float64);
  EXPECT_EQ(speed.definition.engineering_unit, "bpm");
  EXPECT_EQ(tag("bottling/packaging/L2/labeler/Admin.ProdProcessedCount").definition.type,
            model::TagType::Int64);
  EXPECT_EQ(tag("bottling/packaging/L2/labeler/Status.Blocked").definition.type, model::TagType::Bool);

  for (const auto* unit : plant().units()) {
    for (const auto index : unit->tags) EXPECT_EQ(plant().tags[index].unit_id, unit->id);
    ASSERT_TRUE(unit->state_tag.has_value());
    ASSERT_TRUE(unit->mode_tag.has_value());
    EXPECT_EQ(plant().tags[*unit->state_tag].id, unit->id + "/Status.StateCurrent");
    EXPECT_EQ(plant().tags[*unit->mode_tag].id, unit->id + "/Status.UnitModeCurrent");
  }
}

TEST_F(DemoPlant, ParametersIncludeDefaultsAndOverrides) {
  const auto* l1 = plant().find_work_center("bottling/packaging/L1");
  const auto* l2 = plant().find_work_center("bottling/packaging/L2");
  ASSERT_NE(l1, nullptr);
  ASSERT_NE(l2, nullptr);
  EXPECT_EQ(l1->parameters,
            (std::map<std::string, std::string>{
                {"nominal_speed", "600"}, {"reject_ratio", "0.01"}, {"mtbf", "900"}, {"min_speed", "300"}}));
  EXPECT_EQ(l2->parameters,
            (std::map<std::string, std::string>{
                {"nominal_speed", "450"}, {"reject_ratio", "0.01"}, {"mtbf", "600"}, {"min_speed", "300"}}));
}

TEST_F(DemoPlant, BindingOverridesOneTagSource) {
  EXPECT_EQ(tag("bottling/packaging/L2/labeler/Status.CurMachSpeed").definition.source, "sim:speed");
  EXPECT_EQ(tag("bottling/packaging/L2/filler/Status.CurMachSpeed").definition.source, "sim:speed");
}

TEST_F(DemoPlant, SimulationProfilesAreSubstituted) {
  const auto* filler1 = plant().find_unit("bottling/packaging/L1/filler");
  const auto* filler2 = plant().find_unit("bottling/packaging/L2/filler");
  const auto* capper2 = plant().find_unit("bottling/packaging/L2/capper");
  ASSERT_NE(filler1, nullptr);
  ASSERT_NE(filler2, nullptr);
  ASSERT_NE(capper2, nullptr);
  EXPECT_DOUBLE_EQ(filler1->simulation.design_speed, 600.0);
  EXPECT_DOUBLE_EQ(filler1->simulation.reject_ratio, 0.01);
  EXPECT_DOUBLE_EQ(filler1->simulation.mean_time_between_faults, 900.0);
  EXPECT_DOUBLE_EQ(filler1->simulation.mean_time_to_repair, 90.0);
  EXPECT_DOUBLE_EQ(filler2->simulation.design_speed, 450.0);
  EXPECT_DOUBLE_EQ(filler2->simulation.mean_time_between_faults, 600.0);
  EXPECT_DOUBLE_EQ(capper2->simulation.reject_ratio, 0.004);
  EXPECT_DOUBLE_EQ(capper2->simulation.mean_time_to_repair, 60.0);
  // Absent fields keep the model defaults.
  const model::SimulationProfile defaults;
  EXPECT_DOUBLE_EQ(capper2->simulation.hold_ratio, defaults.hold_ratio);
  EXPECT_DOUBLE_EQ(capper2->simulation.speed_jitter, defaults.speed_jitter);
}

TEST_F(DemoPlant, TemplatesAreCopied) {
  ASSERT_EQ(plant().templates.size(), 1u);
  const auto* line = plant().find_template("bottling-line", "1.0.0");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->level, model::EquipmentLevel::ProductionLine);
  ASSERT_EQ(line->parameters.size(), 4u);
  EXPECT_EQ(line->parameters[0].name, "nominal_speed");
  EXPECT_FALSE(line->parameters[0].default_value.has_value());
  EXPECT_EQ(line->parameters[0].engineering_unit, "bpm");
  EXPECT_EQ(line->parameters[2].default_value, "900");
  ASSERT_EQ(line->units.size(), 3u);
  EXPECT_EQ(line->units[0].state_tag, "Status.StateCurrent");
  EXPECT_EQ(line->units[2].tags.size(), 8u);
  EXPECT_EQ(line->units[0].simulation.at("design_speed"), "${nominal_speed}");
}

}  // namespace
}  // namespace strata::config
