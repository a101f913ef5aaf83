// The alarm KPI report against a synthetic two-hour log whose every number is worked out by hand below.
#include "alarms/kpi_report.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "alarm_test_support.hpp"

namespace strata::alarms {
namespace {

using test::hours;
using test::kMidnight;
using test::minutes;
using test::seconds;

constexpr const char* kAreaA = "site/area_a";
constexpr const char* kAreaB = "site/area_b";

Timestamp at(Timestamp offset) {
  return kMidnight + offset;
}

AlarmActivation activation(std::string id, std::string position, std::size_t priority, Timestamp activated,
                           std::optional<Timestamp> active_for, bool annunciated = true) {
  return {.alarm_id = std::move(id),
          .position = std::move(position),
          .priority = priority,
          .activated = activated,
          .cleared = active_for ? std::optional(activated + *active_for) : std::nullopt,
          .acknowledged = std::nullopt,
          .annunciated = annunciated};
}

// Period: 00:00-02:00, i.e. 12 ten-minute intervals and 2 hours.
// Area A, annunciated, inside the period:
//   chatter  p0: 00:00:00, 00:00:20, 00:00:40, 00:05:00, each cleared after 0.5 s  -> 4 (chattering,
//   fleeting) pump     p0: 00:01 .. 00:08 every minute (8) and 00:11 .. 00:17 (7), 30 s each -> 15 level p1:
//   00:21 and 00:22 for exactly 1 s (not fleeting), 00:23 never cleared -> 3 (standing) temp     p2: 01:00:00
//   + k x 50 s for k = 0..10, 10 s each, the last one cleared at 02:00 exactly -> 11
//   => 33 annunciated; intervals: [0] 4 + 8 = 12, [1] 7, [2] 3, [6] 11, others 0.
// Area A, also: shelved_one at 00:30 not annunciated; old p1 active since 30 h before the period (stale).
// Area B: one p3 alarm at 01:30 for 5 min.
std::vector<AlarmActivation> synthetic_log() {
  std::vector<AlarmActivation> log;
  for (Timestamp offset : {seconds(0), seconds(20), seconds(40), minutes(5)}) {
    log.push_back(activation("A/chatter", kAreaA, 0, at(offset), seconds(0.5)));
  }
  for (int minute = 1; minute <= 8; ++minute)
    log.push_back(activation("A/pump", kAreaA, 0, at(minutes(minute)), seconds(30)));
  for (int minute = 11; minute <= 17; ++minute) {
    log.push_back(activation("A/pump", kAreaA, 0, at(minutes(minute)), seconds(30)));
  }
  log.push_back(activation("A/level", kAreaA, 1, at(minutes(21)), seconds(1)));
  log.push_back(activation("A/level", kAreaA, 1, at(minutes(22)), seconds(1)));
  log.push_back(activation("A/level", kAreaA, 1, at(minutes(23)), std::nullopt));
  for (int k = 0; k <= 10; ++k) {
    const Timestamp activated = at(minutes(60) + seconds(50.0 * k));
    const Timestamp active_for = k == 10 ? at(hours(2)) - activated : seconds(10);
    log.push_back(activation("A/temp", kAreaA, 2, activated, active_for));
  }
  log.push_back(activation("A/shelved_one", kAreaA, 0, at(minutes(30)), seconds(5), false));
  log.push_back(activation("A/old", kAreaA, 1, at(-hours(30)), std::nullopt));
  log.push_back(activation("B/x", kAreaB, 3, at(minutes(90)), minutes(5)));
  std::reverse(log.begin(), log.end());  // the report must not depend on the order of the log
  return log;
}

class AlarmKpiReportTest : public ::testing::Test {
 protected:
  std::vector<AlarmActivation> log = synthetic_log();
  std::vector<ShelvedAlarm> shelved{{.alarm_id = "A/shelved_one", .position = kAreaA},
                                    {.alarm_id = "A/other", .position = kAreaA}};

  KpiReport report() const {
    auto result = alarm_kpi_report({.period = {.begin = at(0), .end = at(hours(2))},
                                    .activations = log,
                                    .shelved_at_end = shelved,
                                    .rules = {}});
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.value();
  }
};

TEST_F(AlarmKpiReportTest, RatesAgainstIsaAndEemua) {
  const auto kpis = report();
  ASSERT_EQ(kpis.positions.size(), 2U);
  const auto& a = kpis.positions[0];
  EXPECT_EQ(a.position, kAreaA);
  EXPECT_EQ(a.annunciated, 33U);
  EXPECT_EQ(a.not_annunciated, 1U);
  EXPECT_DOUBLE_EQ(a.per_day.average, 396.0) << "33 alarms in 1/12 day";
  EXPECT_EQ(a.per_day.rating, RateRating::Overloaded) << "> 300";
  EXPECT_DOUBLE_EQ(a.per_hour.average, 16.5) << "33 / 2 h";
  EXPECT_EQ(a.per_hour.rating, RateRating::Overloaded) << "> 12";
  EXPECT_DOUBLE_EQ(a.per_10min.average, 2.75) << "33 / 12 intervals";
  EXPECT_EQ(a.per_10min.rating, RateRating::Overloaded) << "> 2";
  EXPECT_EQ(a.eemua_band, EemuaBand::LikelyOverDemanding) << "2 < 2.75 <= 10";
  EXPECT_EQ(a.intervals, 12U);
  EXPECT_EQ(a.peak_10min, 12U);
  EXPECT_DOUBLE_EQ(a.percent_intervals_over_10, 100.0 * 2 / 12) << "intervals 0 (12) and 6 (11)";
  EXPECT_DOUBLE_EQ(a.percent_hours_over_30, 0.0) << "hour 0 has 22, hour 1 has 11";

  const auto& b = kpis.positions[1];
  EXPECT_EQ(b.position, kAreaB);
  EXPECT_EQ(b.annunciated, 1U);
  EXPECT_DOUBLE_EQ(b.per_day.average, 12.0);
  EXPECT_EQ(b.per_day.rating, RateRating::Acceptable);
  EXPECT_DOUBLE_EQ(b.per_hour.average, 0.5);
  EXPECT_DOUBLE_EQ(b.per_10min.average, 1.0 / 12);
  EXPECT_EQ(b.eemua_band, EemuaBand::VeryLikelyAcceptable);
  EXPECT_TRUE(b.floods.empty());
  EXPECT_EQ(b.shelved, 0U);
}

TEST_F(AlarmKpiReportTest, FloodsBeginAboveTenAndEndBelowFive) {
  const auto a = report().positions[0];
  // Flood 1: interval 0 (12 > 10) begins it, interval 1 (7, between 5 and 10) continues it, interval 2
  // (3 < 5) ends it at 00:20. Flood 2: interval 6 (11) begins it, interval 7 (0) ends it at 01:10.
  const std::vector<Flood> floods{
      {.begin = at(0), .end = at(minutes(20)), .alarms = 12 + 7, .peak_10min = 12},
      {.begin = at(minutes(60)), .end = at(minutes(70)), .alarms = 11, .peak_10min = 11},
  };
  EXPECT_EQ(a.floods, floods);
  EXPECT_EQ(a.time_in_flood, minutes(30));
  EXPECT_EQ(a.alarms_in_flood, 30U);
  EXPECT_DOUBLE_EQ(a.percent_intervals_in_flood, 25.0) << "3 of 12 intervals";
  EXPECT_DOUBLE_EQ(a.percent_time_in_flood, 25.0) << "30 of 120 minutes";
}

TEST_F(AlarmKpiReportTest, BadActorsChatteringFleetingStandingStaleShelved) {
  const auto a = report().positions[0];
  const std::vector<AlarmCount> bad_actors{
      {.alarm_id = "A/pump", .count = 15, .percent = 100.0 * 15 / 33},
      {.alarm_id = "A/temp", .count = 11, .percent = 100.0 * 11 / 33},
      {.alarm_id = "A/chatter", .count = 4, .percent = 100.0 * 4 / 33},
      {.alarm_id = "A/level", .count = 3, .percent = 100.0 * 3 / 33},
  };
  EXPECT_EQ(a.bad_actors, bad_actors);
  EXPECT_DOUBLE_EQ(a.top10_percent, 100.0) << "only 4 alarms: the top 10 is everything";
  // chatter: 00:00:00, 00:00:20, 00:00:40 fit in 60 s. temp: 50 s apart, so at most 2 in any 60 s.
  EXPECT_EQ(a.chattering,
            (std::vector<ChatteringAlarm>{{.alarm_id = "A/chatter", .activations = 4, .peak_in_window = 3}}));
  // chatter's 0.5 s activations are fleeting; level's 1 s ones are not (fleeting is < 1 s).
  EXPECT_EQ(a.fleeting,
            (std::vector<AlarmCount>{{.alarm_id = "A/chatter", .count = 4, .percent = 100.0 * 4 / 33}}));
  EXPECT_EQ(a.fleeting_activations, 4U);
  // level 00:23 never cleared; old active 32 h at the end; temp's last cleared exactly at the end.
  EXPECT_EQ(a.standing, (std::vector<std::string>{"A/level", "A/old"}));
  EXPECT_EQ(a.stale, (std::vector<std::string>{"A/old"}));
  EXPECT_EQ(a.shelved, 2U);
}

TEST_F(AlarmKpiReportTest, PriorityMixAgainstTheIsaTargets) {
  const auto a = report().positions[0];
  // p0 = chatter 4 + pump 15 = 19, p1 = level 3 (old began before the period), p2 = temp 11, p3 = 0.
  const std::vector<PriorityShare> mix{
      {.priority = 0, .count = 19, .percent = 100.0 * 19 / 33, .target_percent = 80.0},
      {.priority = 1, .count = 3, .percent = 100.0 * 3 / 33, .target_percent = 15.0},
      {.priority = 2, .count = 11, .percent = 100.0 * 11 / 33, .target_percent = 5.0},
      {.priority = 3, .count = 0, .percent = 0.0, .target_percent = 1.0},
  };
  EXPECT_EQ(a.priorities, mix);
}

// n annunciated activations of one alarm spread over ten-minute interval k.
void add_interval(std::vector<AlarmActivation>& log, std::int64_t k, int n) {
  for (int i = 0; i < n; ++i) {
    log.push_back(activation("A/x", kAreaA, 0, at(minutes(10 * k) + seconds(30.0 * i)), seconds(5)));
  }
}

TEST(AlarmKpiFloods, BetweenFiveAndTenContinuesAFloodButDoesNotStartOne) {
  std::vector<AlarmActivation> log;
  // Intervals: 6, 10, 4, 11, 5, 10, 4, 11 and a partial 5-minute one with 5 (period 85 min: 9 intervals).
  const std::vector<int> counts{6, 10, 4, 11, 5, 10, 4, 11, 5};
  for (std::size_t k = 0; k < counts.size(); ++k) add_interval(log, static_cast<std::int64_t>(k), counts[k]);
  const auto result = alarm_kpi_report({.period = {.begin = at(0), .end = at(minutes(85))},
                                        .activations = log,
                                        .shelved_at_end = {},
                                        .rules = {}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& kpis = result->positions.at(0);
  EXPECT_EQ(kpis.intervals, 9U);
  // 6 and 10 start nothing; 11 at 00:30 starts one that 5 and 10 continue and 4 ends at 01:00; 11 at 01:10
  // starts another that 5 continues to the period end at 01:25.
  const std::vector<Flood> floods{
      {.begin = at(minutes(30)), .end = at(minutes(60)), .alarms = 11 + 5 + 10, .peak_10min = 11},
      {.begin = at(minutes(70)), .end = at(minutes(85)), .alarms = 11 + 5, .peak_10min = 11},
  };
  EXPECT_EQ(kpis.floods, floods);
  EXPECT_EQ(kpis.time_in_flood, minutes(30 + 15));
  EXPECT_DOUBLE_EQ(kpis.percent_intervals_in_flood, 100.0 * 5 / 9);
  EXPECT_DOUBLE_EQ(kpis.percent_time_in_flood, 100.0 * 45 / 85);
}

TEST(AlarmKpiReportInput, RefusesInconsistentInput) {
  const auto refusal = [](std::vector<AlarmActivation> log, Timestamp length = hours(1)) {
    const auto result = alarm_kpi_report({.period = {.begin = at(0), .end = at(length)},
                                          .activations = log,
                                          .shelved_at_end = {},
                                          .rules = {}});
    return result ? std::string("accepted") : result.error().message;
  };
  EXPECT_EQ(refusal({}, 0), "the report period is empty");
  auto backwards = activation("A/x", kAreaA, 0, 100, std::nullopt);
  backwards.cleared = 50;
  EXPECT_EQ(refusal({backwards}), "activation of A/x at 100 clears before it began");
  EXPECT_EQ(refusal({activation("A/x", kAreaA, 4, at(0), std::nullopt)}),
            "activation of A/x has priority 4 outside the 4 configured priorities");
  EXPECT_EQ(refusal({}), "accepted");
}

TEST(AlarmKpiRules, Ratings) {
  EXPECT_EQ(rate_rating(150, 150, 300), RateRating::Acceptable);
  EXPECT_EQ(rate_rating(300, 150, 300), RateRating::Manageable);
  EXPECT_EQ(rate_rating(301, 150, 300), RateRating::Overloaded);
  EXPECT_EQ(eemua_band(0.99), EemuaBand::VeryLikelyAcceptable);
  EXPECT_EQ(eemua_band(1), EemuaBand::Manageable);
  EXPECT_EQ(eemua_band(5), EemuaBand::LikelyOverDemanding);
  EXPECT_EQ(eemua_band(10.5), EemuaBand::VeryLikelyUnacceptable);
  EXPECT_EQ(isa_priority_targets(3), (std::vector<double>{80, 15, 5}));
  EXPECT_TRUE(isa_priority_targets(5).empty());
}

}  // namespace
}  // namespace strata::alarms
