// SeriesBuilder: tag samples of a unit to its KPI series; int32 counter wrap, resets, bad quality,
// out-of-order samples, per-minute compaction and pruning.
#include "kpi/series_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kpi_test_time.hpp"

namespace strata::kpi {
namespace {

using enum states::PackMLState;
using model::Quality;
using model::TagType;
using model::TagUpdate;
using test::at_minute;
using test::minute_span;

constexpr model::TagIndex kState = 0;
constexpr model::TagIndex kMode = 1;
constexpr model::TagIndex kProduced = 2;   // int32: wraps at 2^31
constexpr model::TagIndex kDefective = 3;  // int64: never wraps
constexpr model::TagIndex kReason = 4;
constexpr model::TagIndex kRework = 5;  // float64
constexpr model::TagIndex kSpeed = 6;   // not a KPI tag

constexpr Timestamp kSecond = kMicrosPerSecond;

struct Fixture {
  model::Plant plant;
  model::WorkUnit unit;
};

Fixture one_unit() {
  Fixture fixture;
  const std::vector<std::pair<std::string, TagType>> tags{
      {"Status.StateCurrent", TagType::Int32},      {"Status.UnitModeCurrent", TagType::Int32},
      {"Admin.ProdProcessedCount", TagType::Int32}, {"Admin.ProdDefectiveCount", TagType::Int64},
      {"Admin.StopReason", TagType::Int32},         {"Rework", TagType::Float64},
      {"Status.CurMachSpeed", TagType::Float64}};
  fixture.unit.id = "s/a/L1/filler";
  fixture.unit.local_id = "filler";
  for (const auto& [name, type] : tags) {
    fixture.unit.tags.push_back(static_cast<model::TagIndex>(fixture.plant.tags.size()));
    fixture.plant.tags.push_back(
        {fixture.unit.id + "/" + name, fixture.unit.id, {name, type, "", "fake:x", ""}});
  }
  fixture.unit.state_tag = kState;
  fixture.unit.mode_tag = kMode;
  fixture.unit.performance.produced = kProduced;
  fixture.unit.performance.defective = kDefective;
  fixture.unit.performance.stop_reason = kReason;
  fixture.unit.performance.rework = kRework;
  fixture.unit.performance.ideal_rate_per_minute = 60;
  return fixture;
}

SeriesBuilder builder_for(const Fixture& fixture, Timestamp resolution = 0) {
  auto builder = SeriesBuilder::create(fixture.plant, fixture.unit, resolution);
  EXPECT_TRUE(builder.ok());
  return std::move(*builder);
}

TagUpdate sample(model::TagIndex tag, model::Value value, Timestamp at, Quality quality = Quality::Good) {
  return {tag, std::move(value), quality, at};
}

std::vector<std::int64_t> counts(const std::vector<CounterIncrement>& increments) {
  std::vector<std::int64_t> result;
  for (const auto& increment : increments) result.push_back(increment.count);
  return result;
}

TEST(KpiSeriesBuilder, ObservesTheUnitsKpiTags) {
  const auto fixture = one_unit();
  auto tags = builder_for(fixture).tags();
  std::sort(tags.begin(), tags.end());
  EXPECT_EQ(tags, (std::vector<model::TagIndex>{kState, kMode, kProduced, kDefective, kReason, kRework}));
}

TEST(KpiSeriesBuilder, Int32CounterWrapsAtTwoToTheThirtyOneAndResets) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  const std::vector<std::int64_t> values{
      2'147'483'000,   // baseline
      2'147'483'647,   // +647 up to INT32_MAX
      -2'147'483'648,  // a signed DINT overflowing: +1
      -2'147'482'648,  // +1000
      0,               // reset (job change)
      25,              // +25
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    builder.add(sample(kProduced, values[i], at_minute(static_cast<std::int64_t>(i))));
  }
  EXPECT_EQ(counts(builder.series().produced), (std::vector<std::int64_t>{647, 1, 1000, 25}));
  EXPECT_EQ(count_in(builder.series().produced, minute_span(0, 10)), 1673);
}

TEST(KpiSeriesBuilder, Int32CounterRollingOverToZeroCountsTheUnitsPastTheTop) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kProduced, std::int64_t{2'147'483'600}, at_minute(0)));
  builder.add(sample(kProduced, std::int64_t{50}, at_minute(1)));  // 48 to the top, then 0..50
  EXPECT_EQ(counts(builder.series().produced), (std::vector<std::int64_t>{98}));
}

TEST(KpiSeriesBuilder, Int64CounterNeverWrapsSoADropIsAReset) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kDefective, std::int64_t{2'147'483'600}, at_minute(0)));
  builder.add(sample(kDefective, std::int64_t{50}, at_minute(1)));
  EXPECT_EQ(counts(builder.series().defective), (std::vector<std::int64_t>{50}));
}

TEST(KpiSeriesBuilder, BadCounterSamplesAreSkipped) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kProduced, std::int64_t{100}, at_minute(0)));
  builder.add(sample(kProduced, std::int64_t{0}, at_minute(1), Quality::Bad));
  builder.add(sample(kProduced, model::Value{}, at_minute(2)));
  builder.add(sample(kProduced, std::int64_t{160}, at_minute(3)));
  builder.add(sample(kProduced, std::int64_t{160}, at_minute(4)));  // no increment: nothing recorded
  builder.add(sample(kRework, 2.0, at_minute(0)));
  builder.add(sample(kRework, 4.6, at_minute(4)));  // float counters count in whole units
  EXPECT_EQ(builder.series().produced, (std::vector<CounterIncrement>{{at_minute(3), 60}}));
  EXPECT_EQ(counts(builder.series().rework), (std::vector<std::int64_t>{3}));
}

TEST(KpiSeriesBuilder, OutOfOrderCounterSampleIsNotCountedTwice) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kProduced, std::int64_t{100}, at_minute(0)));
  builder.add(sample(kProduced, std::int64_t{200}, at_minute(2)));
  builder.add(sample(kProduced, std::int64_t{150}, at_minute(1)));  // late: dropped
  builder.add(sample(kProduced, std::int64_t{260}, at_minute(3)));
  EXPECT_EQ(count_in(builder.series().produced, minute_span(0, 3)), 160);
}

TEST(KpiSeriesBuilder, StatesModesAndUnknownStates) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kState, std::int64_t{6}, at_minute(0)));                 // Execute
  builder.add(sample(kState, std::int64_t{6}, at_minute(1)));                 // same: nothing new
  builder.add(sample(kMode, std::int64_t{3}, at_minute(2)));                  // Manual
  builder.add(sample(kState, std::int64_t{11}, at_minute(3), Quality::Bad));  // unknown
  builder.add(sample(kState, std::int64_t{42}, at_minute(4)));                // not a PackML state: unknown
  builder.add(sample(kState, 11.0, at_minute(5)));                            // Held
  builder.add(sample(kMode, std::int64_t{1}, at_minute(6), Quality::Bad));    // ignored
  const auto& changes = builder.series().changes;
  ASSERT_EQ(changes.size(), 4U);
  EXPECT_EQ(changes[0].at, at_minute(0));
  EXPECT_EQ(changes[0].state, Execute);
  EXPECT_EQ(changes[0].mode, states::kModeProduction);
  EXPECT_EQ(changes[1].at, at_minute(2));
  EXPECT_EQ(changes[1].state, Execute);
  EXPECT_EQ(changes[1].mode, states::kModeManual);
  EXPECT_EQ(changes[2].at, at_minute(3));
  EXPECT_EQ(changes[2].state, Undefined);
  EXPECT_EQ(changes[3].at, at_minute(5));
  EXPECT_EQ(changes[3].state, Held);
  EXPECT_EQ(changes[3].mode, states::kModeManual);
}

TEST(KpiSeriesBuilder, LateStateSampleIsRecordedAtTheLastChange) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kState, std::int64_t{6}, at_minute(0)));
  builder.add(sample(kState, std::int64_t{11}, at_minute(10)));
  builder.add(sample(kState, std::int64_t{5}, at_minute(8)));  // older than the last change
  const auto& changes = builder.series().changes;
  ASSERT_EQ(changes.size(), 2U) << "same instant: the later sample wins";
  EXPECT_EQ(changes[1].at, at_minute(10));
  EXPECT_EQ(changes[1].state, Suspended);
}

TEST(KpiSeriesBuilder, StopReasonCodesAreRecordedWhenTheyChange) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kReason, std::int64_t{0}, at_minute(0)));
  builder.add(sample(kReason, std::int64_t{105}, at_minute(1)));
  builder.add(sample(kReason, std::int64_t{105}, at_minute(2)));
  builder.add(sample(kReason, std::int64_t{0}, at_minute(3), Quality::Bad));
  builder.add(sample(kReason, std::int64_t{0}, at_minute(4)));
  builder.add(sample(kSpeed, 12.0, at_minute(4)));
  EXPECT_EQ(builder.series().stop_reasons,
            (std::vector<CodeSample>{{at_minute(0), 0}, {at_minute(1), 105}, {at_minute(4), 0}}));
  EXPECT_TRUE(builder.series().produced.empty());
}

TEST(KpiSeriesBuilder, PerMinuteCompactionCountsLikeUncompactedOnWholeMinutes) {
  const auto fixture = one_unit();
  auto exact = builder_for(fixture);
  auto compact = builder_for(fixture, 60 * kSecond);
  // Three hours of samples every 7 s with irregular increments, a reset and an int32 wrap.
  std::int64_t value = 2'147'480'000;  // wraps after about 20 minutes
  std::uint64_t noise = 7;
  const Timestamp start = at_minute(0);
  for (Timestamp t = start; t <= start + 3 * 3600 * kSecond; t += 7 * kSecond) {
    noise = noise * 6364136223846793005ULL + 1442695040888963407ULL;
    value += static_cast<std::int64_t>((noise >> 33) % 40);
    if (value >= (std::int64_t{1} << 31)) value -= std::int64_t{1} << 31;  // the PLC wraps
    if (t == start + 7 * 1000 * kSecond) value = 3;                        // reset
    for (auto* builder : {&exact, &compact}) builder->add(sample(kProduced, value, t));
  }
  const auto& fine = exact.series().produced;
  const auto& coarse = compact.series().produced;
  EXPECT_LE(coarse.size(), 181U) << "at most one entry per minute";
  EXPECT_GT(fine.size(), 1000U);
  for (std::int64_t from = 0; from < 180; from += 7) {
    for (std::int64_t to = from; to <= 181; to += 11) {
      ASSERT_EQ(count_in(coarse, minute_span(from, to)), count_in(fine, minute_span(from, to)))
          << from << ".." << to;
    }
  }
  EXPECT_EQ(count_in(coarse, minute_span(-1, 200)), count_in(fine, minute_span(-1, 200)));
  // A compacted entry is stamped with the latest sample of its minute.
  EXPECT_EQ(coarse.front().at % (60 * kSecond), start % (60 * kSecond) + 56 * kSecond);
}

TEST(KpiSeriesBuilder, PruneKeepsTheStateAndCodeTheHorizonStartsIn) {
  const auto fixture = one_unit();
  auto builder = builder_for(fixture);
  builder.add(sample(kState, std::int64_t{6}, at_minute(0)));
  builder.add(sample(kReason, std::int64_t{101}, at_minute(5)));
  builder.add(sample(kState, std::int64_t{11}, at_minute(10)));
  builder.add(sample(kReason, std::int64_t{0}, at_minute(20)));
  builder.add(sample(kState, std::int64_t{6}, at_minute(20)));
  for (int minute = 0; minute <= 30; minute += 5) {
    builder.add(sample(kProduced, std::int64_t{minute * 10}, at_minute(minute)));
  }
  builder.prune(at_minute(15));
  const auto& series = builder.series();
  ASSERT_EQ(series.changes.size(), 2U);
  EXPECT_EQ(series.changes[0].at, at_minute(10)) << "the state at the horizon";
  EXPECT_EQ(series.changes[0].state, Held);
  ASSERT_EQ(series.stop_reasons.size(), 2U);
  EXPECT_EQ(series.stop_reasons[0], (CodeSample{at_minute(5), 101}));
  EXPECT_EQ(series.produced.front().at, at_minute(15));
  EXPECT_EQ(count_in(series.produced, minute_span(0, 30)), 200);
  // Counting continues from the last value after a prune.
  builder.add(sample(kProduced, std::int64_t{320}, at_minute(35)));
  EXPECT_EQ(series.produced.back(), (CounterIncrement{at_minute(35), 20}));
}

TEST(KpiSeriesBuilder, UnitWithoutPerformanceTagsHasOnlyStates) {
  auto fixture = one_unit();
  fixture.unit.performance = {};
  fixture.unit.mode_tag.reset();
  auto builder = builder_for(fixture);
  EXPECT_EQ(builder.tags(), (std::vector<model::TagIndex>{kState}));
  builder.add(sample(kProduced, std::int64_t{5}, at_minute(0)));
  builder.add(sample(kProduced, std::int64_t{9}, at_minute(1)));
  EXPECT_TRUE(builder.series().produced.empty());
}

}  // namespace
}  // namespace strata::kpi
