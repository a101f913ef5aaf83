// Calibration: synthetic noisy signals whose chattering is counted by hand, the proposal that removes it,
// and the replay through the live evaluator.
#include "alarms/calibration.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "alarm_test_support.hpp"

namespace strata::alarms {
namespace {

using model::AlarmKind;
using test::at_second;
using test::seconds;

// One sample per second from `from` (inclusive) to `to` (exclusive) of value(second).
template <typename Value>
void append(std::vector<RecordedSample>& samples, int from, int to, Value value) {
  for (int second = from; second < to; ++second)
    samples.push_back({.at = at_second(second), .value = value(second)});
}

auto constant(double value) {
  return [value](int) { return value; };
}

model::AlarmDefinition high_at_80() {
  return test::high_alarm("site/area/L1/filler/temp_high", 80);
}

TEST(AlarmCalibration, NoiseHoveringOnTheLimitGetsAnOnDelayAndADeadband) {
  // 0-99 s at 50; 100-159 s on the limit with a 6-sample noise pattern; 160-239 s at 50; 240-359 s a real
  // excursion at 90 (more than 60 s after the last hovering activation at 158 s, so not part of the burst);
  // 360-399 s at 50. Dyadic noise keeps the arithmetic exact.
  constexpr std::array<double, 6> kNoise{+0.5, -0.25, +0.75, -0.5, +0.25, -0.125};
  std::vector<RecordedSample> samples;
  append(samples, 0, 100, constant(50));
  append(samples, 100, 160,
         [&](int second) { return 80 + kNoise[static_cast<std::size_t>(second - 100) % 6]; });
  append(samples, 160, 240, constant(50));
  append(samples, 240, 360, constant(90));
  append(samples, 360, 400, constant(50));

  const auto report = calibrate(high_at_80(), samples);
  ASSERT_TRUE(report.ok()) << report.error().message;
  // Hovering: every other second is beyond 80, so 3 one-second activations per 6 s for 60 s = 30, all
  // chattering; plus the real excursion = 31.
  EXPECT_EQ(report->before.activations.size(), 31U);
  EXPECT_EQ(report->before.chattering_activations, 30U);
  // Alarm runs and normal runs are all 1 s (equal medians): both remedies. On-delay = 1 s x 1.25;
  // deadband = deepest return 0.5 (79.5) x 1.25.
  EXPECT_EQ(report->longest_short_alarm_run, seconds(1));
  EXPECT_EQ(report->longest_short_normal_run, seconds(1));
  EXPECT_EQ(report->deepest_return, 0.5);
  EXPECT_EQ(report->proposed.on_delay, seconds(1.25));
  EXPECT_EQ(report->proposed.deadband, 0.625);
  EXPECT_EQ(report->proposed.off_delay, 0);
  // After: no hovering excursion lasts 1.25 s; the real one activates at 241.25 s and clears at 360 s.
  EXPECT_EQ(report->after.activations,
            (std::vector<ReplayedActivation>{{.activated = at_second(241.25), .cleared = at_second(360)}}));
  EXPECT_EQ(report->after.chattering_activations, 0U);
  EXPECT_FALSE(report->rationale.empty());
}

TEST(AlarmCalibration, DipsDuringARealExcursionGetADeadband) {
  // 200-299 s the process runs at about 82 but dips to 79.5 every fifth second: 4 s beyond, 1 s back.
  constexpr std::array<double, 5> kPattern{82.5, 81, 82.25, 82.5, 79.5};
  std::vector<RecordedSample> samples;
  append(samples, 0, 200, constant(50));
  append(samples, 200, 300, [&](int second) { return kPattern[static_cast<std::size_t>(second - 200) % 5]; });
  append(samples, 300, 400, constant(50));

  const auto report = calibrate(high_at_80(), samples);
  ASSERT_TRUE(report.ok()) << report.error().message;
  // Activations at 200, 205, ..., 295 s: 20, each within 60 s of the next two: all chattering.
  EXPECT_EQ(report->before.activations.size(), 20U);
  EXPECT_EQ(report->before.chattering_activations, 20U);
  // Normal runs (1 s) are shorter than alarm runs (4 s): deadband only, deepest dip 0.5 -> 0.625.
  EXPECT_EQ(report->proposed.on_delay, 0);
  EXPECT_EQ(report->proposed.deadband, 0.625);
  // 79.5 > 80 - 0.625: the dips no longer clear; one activation from 200 s to the return at 300 s.
  EXPECT_EQ(report->after.activations,
            (std::vector<ReplayedActivation>{{.activated = at_second(200), .cleared = at_second(300)}}));
}

TEST(AlarmCalibration, SpikesFromANormalBaselineGetAnOnDelay) {
  // Baseline 70 with a one-sample spike to 85 every 10 s from 100 to 159 s, then a real 30 s excursion.
  std::vector<RecordedSample> samples;
  append(samples, 0, 100, constant(70));
  append(samples, 100, 160, [](int second) { return second % 10 == 0 ? 85.0 : 70.0; });
  append(samples, 160, 300, constant(70));
  append(samples, 300, 330, constant(90));
  append(samples, 330, 360, constant(70));

  const auto report = calibrate(high_at_80(), samples);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->before.activations.size(), 7U) << "6 spikes + the real excursion";
  EXPECT_EQ(report->before.chattering_activations, 6U);
  // Alarm runs 1 s, normal runs 9 s: on-delay only (a deadband of 10+ would latch the alarm on at 70).
  EXPECT_EQ(report->proposed.on_delay, seconds(1.25));
  EXPECT_EQ(report->proposed.deadband, 0.0);
  EXPECT_FALSE(report->deepest_return);
  EXPECT_EQ(report->after.activations,
            (std::vector<ReplayedActivation>{{.activated = at_second(301.25), .cleared = at_second(330)}}));
}

TEST(AlarmCalibration, ADiscreteAlarmGetsAnOffDelayInsteadOfADeadband) {
  // A contact whose off-normal value is 1 reads 1 from 100 to 159 s, but bounces back to 0 for one second
  // in every five (at 104, 109, ... 159 s).
  auto definition = high_at_80();
  definition.kind = AlarmKind::Discrete;
  definition.normal_value = 0;
  std::vector<RecordedSample> samples;
  append(samples, 0, 100, constant(0));
  append(samples, 100, 160, [](int second) { return second % 5 == 4 ? 0.0 : 1.0; });
  append(samples, 160, 200, constant(0));

  const auto report = calibrate(definition, samples);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->before.activations.size(), 12U) << "activations at 100, 105, ..., 155 s";
  EXPECT_EQ(report->proposed.off_delay, seconds(1.25));
  EXPECT_EQ(report->proposed.deadband, 0.0);
  // The bounces (1 s) no longer clear it; the final return at 159 s clears it 1.25 s later.
  EXPECT_EQ(report->after.activations,
            (std::vector<ReplayedActivation>{{.activated = at_second(100), .cleared = at_second(160.25)}}));
}

TEST(AlarmCalibration, ANonChatteringAlarmKeepsItsSettings) {
  std::vector<RecordedSample> samples;
  append(samples, 0, 100, constant(50));
  append(samples, 100, 200, constant(90));
  append(samples, 200, 300, constant(50));
  const auto report = calibrate(high_at_80(), samples);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->proposed, report->current);
  EXPECT_EQ(report->before.activations.size(), 1U);
  EXPECT_EQ(report->after.activations, report->before.activations);
  EXPECT_EQ(report->rationale, "no chattering in 1 activations: nothing to change");
}

TEST(AlarmCalibration, ReplayMatchesTheLiveEvaluator) {
  auto settings = condition_settings(high_at_80());
  settings.on_delay = seconds(2);
  settings.off_delay = seconds(3);
  std::vector<RecordedSample> samples;
  append(samples, 0, 10, constant(50));
  append(samples, 10, 20, constant(90));
  append(samples, 20, 40, constant(50));
  Condition live(settings);
  std::vector<ConditionEdge> edges;
  for (const auto& sample : samples) {
    for (const auto& edge : live.on_value(sample.value, sample.at)) edges.push_back(edge);
  }
  ASSERT_EQ(edges.size(), 2U);
  EXPECT_EQ(replay(settings, samples).activations,
            (std::vector<ReplayedActivation>{{.activated = edges[0].at, .cleared = edges[1].at}}));
  EXPECT_EQ(edges[0].at, at_second(12));
  EXPECT_EQ(edges[1].at, at_second(23));
}

TEST(AlarmCalibration, RefusesWhatCannotBeReplayed) {
  auto fault = high_at_80();
  fault.kind = AlarmKind::PackMLFault;
  fault.tag.reset();
  EXPECT_EQ(
      calibrate(fault, {}).error().message,
      "cannot calibrate alarm site/area/L1/filler/temp_high: a packml_fault alarm has no tag to replay");
  auto deviation = high_at_80();
  deviation.kind = AlarmKind::Deviation;
  deviation.setpoint_tag = 3;
  EXPECT_EQ(
      calibrate(deviation, {}).error().message,
      "cannot calibrate alarm site/area/L1/filler/temp_high: its setpoint comes from another tag, and only "
      "one tag is replayed");
  const std::vector<RecordedSample> disorder{{.at = at_second(2), .value = 1},
                                             {.at = at_second(1), .value = 2}};
  EXPECT_EQ(calibrate(high_at_80(), disorder).error().message,
            "samples for alarm site/area/L1/filler/temp_high are out of time order at " +
                std::to_string(at_second(2)));
}

}  // namespace
}  // namespace strata::alarms
