// One test per kind of error: each mutates one spot of fixtures/minimal_plant.yaml and asserts the
// exact position and message of the diagnostic.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/plant_loader.hpp"
#include "test_support.hpp"

namespace strata::config {
namespace {

using testing::has_error;
using testing::load;
using testing::mutate;

class PlantErrors : public ::testing::Test {
 protected:
  void SetUp() override { base_ = testing::read_fixture("minimal_plant.yaml"); }
  // Loads the fixture with one replacement applied; keeps the text for position checks.
  const LoadResult& load_with(std::string_view from, std::string_view to) {
    yaml_ = mutate(base_, from, to);
    result_ = load(yaml_);
    return result_;
  }
  ::testing::AssertionResult error_at(int line, int column, std::string_view message, std::string_view text) {
    return has_error(result_, yaml_, line, column, message, text);
  }
  [[nodiscard]] std::size_t count() const { return result_.diagnostics.size(); }
  [[nodiscard]] std::string listing() const { return to_string(result_.diagnostics); }

  std::string base_;
  std::string yaml_;
  LoadResult result_;
};

TEST_F(PlantErrors, FixtureIsValid) {
  const auto result = load(base_);
  EXPECT_TRUE(result.diagnostics.empty()) << to_string(result.diagnostics);
  ASSERT_TRUE(result.plant.has_value());
}

// --- format version -------------------------------------------------------------------------------

TEST_F(PlantErrors, MissingFormatVersion) {
  load_with("strata: 1\n", "");
  EXPECT_TRUE(
      error_at(2, 1, "missing format version: the plant definition must contain 'strata: 1'", "enterprise"));
}

TEST_F(PlantErrors, UnsupportedFormatVersionIsRefused) {
  load_with("strata: 1", "strata: 2");
  EXPECT_TRUE(error_at(2, 9, "unsupported format version '2' (this Strata reads 'strata: 1')", "2"));
  EXPECT_EQ(count(), 1u) << listing();
}

// --- keys -----------------------------------------------------------------------------------------

TEST_F(PlantErrors, UnknownKeyInWorkCenter) {
  load_with("parameters: { label: one }", "paramters: { label: one }");
  EXPECT_TRUE(
      error_at(36, 13,
               "unknown key 'paramters' in work center 'L1' (expected one of: id, name, level, template, "
               "parameters, bindings, alarm_overrides)",
               "paramters"));
}

TEST_F(PlantErrors, TagIntervalsAreDurationsAndSimulateIsKept) {
  load_with("unit: bpm", "unit: bpm, sampling_interval: 250ms, publishing_interval: 1s, simulate: speed");
  ASSERT_TRUE(result_.plant.has_value()) << listing();
  const auto speed = std::find_if(result_.plant->tags.begin(), result_.plant->tags.end(),
                                  [](const model::Tag& tag) { return tag.definition.name == "Speed"; });
  ASSERT_NE(speed, result_.plant->tags.end());
  const auto& tag = speed->definition;
  EXPECT_EQ(tag.sampling_interval, 250 * kMicrosPerMilli);
  EXPECT_EQ(tag.publishing_interval, kMicrosPerSecond);
  EXPECT_EQ(tag.simulate, "speed");

  load_with("unit: bpm", "unit: bpm, sampling_interval: often");
  EXPECT_TRUE(error_at(21, 73, "must be a duration of at least 1ms", "often")) << listing();
}

TEST_F(PlantErrors, UnknownKeyInTag) {
  load_with("unit: bpm", "units: bpm");
  EXPECT_TRUE(error_at(21, 43,
                       "unknown key 'units' in tag 'Speed' (expected one of: name, type, unit, source, "
                       "description, simulate, sampling_interval, publishing_interval)",
                       "units"));
}

TEST_F(PlantErrors, UnknownKeyAtTopLevel) {
  load_with("sites:", "site:");
  EXPECT_TRUE(error_at(29, 1, "unknown key 'site' in the plant definition", "site:"));
  EXPECT_TRUE(error_at(2, 1, "missing required key 'sites' in the plant definition", "strata"));
}

TEST_F(PlantErrors, MissingRequiredKey) {
  load_with("            template: { id: line, version: 1.0.0 }\n", "");
  EXPECT_TRUE(error_at(34, 13, "missing required key 'template' in work center 'L1'", "id: L1"));
}

TEST_F(PlantErrors, MissingRequiredKeyInTag) {
  load_with("type: int64, ", "");
  EXPECT_TRUE(error_at(28, 13, "missing required key 'type' in tag 'Count'", "{ name: Count"));
}

TEST_F(PlantErrors, RepeatedYamlKey) {
  load_with("{ id: acme, name: ACME }", "{ id: acme, id: acme2, name: ACME }");
  EXPECT_TRUE(error_at(3, 25, "duplicate key 'id' in the enterprise", "id: acme2"));
}

TEST_F(PlantErrors, WrongNodeKind) {
  load_with("parameters: { label: one }", "parameters: [one]");
  EXPECT_TRUE(error_at(36, 25, "expected a map for parameters of work center 'L1', got a sequence", "[one]"));
}

// --- ids ------------------------------------------------------------------------------------------

TEST_F(PlantErrors, DuplicateUnitId) {
  load_with("      - id: b\n", "      - id: a\n");
  EXPECT_TRUE(error_at(
      25, 13, "duplicate unit id 'a' in template 'line' version 1.0.0 (first defined at line 14)", "a"));
}

TEST_F(PlantErrors, DuplicateWorkCenterId) {
  load_with("              b.Count: \"modbus://plc/${count}\"\n",
            "              b.Count: \"modbus://plc/${count}\"\n"
            "          - id: L1\n"
            "            template: { id: line, version: 1.0.0 }\n"
            "            parameters: { label: two }\n");
  EXPECT_TRUE(error_at(39, 17, "duplicate work center id 'L1' in area 'ar'", "L1"));
  EXPECT_EQ(count(), 1u) << listing();
}

TEST_F(PlantErrors, DuplicateTemplateIdAndVersion) {
  load_with("sites:\n",
            "  - id: line\n"
            "    version: 1.0.0\n"
            "    units: [{ id: x }]\n"
            "sites:\n");
  EXPECT_TRUE(error_at(29, 9, "duplicate template 'line' version 1.0.0 (first defined at line 5)", "line"));
  EXPECT_EQ(count(), 1u) << listing();
}

TEST_F(PlantErrors, InvalidIdCharacters) {
  load_with("      - id: ar\n", "      - id: a/r\n");
  EXPECT_TRUE(error_at(
      32, 13, "invalid id 'a/r' in area #1 of site 's' (ids may contain only letters, digits, '_' and '-')",
      "a/r"));
}

// --- templates and levels -------------------------------------------------------------------------

TEST_F(PlantErrors, UnknownTemplate) {
  load_with("{ id: line, version", "{ id: lime, version");
  EXPECT_TRUE(
      error_at(35, 29, "unknown template 'lime' in work center 'L1' (available templates: line)", "lime"));
  EXPECT_EQ(count(), 1u) << listing();
}

TEST_F(PlantErrors, UnknownTemplateVersionListsAvailableVersions) {
  load_with("version: 1.0.0 }", "version: 1.1.0 }");
  EXPECT_TRUE(error_at(
      35, 44, "unknown version '1.1.0' of template 'line' in work center 'L1' (available versions: 1.0.0)",
      "1.1.0"));
}

TEST_F(PlantErrors, TemplateLevelMustBeAWorkCenterLevel) {
  load_with("level: ProductionLine", "level: Line");
  EXPECT_TRUE(
      error_at(7, 12,
               "invalid level 'Line' for template 'line' version 1.0.0 (expected a work center level: "
               "ProcessCell, ProductionUnit, ProductionLine, StorageZone, WorkCenter)",
               "Line"));
}

TEST_F(PlantErrors, UnitLevelMustBeAWorkUnitLevel) {
  load_with("level: Unit", "level: Area");
  EXPECT_TRUE(
      error_at(26, 16,
               "invalid level 'Area' for unit 'b' of template 'line' version 1.0.0 (expected a work unit "
               "level: Unit, WorkCell, StorageUnit, WorkUnit)",
               "Area"));
}

TEST_F(PlantErrors, WorkCenterLevelMustBeAWorkCenterLevel) {
  load_with("            parameters: { label: one }\n",
            "            parameters: { label: one }\n            level: WorkCell\n");
  EXPECT_TRUE(error_at(
      37, 20, "invalid level 'WorkCell' for work center 'L1' (expected a work center level:", "WorkCell"));
}

// --- tags -----------------------------------------------------------------------------------------

TEST_F(PlantErrors, UnknownTagType) {
  load_with("type: int64", "type: integer");
  EXPECT_TRUE(
      error_at(28, 34,
               "unknown tag type 'integer' for tag 'Count' (expected one of: bool, int32, int64, float32, "
               "float64, string)",
               "integer"));
}

TEST_F(PlantErrors, DuplicateTagNameInUnit) {
  load_with("{ name: Mode, type", "{ name: State, type");
  EXPECT_TRUE(error_at(20, 21, "duplicate tag name 'State' in unit 'a' (first defined at line 19)", "State"));
}

TEST_F(PlantErrors, InvalidTagName) {
  load_with("{ name: Mode, type", "{ name: Mode/1, type");
  EXPECT_TRUE(error_at(20, 21, "invalid tag name 'Mode/1'", "Mode/1"));
}

TEST_F(PlantErrors, StateTagMustNameATagOfTheUnit) {
  load_with("state_tag: State", "state_tag: Status");
  EXPECT_TRUE(
      error_at(16, 20,
               "state_tag 'Status' of unit 'a' of template 'line' version 1.0.0 is not one of its tags "
               "(tags: State, Mode, Speed)",
               "Status"));
}

TEST_F(PlantErrors, ModeTagMustNameATagOfTheUnit) {
  load_with("mode_tag: Mode", "mode_tag: UnitMode");
  EXPECT_TRUE(error_at(
      17, 19, "mode_tag 'UnitMode' of unit 'a' of template 'line' version 1.0.0 is not one of its tags",
      "UnitMode"));
}

// --- parameters -----------------------------------------------------------------------------------

TEST_F(PlantErrors, MissingRequiredParameter) {
  load_with("            parameters: { label: one }\n", "");
  EXPECT_TRUE(
      error_at(34, 13,
               "missing required parameter 'label' in work center 'L1' (template 'line' version 1.0.0 "
               "gives it no default)",
               "id: L1"));
}

TEST_F(PlantErrors, UnknownParameterInInstance) {
  load_with("{ label: one }", "{ label: one, sped: 5 }");
  EXPECT_TRUE(
      error_at(36, 39,
               "unknown parameter 'sped' in work center 'L1' (template 'line' version 1.0.0 declares: "
               "speed, count, flag, label)",
               "sped"));
}

TEST_F(PlantErrors, ParameterValuesMustMatchTheirType) {
  load_with("{ label: one }", "{ label: one, count: 2.5, speed: fast, flag: maybe }");
  EXPECT_TRUE(
      error_at(36, 46, "parameter 'count' of work center 'L1' must be of type int, got '2.5'", "2.5"));
  EXPECT_TRUE(
      error_at(36, 58, "parameter 'speed' of work center 'L1' must be of type float, got 'fast'", "fast"));
  EXPECT_TRUE(
      error_at(36, 70, "parameter 'flag' of work center 'L1' must be of type bool, got 'maybe'", "maybe"));
  EXPECT_EQ(count(), 3u) << listing();  // set but invalid: not also reported as missing
}

TEST_F(PlantErrors, ParameterDefaultMustMatchItsType) {
  load_with("default: \"100\"", "default: \"fast\"");
  EXPECT_TRUE(
      error_at(9, 46,
               "default value 'fast' of parameter 'speed' of template 'line' version 1.0.0 is not a valid "
               "float",
               "\"fast\""));
}

TEST_F(PlantErrors, UnknownParameterType) {
  load_with("type: string }", "type: text }");
  EXPECT_TRUE(
      error_at(12, 30,
               "unknown type 'text' for parameter 'label' of template 'line' version 1.0.0 (expected one "
               "of: float, int, bool, string)",
               "text"));
}

TEST_F(PlantErrors, ReferenceToUndeclaredParameterIsReportedAtTheTemplate) {
  load_with("${label}", "${lable}");
  EXPECT_TRUE(
      error_at(21, 62,
               "reference to undeclared parameter '${lable}' in template 'line' version 1.0.0 (declared "
               "parameters: speed, count, flag, label)",
               "\"sim:speed/${lable}\""));
  EXPECT_EQ(count(), 1u) << listing();
}

TEST_F(PlantErrors, UnterminatedParameterReference) {
  load_with("${label}", "${label");
  EXPECT_TRUE(error_at(21, 62, "unterminated parameter reference in 'sim:speed/${label'", "\"sim:speed"));
}

// --- bindings -------------------------------------------------------------------------------------

TEST_F(PlantErrors, BindingWithUnknownUnit) {
  load_with("b.Count:", "c.Count:");
  EXPECT_TRUE(error_at(38, 15, "unknown unit 'c' in binding 'c.Count' (line L1 has units: a, b)", "c.Count"));
}

TEST_F(PlantErrors, BindingWithUnknownTag) {
  load_with("b.Count:", "b.Counter:");
  EXPECT_TRUE(error_at(38, 15,
                       "unknown tag 'Counter' in binding 'b.Counter' (unit 'b' of line L1 has tags: Count)",
                       "b.Counter"));
}

TEST_F(PlantErrors, BindingKeyWithoutTagName) {
  load_with("b.Count:", "bCount:");
  EXPECT_TRUE(error_at(
      38, 15, "invalid binding key 'bCount' in work center 'L1' (expected '<unit>.<tag name>')", "bCount"));
}

TEST_F(PlantErrors, BindingReferencingUndeclaredParameter) {
  load_with("${count}\"", "${cnt}\"");
  EXPECT_TRUE(
      error_at(38, 24, "reference to undeclared parameter '${cnt}' in binding 'b.Count'", "\"modbus"));
}

// --- simulation profiles --------------------------------------------------------------------------

TEST_F(PlantErrors, UnknownSimulationField) {
  load_with("reject_ratio: \"0.01\"", "reject_rate: \"0.01\"");
  EXPECT_TRUE(error_at(24, 11,
                       "unknown key 'reject_rate' in simulation of unit 'a' of template 'line' version 1.0.0 "
                       "(expected one of: design_speed, reject_ratio, mean_time_between_faults, "
                       "mean_time_to_repair, hold_ratio, speed_jitter)",
                       "reject_rate"));
}

TEST_F(PlantErrors, SimulationLiteralMustBeANumber) {
  load_with("reject_ratio: \"0.01\"", "reject_ratio: \"lots\"");
  EXPECT_TRUE(
      error_at(24, 25,
               "simulation field 'reject_ratio' of unit 'a' of template 'line' version 1.0.0 is not a "
               "number: 'lots'",
               "\"lots\""));
  EXPECT_EQ(count(), 1u) << listing();  // reported once with the template, not per instance
}

TEST_F(PlantErrors, SimulationLiteralOutOfRange) {
  load_with("reject_ratio: \"0.01\"", "reject_ratio: \"1.5\"");
  EXPECT_TRUE(error_at(24, 25,
                       "simulation field 'reject_ratio' of unit 'a' of template 'line' version 1.0.0 = 1.5 "
                       "is out of range (expected 0 <= reject_ratio < 1)",
                       "\"1.5\""));
}

TEST_F(PlantErrors, SubstitutedSimulationValueMustBeANumber) {
  load_with("design_speed: ${speed}", "design_speed: ${label}");
  EXPECT_TRUE(
      error_at(36, 34,
               "simulation field 'design_speed' of unit 'a' in work center 'L1' is not a number: 'one' "
               "(from '${label}')",
               "one"));
}

TEST_F(PlantErrors, SubstitutedSimulationValueOutOfRangeIsReportedAtTheInstanceValue) {
  load_with("{ label: one }", "{ label: one, speed: -5 }");
  EXPECT_TRUE(error_at(36, 46,
                       "simulation field 'design_speed' of unit 'a' in work center 'L1' = -5 is out of range "
                       "(expected design_speed > 0)",
                       "-5"));
}

TEST_F(PlantErrors, SubstitutedDefaultOutOfRangeIsReportedAtTheTemplate) {
  load_with("default: \"100\"", "default: \"0\"");
  EXPECT_TRUE(error_at(23, 25,
                       "simulation field 'design_speed' of unit 'a' in work center 'L1' = 0 is out of range",
                       "${speed}"));
}

// --- YAML syntax and files ----------------------------------------------------------------------

TEST_F(PlantErrors, YamlSyntaxErrorHasItsPosition) {
  load_with("    areas:\n", "    areas: many\n");
  EXPECT_TRUE(error_at(32, 11, "YAML syntax error: illegal map value", ": ar"));
  EXPECT_EQ(count(), 1u) << listing();
}

TEST_F(PlantErrors, UnclosedFlowMapIsASyntaxError) {
  load_with("{ id: acme, name: ACME }", "{ id: acme, name: ACME");
  EXPECT_EQ(count(), 1u) << listing();
  // yaml-cpp notices it at the next mapping value indicator.
  EXPECT_TRUE(error_at(4, 10, "YAML syntax error: end of map flow not found", ":"));
}

// --- several at once ------------------------------------------------------------------------------

TEST_F(PlantErrors, AllErrorsAreReportedInOnePassSortedByPosition) {
  yaml_ =
      mutate(mutate(mutate(base_, "level: ProductionLine", "level: Line"), "type: int64", "type: integer"),
             "{ id: line, version", "{ id: lime, version");
  result_ = load(yaml_);
  ASSERT_EQ(count(), 3u) << listing();
  EXPECT_TRUE(error_at(7, 12, "invalid level 'Line'", "Line"));
  EXPECT_TRUE(error_at(28, 34, "unknown tag type 'integer'", "integer"));
  EXPECT_TRUE(error_at(35, 29, "unknown template 'lime'", "lime"));
  EXPECT_EQ(result_.diagnostics[0].line, 7);
  EXPECT_EQ(result_.diagnostics[1].line, 28);
  EXPECT_EQ(result_.diagnostics[2].line, 35);
}

}  // namespace
}  // namespace strata::config
