// The KPI parts of a plant definition: a unit's `performance:` block, a template's `stop_reasons:` tree and
// `constraint_unit:`, and the plant's `kpi:` section; what a valid plant loads into, and positioned errors.
#include <gtest/gtest.h>

#include <string>

#include "kpi/state_mapping.hpp"
#include "test_support.hpp"

namespace strata::config {
namespace {

using testing::has_error;
using testing::load;
using testing::mutate;

constexpr std::string_view kPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
kpi:
  micro_stop_threshold: 90s
  time_mapping:
    - { state: Execute, mode: Maintenance, category: setup }
    - { state: Suspended, category: down }
    - { state: held, mode: 3, category: not_counted }
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    parameters:
      - { name: speed, type: float, default: "100" }
      - { name: capper_speed, type: float, default: "120" }
    constraint_unit: capper
    stop_reasons:
      Mechanical:
        Infeed: { 100: Bottle jam, 101: Bottle fallen }
        110: Capper torque fault
      Operational: { 900: Waiting for material }
      999: Other
    units:
      - id: filler
        level: WorkCell
        state_tag: State
        mode_tag: Mode
        performance:
          produced: Processed
          defective: Defective
          rework: Rework
          stop_reason: Reason
          ideal_rate: ${speed}
        tags:
          - { name: State, type: int32, source: "fake:state" }
          - { name: Mode, type: int32, source: "fake:mode" }
          - { name: Processed, type: int32, source: "fake:processed" }
          - { name: Defective, type: int64, source: "fake:defective" }
          - { name: Rework, type: float64, source: "fake:rework" }
          - { name: Reason, type: int32, source: "fake:reason" }
          - { name: Label, type: string, source: "fake:label" }
      - id: capper
        level: WorkCell
        state_tag: State
        performance:
          produced: Count
          ideal_rate: ${capper_speed}
        tags:
          - { name: State, type: int32, source: "fake:state" }
          - { name: Count, type: int64, source: "fake:count" }
      - id: labeler
        level: WorkCell
        performance: { ideal_rate: "95.5" }
        tags:
          - { name: Total, type: float32, source: "fake:count" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - id: L1
            template: { id: line, version: 1.0.0 }
          - id: L2
            template: { id: line, version: 1.0.0 }
            parameters: { speed: 80, capper_speed: 70 }
)";

struct Spot {
  int line = 0;
  int column = 0;
};

// 1-based line and column of the single occurrence of `needle` in `yaml`.
Spot locate(const std::string& yaml, std::string_view needle) {
  const auto at = yaml.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  EXPECT_EQ(yaml.find(needle, at + 1), std::string::npos) << "'" << needle << "' occurs more than once";
  Spot spot{1, 1};
  for (std::size_t i = 0; i < at && at != std::string::npos; ++i) {
    if (yaml[i] == '\n') {
      ++spot.line;
      spot.column = 1;
    } else {
      ++spot.column;
    }
  }
  return spot;
}

class PerformanceConfig : public ::testing::Test {
 protected:
  const LoadResult& load_with(std::string_view from, std::string_view to) {
    yaml_ = mutate(std::string(kPlant), from, to);
    result_ = load(yaml_);
    return result_;
  }
  // A diagnostic at the start of `needle` (unique in the mutated text) whose source text begins with
  // `text_there`, with a message containing `message`.
  ::testing::AssertionResult error_at(std::string_view needle, std::string_view message,
                                      std::string_view text_there) {
    const auto spot = locate(yaml_, needle);
    return has_error(result_, yaml_, spot.line, spot.column, message, text_there);
  }
  [[nodiscard]] std::string listing() const { return to_string(result_.diagnostics); }

  std::string yaml_;
  LoadResult result_;
};

const model::WorkCenter& line_of(const model::Plant& plant, std::string_view id) {
  const auto* line = plant.find_work_center(id);
  EXPECT_NE(line, nullptr) << id;
  return *line;
}

const model::WorkUnit& unit_of(const model::Plant& plant, std::string_view id) {
  const auto* unit = plant.find_unit(id);
  EXPECT_NE(unit, nullptr) << id;
  return *unit;
}

model::TagIndex tag_index(const model::Plant& plant, std::string_view id) {
  const auto index = plant.find_tag(id);
  EXPECT_TRUE(index.has_value()) << id;
  return index.value_or(0);
}

// --- a valid plant --------------------------------------------------------------------------------

TEST_F(PerformanceConfig, ValidPlantLoadsTagIndicesAndIdealRates) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& plant = *result.plant;
  for (const std::string line : {"s/a/L1", "s/a/L2"}) {
    SCOPED_TRACE(line);
    const auto& filler = unit_of(plant, line + "/filler").performance;
    EXPECT_EQ(filler.produced, tag_index(plant, line + "/filler/Processed"));
    EXPECT_EQ(filler.defective, tag_index(plant, line + "/filler/Defective"));
    EXPECT_EQ(filler.rework, tag_index(plant, line + "/filler/Rework"));
    EXPECT_EQ(filler.stop_reason, tag_index(plant, line + "/filler/Reason"));
    const auto& capper = unit_of(plant, line + "/capper").performance;
    EXPECT_EQ(capper.produced, tag_index(plant, line + "/capper/Count"));
    EXPECT_FALSE(capper.defective.has_value());
    EXPECT_FALSE(capper.stop_reason.has_value());
    const auto& labeler = unit_of(plant, line + "/labeler").performance;
    EXPECT_FALSE(labeler.produced.has_value());
    EXPECT_DOUBLE_EQ(labeler.ideal_rate_per_minute, 95.5);
  }
  // ${speed} per line: the default on L1, the instance's value on L2.
  EXPECT_DOUBLE_EQ(unit_of(plant, "s/a/L1/filler").performance.ideal_rate_per_minute, 100);
  EXPECT_DOUBLE_EQ(unit_of(plant, "s/a/L1/capper").performance.ideal_rate_per_minute, 120);
  EXPECT_DOUBLE_EQ(unit_of(plant, "s/a/L2/filler").performance.ideal_rate_per_minute, 80);
  EXPECT_DOUBLE_EQ(unit_of(plant, "s/a/L2/capper").performance.ideal_rate_per_minute, 70);
  EXPECT_DOUBLE_EQ(unit_of(plant, "s/a/L2/filler").performance.ideal_cycle_seconds(), 0.75);
  // The template's raw declaration keeps the reference.
  ASSERT_EQ(plant.templates.size(), 1U);
  EXPECT_EQ(plant.templates[0].units[0].performance.ideal_rate, "${speed}");
  EXPECT_EQ(plant.templates[0].units[0].performance.produced, "Processed");
}

TEST_F(PerformanceConfig, ReasonTreeIsFlattenedWithGroupPaths) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const std::vector<model::StopReason> expected{
      {100, "Bottle jam", {"Mechanical", "Infeed"}},
      {101, "Bottle fallen", {"Mechanical", "Infeed"}},
      {110, "Capper torque fault", {"Mechanical"}},
      {900, "Waiting for material", {"Operational"}},
      {999, "Other", {}},
  };
  for (const auto* line : {"s/a/L1", "s/a/L2"}) {
    const auto& reasons = line_of(*result.plant, line).stop_reasons;
    ASSERT_EQ(reasons.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(reasons[i].code, expected[i].code);
      EXPECT_EQ(reasons[i].name, expected[i].name);
      EXPECT_EQ(reasons[i].group, expected[i].group);
    }
    EXPECT_EQ(model::find_stop_reason(reasons, 101)->path(), "Mechanical / Infeed / Bottle fallen");
    EXPECT_EQ(model::find_stop_reason(reasons, 999)->path(), "Other");
    EXPECT_EQ(model::find_stop_reason(reasons, 0), nullptr);
  }
}

TEST_F(PerformanceConfig, ConstraintUnitAsDeclared) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  EXPECT_EQ(line_of(*result.plant, "s/a/L1").constraint_unit, "capper");
  EXPECT_EQ(line_of(*result.plant, "s/a/L2").constraint_unit, "capper");
}

TEST_F(PerformanceConfig, ConstraintUnitDefaultsToTheSlowestPerLine) {
  load_with("    constraint_unit: capper\n", "");
  ASSERT_TRUE(result_.ok()) << listing();
  // L1: filler 100, capper 120, labeler 95.5; L2: filler 80, capper 70, labeler 95.5.
  EXPECT_EQ(line_of(*result_.plant, "s/a/L1").constraint_unit, "labeler");
  EXPECT_EQ(line_of(*result_.plant, "s/a/L2").constraint_unit, "capper");
}

TEST_F(PerformanceConfig, ConstraintUnitWithoutRatesIsTheLastUnit) {
  yaml_ = mutate(std::string(kPlant), "    constraint_unit: capper\n", "");
  yaml_ = mutate(yaml_, "          ideal_rate: ${speed}\n", "");
  yaml_ = mutate(yaml_, "          ideal_rate: ${capper_speed}\n", "");
  yaml_ = mutate(yaml_, "performance: { ideal_rate: \"95.5\" }", "performance: {}");
  result_ = load(yaml_);
  ASSERT_TRUE(result_.ok()) << listing();
  EXPECT_EQ(line_of(*result_.plant, "s/a/L1").constraint_unit, "labeler");
  EXPECT_DOUBLE_EQ(unit_of(*result_.plant, "s/a/L1/filler").performance.ideal_rate_per_minute, 0);
  EXPECT_DOUBLE_EQ(unit_of(*result_.plant, "s/a/L1/filler").performance.ideal_cycle_seconds(), 0);
}

TEST_F(PerformanceConfig, KpiSection) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& settings = result.plant->kpi;
  EXPECT_EQ(settings.micro_stop_threshold, 90 * kMicrosPerSecond);
  ASSERT_EQ(settings.time_mapping.size(), 3U);
  EXPECT_EQ(settings.time_mapping[0].state, "Execute");
  EXPECT_EQ(settings.time_mapping[0].mode, states::kModeMaintenance);
  EXPECT_EQ(settings.time_mapping[0].category, "Setup");
  EXPECT_EQ(settings.time_mapping[1].state, "Suspended");
  EXPECT_FALSE(settings.time_mapping[1].mode.has_value());
  EXPECT_EQ(settings.time_mapping[1].category, "Down");
  EXPECT_EQ(settings.time_mapping[2].state, "Held") << "names are canonicalised";
  EXPECT_EQ(settings.time_mapping[2].mode, states::kModeManual);
  EXPECT_EQ(settings.time_mapping[2].category, "NotCounted");
  // The rules are usable as they were loaded.
  const auto mapping = kpi::mapping_from_rules(settings.time_mapping);
  ASSERT_TRUE(mapping.ok()) << mapping.error().message;
  EXPECT_EQ(mapping->category(states::PackMLState::Suspended, states::kModeProduction),
            kpi::TimeCategory::Down);
}

TEST_F(PerformanceConfig, KpiSectionIsOptional) {
  load_with(
      "kpi:\n  micro_stop_threshold: 90s\n  time_mapping:\n"
      "    - { state: Execute, mode: Maintenance, category: setup }\n"
      "    - { state: Suspended, category: down }\n"
      "    - { state: held, mode: 3, category: not_counted }\n",
      "");
  ASSERT_TRUE(result_.ok()) << listing();
  EXPECT_EQ(result_.plant->kpi.micro_stop_threshold, 60 * kMicrosPerSecond);
  EXPECT_TRUE(result_.plant->kpi.time_mapping.empty());
}

// --- performance errors ---------------------------------------------------------------------------

TEST_F(PerformanceConfig, UnknownTag) {
  load_with("produced: Processed", "produced: Procesed");
  EXPECT_TRUE(
      error_at("Procesed",
               "produced 'Procesed' of performance of unit 'filler' of template 'line' version 1.0.0 is not "
               "one of its tags",
               "Procesed"))
      << listing();
}

TEST_F(PerformanceConfig, StringCounterIsRefused) {
  load_with("produced: Processed", "produced: Label");
  EXPECT_TRUE(
      error_at("Label\n",
               "produced 'Label' of performance of unit 'filler' of template 'line' version 1.0.0 must be a "
               "numeric counter tag (int32, int64, float32 or float64) (it is string)",
               "Label"))
      << listing();
}

TEST_F(PerformanceConfig, StopReasonMustBeAnIntegerTag) {
  load_with("stop_reason: Reason", "stop_reason: Rework");
  EXPECT_TRUE(
      error_at("Rework\n          ideal_rate",
               "stop_reason 'Rework' of performance of unit 'filler' of template 'line' version 1.0.0 must "
               "be an int32 or int64 tag (it is float64)",
               "Rework"))
      << listing();
}

TEST_F(PerformanceConfig, IdealRateLiteralMustBePositive) {
  for (const auto* bad : {"\"0\"", "\"-3\"", "fast"}) {
    SCOPED_TRACE(bad);
    load_with("ideal_rate: \"95.5\"", std::string("ideal_rate: ") + bad);
    EXPECT_TRUE(
        error_at(std::string(bad) + " }",
                 "ideal_rate of unit 'labeler' of template 'line' version 1.0.0 must be a positive number of "
                 "units per minute",
                 bad))
        << listing();
    EXPECT_EQ(result_.diagnostics.size(), 1U) << "once with the template, not per line: " << listing();
  }
}

TEST_F(PerformanceConfig, IdealRateFromAnInstanceParameterIsReportedAtTheInstanceValue) {
  load_with("{ speed: 80, capper_speed: 70 }", "{ speed: 80, capper_speed: -7 }");
  EXPECT_TRUE(error_at(
      "-7 }",
      "ideal_rate of unit 'capper' in work center 'L2' must be a positive number of units per minute, "
      "got '-7' (from '${capper_speed}')",
      "-7"))
      << listing();
  EXPECT_EQ(result_.diagnostics.size(), 1U) << "L1 uses the valid default: " << listing();
}

TEST_F(PerformanceConfig, IdealRateFromAParameterDefaultIsReportedAtTheTemplate) {
  load_with("default: \"120\"", "default: \"-120\"");
  EXPECT_TRUE(error_at(
      "${capper_speed}",
      "ideal_rate of unit 'capper' in work center 'L1' must be a positive number of units per minute, "
      "got '-120' (from '${capper_speed}')",
      "${capper_speed}"))
      << listing();
  EXPECT_EQ(result_.diagnostics.size(), 1U) << "L2 sets its own value: " << listing();
}

TEST_F(PerformanceConfig, DefectiveWithoutProduced) {
  load_with("          produced: Processed\n", "");
  EXPECT_TRUE(error_at(
      "defective: Defective",
      "performance of unit 'filler' of template 'line' version 1.0.0 counts defective or rework units "
      "but has no 'produced' counter to count them against",
      "defective"))
      << listing();
}

TEST_F(PerformanceConfig, UnknownKeyInPerformance) {
  load_with("ideal_rate: ${speed}", "ideal_speed: ${speed}");
  EXPECT_TRUE(
      error_at("ideal_speed", "unknown key 'ideal_speed' in performance of unit 'filler'", "ideal_speed"))
      << listing();
}

// --- stop reason tree errors ----------------------------------------------------------------------

TEST_F(PerformanceConfig, DuplicateReasonCode) {
  load_with("{ 900: Waiting for material }", "{ 101: Waiting for material }");
  const auto first = locate(yaml_, "101: Bottle fallen");
  EXPECT_TRUE(
      error_at("101: Waiting",
               "duplicate stop reason code 101 in template 'line' version 1.0.0 (first defined at line " +
                   std::to_string(first.line) + ")",
               "101"))
      << listing();
}

TEST_F(PerformanceConfig, ReasonCodeZeroIsReserved) {
  load_with("999: Other", "0: Other");
  EXPECT_TRUE(error_at("0: Other", "stop reason code 0 in template 'line' version 1.0.0 is reserved", "0"))
      << listing();
}

TEST_F(PerformanceConfig, LeafKeyMustBeAnInteger) {
  for (const auto* key : {"other", "1.5", "12a"}) {
    SCOPED_TRACE(key);
    load_with("999: Other", std::string(key) + ": Other");
    EXPECT_TRUE(
        error_at(std::string(key) + ": Other",
                 "'" + std::string(key) +
                     "' in stop_reasons of template 'line' version 1.0.0 is neither a reason code (an "
                     "integer) nor a group (a map)",
                 key))
        << listing();
  }
}

TEST_F(PerformanceConfig, LeafKeyInAGroupNamesTheGroup) {
  load_with("110: Capper torque fault", "x110: Capper torque fault");
  EXPECT_TRUE(error_at(
      "x110",
      "'x110' in stop reason group 'Mechanical' of template 'line' version 1.0.0 is neither a reason "
      "code",
      "x110"))
      << listing();
}

TEST_F(PerformanceConfig, UnknownConstraintUnit) {
  load_with("constraint_unit: capper", "constraint_unit: caper");
  EXPECT_TRUE(
      error_at("caper",
               "constraint_unit 'caper' of template 'line' version 1.0.0 is not one of its units (units: "
               "filler, capper, labeler)",
               "caper"))
      << listing();
}

// --- kpi section errors ---------------------------------------------------------------------------

TEST_F(PerformanceConfig, UnknownStateInTimeMapping) {
  load_with("state: Suspended", "state: Paused");
  EXPECT_TRUE(error_at("Paused", "'state' in time_mapping rule #2 must be a PackML state name", "Paused"))
      << listing();
}

TEST_F(PerformanceConfig, UnknownCategoryInTimeMapping) {
  load_with("category: down", "category: idle");
  EXPECT_TRUE(error_at(
      "idle",
      "'category' in time_mapping rule #2 must be one of production, setup, delay, down, not_counted, "
      "got 'idle'",
      "idle"))
      << listing();
}

TEST_F(PerformanceConfig, UnknownModeInTimeMapping) {
  for (const auto* mode : {"Turbo", "0", "32"}) {
    SCOPED_TRACE(mode);
    load_with("mode: Maintenance", std::string("mode: ") + mode);
    EXPECT_TRUE(error_at(std::string(mode) + ", category: setup",
                         "'mode' in time_mapping rule #1 must be a unit mode name", mode))
        << listing();
  }
}

TEST_F(PerformanceConfig, ModeByNumberOrUserName) {
  load_with("mode: Maintenance", "mode: User7");
  ASSERT_TRUE(result_.ok()) << listing();
  EXPECT_EQ(result_.plant->kpi.time_mapping[0].mode, 7);
}

TEST_F(PerformanceConfig, BadMicroStopThreshold) {
  for (const auto* bad : {"-5s", "0s", "soon", "10 minutes"}) {
    SCOPED_TRACE(bad);
    load_with("micro_stop_threshold: 90s", std::string("micro_stop_threshold: ") + bad);
    EXPECT_TRUE(
        error_at(std::string(bad) + "\n",
                 "'micro_stop_threshold' in the kpi section must be a duration like 30s or 2m, got '" +
                     std::string(bad) + "'",
                 bad))
        << listing();
  }
}

TEST_F(PerformanceConfig, UnknownKeyInKpiSection) {
  load_with("micro_stop_threshold: 90s", "micro_stops: 90s");
  EXPECT_TRUE(error_at("micro_stops", "unknown key 'micro_stops' in the kpi section", "micro_stops"))
      << listing();
}

// --- the demo plant -------------------------------------------------------------------------------

TEST(DemoPlantPerformance, BottlingLinesMeasureTheirFillers) {
  const auto result = load_plant_file(std::string(STRATA_SOURCE_DIR) + "/examples/bottling/plant.yaml");
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& plant = *result.plant;
  EXPECT_EQ(plant.kpi.micro_stop_threshold, 60 * kMicrosPerSecond);
  for (const auto& [line, rate] :
       {std::pair{"bottling/packaging/L1", 600.0}, {"bottling/packaging/L2", 450.0}}) {
    const auto& center = line_of(plant, line);
    EXPECT_EQ(center.constraint_unit, "filler");
    EXPECT_EQ(center.stop_reasons.size(), 24U);
    const auto* jam = model::find_stop_reason(center.stop_reasons, 100);
    ASSERT_NE(jam, nullptr);
    EXPECT_EQ(jam->group, (std::vector<std::string>{"Mechanical", "Infeed"}));
    for (const auto& unit : center.units) {
      EXPECT_DOUBLE_EQ(unit.performance.ideal_rate_per_minute, rate) << unit.id;
      ASSERT_TRUE(unit.performance.produced && unit.performance.defective && unit.performance.stop_reason);
      EXPECT_EQ(plant.tags[*unit.performance.produced].id, unit.id + "/Admin.ProdProcessedCount");
      EXPECT_EQ(plant.tags[*unit.performance.stop_reason].id, unit.id + "/Admin.StopReason");
    }
  }
}

}  // namespace
}  // namespace strata::config
