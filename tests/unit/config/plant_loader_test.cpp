// Loader behaviour beyond the error catalogue: files, instantiation details, aliases, formatting.
#include "config/plant_loader.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace strata::config {
namespace {

using testing::fixture_path;
using testing::has_error;
using testing::load;
using testing::mutate;
using testing::read_fixture;

TEST(Diagnostic, FormatsLikeACompilerError) {
  const Diagnostic positioned{"plant.yaml", 3, 7, "unknown key 'x'"};
  EXPECT_EQ(positioned.to_string(), "plant.yaml:3:7: error: unknown key 'x'");
  const Diagnostic whole_file{"plant.yaml", 0, 0, "cannot read plant definition: No such file or directory"};
  EXPECT_EQ(whole_file.to_string(),
            "plant.yaml: error: cannot read plant definition: No such file or directory");
  EXPECT_EQ(to_string(std::vector<Diagnostic>{positioned, positioned}),
            "plant.yaml:3:7: error: unknown key 'x'\nplant.yaml:3:7: error: unknown key 'x'\n");
}

TEST(PlantLoader, MissingFileIsADiagnostic) {
  const auto result = load_plant_file("/nonexistent/strata/plant.yaml");
  EXPECT_FALSE(result.plant.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  const auto& diagnostic = result.diagnostics[0];
  EXPECT_EQ(diagnostic.file, "/nonexistent/strata/plant.yaml");
  EXPECT_EQ(diagnostic.line, 0);
  EXPECT_NE(diagnostic.message.find("cannot read plant definition: No such file or directory"),
            std::string::npos);
}

TEST(PlantLoader, DirectoryIsADiagnostic) {
  const auto result = load_plant_file(std::string(STRATA_SOURCE_DIR) + "/examples");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("is a directory"), std::string::npos);
}

TEST(PlantLoader, FileDiagnosticsNameTheFile) {
  const auto result = load_plant_file(fixture_path("aliased_tags_error.yaml"));
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].file, fixture_path("aliased_tags_error.yaml"));
}

TEST(PlantLoader, EmptyDocument) {
  const auto result = load("# nothing\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 1);
  EXPECT_EQ(result.diagnostics[0].column, 1);
  EXPECT_NE(result.diagnostics[0].message.find("the plant definition is empty"), std::string::npos);
}

TEST(PlantLoader, DocumentMustBeAMap) {
  const auto result = load("- strata\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message, "expected a map for the plant definition, got a sequence");
}

TEST(PlantLoader, ErrorInAliasedNodeIsReportedOnceAtTheAnchor) {
  const auto yaml = read_fixture("aliased_tags_error.yaml");
  const auto result = load(yaml);
  EXPECT_TRUE(
      has_error(result, yaml, 11, 48,
                "unknown tag type 'double' for tag 'Status.CurMachSpeed' (expected one of: bool, int32, "
                "int64, float32, float64, string)",
                "double"));
  EXPECT_EQ(result.diagnostics.size(), 1u) << to_string(result.diagnostics);
}

class MinimalPlant : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = read_fixture("minimal_plant.yaml");
    const auto result = load(base_);
    ASSERT_TRUE(result.diagnostics.empty()) << to_string(result.diagnostics);
    plant_ = *result.plant;
  }
  [[nodiscard]] const model::Tag& tag(std::string_view id) const {
    const auto index = plant_.find_tag(id);
    EXPECT_TRUE(index.has_value()) << id;
    return plant_.tags.at(index.value_or(0));
  }

  std::string base_;
  model::Plant plant_;
};

TEST_F(MinimalPlant, SourceFileIsTheGivenName) {
  EXPECT_EQ(plant_.source_file, "plant.yaml");
}

TEST_F(MinimalPlant, NamesDefaultToIds) {
  EXPECT_EQ(plant_.sites[0].name, "s");
  EXPECT_EQ(plant_.sites[0].areas[0].name, "ar");
  EXPECT_EQ(plant_.find_work_center("s/ar/L1")->name, "L1");
  EXPECT_EQ(plant_.find_unit("s/ar/L1/a")->name, "a");
}

TEST_F(MinimalPlant, ParametersAreSubstitutedInTagFields) {
  EXPECT_EQ(tag("s/ar/L1/a/Speed").definition.source, "sim:speed/one");
  EXPECT_EQ(tag("s/ar/L1/a/Speed").definition.engineering_unit, "bpm");
}

TEST_F(MinimalPlant, BindingReplacesTheSourceWithSubstitution) {
  EXPECT_EQ(tag("s/ar/L1/b/Count").definition.source, "modbus://plc/3");
  EXPECT_EQ(tag("s/ar/L1/b/Count").unit_id, "s/ar/L1/b");
}

TEST_F(MinimalPlant, LevelsComeFromTheTemplate) {
  EXPECT_EQ(plant_.find_work_center("s/ar/L1")->level, model::EquipmentLevel::ProductionLine);
  EXPECT_EQ(plant_.find_unit("s/ar/L1/a")->level, model::EquipmentLevel::WorkCell);
  EXPECT_EQ(plant_.find_unit("s/ar/L1/b")->level, model::EquipmentLevel::Unit);
  EXPECT_FALSE(plant_.find_unit("s/ar/L1/b")->state_tag.has_value());
  EXPECT_FALSE(plant_.find_unit("s/ar/L1/b")->mode_tag.has_value());
}

TEST_F(MinimalPlant, WorkCenterCanOverrideTheLevel) {
  const auto yaml = mutate(base_, "            parameters: { label: one }\n",
                           "            parameters: { label: one }\n            level: ProcessCell\n");
  const auto result = load(yaml);
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  EXPECT_EQ(result.plant->find_work_center("s/ar/L1")->level, model::EquipmentLevel::ProcessCell);
}

TEST_F(MinimalPlant, SimulationProfileUsesDefaultsAndParameters) {
  const auto& simulation = plant_.find_unit("s/ar/L1/a")->simulation;
  EXPECT_DOUBLE_EQ(simulation.design_speed, 100.0);
  EXPECT_DOUBLE_EQ(simulation.reject_ratio, 0.01);
  EXPECT_DOUBLE_EQ(simulation.mean_time_to_repair, model::SimulationProfile{}.mean_time_to_repair);
  const auto result = load(mutate(base_, "{ label: one }", "{ label: one, speed: 250.5 }"));
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  EXPECT_DOUBLE_EQ(result.plant->find_unit("s/ar/L1/a")->simulation.design_speed, 250.5);
  EXPECT_EQ(result.plant->find_work_center("s/ar/L1")->parameters.at("speed"), "250.5");
}

TEST_F(MinimalPlant, AllSimulationFieldsAreRead) {
  const auto result = load(mutate(base_, "          reject_ratio: \"0.01\"\n",
                                  "          reject_ratio: \"0\"\n"
                                  "          mean_time_between_faults: 60\n"
                                  "          mean_time_to_repair: 5\n"
                                  "          hold_ratio: 1\n"
                                  "          speed_jitter: 0.5\n"));
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& simulation = result.plant->find_unit("s/ar/L1/a")->simulation;
  EXPECT_DOUBLE_EQ(simulation.reject_ratio, 0.0);
  EXPECT_DOUBLE_EQ(simulation.mean_time_between_faults, 60.0);
  EXPECT_DOUBLE_EQ(simulation.mean_time_to_repair, 5.0);
  EXPECT_DOUBLE_EQ(simulation.hold_ratio, 1.0);
  EXPECT_DOUBLE_EQ(simulation.speed_jitter, 0.5);
}

TEST_F(MinimalPlant, TemplatesWithOtherVersionsCoexist) {
  const auto yaml = mutate(base_, "sites:\n",
                           "  - id: line\n"
                           "    version: 2.0.0\n"
                           "    units: [{ id: x }]\n"
                           "sites:\n");
  const auto ok = load(yaml);
  ASSERT_TRUE(ok.ok()) << to_string(ok.diagnostics);
  EXPECT_EQ(ok.plant->templates.size(), 2u);
  const auto bad = load(mutate(yaml, "version: 1.0.0 }", "version: 3.0.0 }"));
  ASSERT_EQ(bad.diagnostics.size(), 1u) << to_string(bad.diagnostics);
  EXPECT_NE(bad.diagnostics[0].message.find("(available versions: 1.0.0, 2.0.0)"), std::string::npos)
      << bad.diagnostics[0].message;
}

}  // namespace
}  // namespace strata::config
