#include "notify/escalation_planner.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "notify_test_time.hpp"

namespace strata::notify {
namespace {

using test::at_minute;
using test::hours;
using test::kMidnight;
using test::minutes;
using test::seconds;

const NotificationSinks kSupervisorSinks{
    .cockpit = true, .webhooks = {"teams"}, .email_recipients = {"supervisor@plant.example"}};
const NotificationSinks kManagerSinks{
    .cockpit = false, .webhooks = {"pager"}, .email_recipients = {"manager@plant.example"}};

// The brief's example: supervisor after 5 min, area manager after 15 min, repeated every 15 min.
EscalationPolicy packaging_policy(std::optional<Timestamp> repeat = minutes(15)) {
  return EscalationPolicy{
      .scope = "bottling/packaging",
      .priority = "high",
      .levels = {EscalationLevel{.after = minutes(5), .role = "shift_supervisor", .sinks = kSupervisorSinks},
                 EscalationLevel{.after = minutes(15), .role = "area_manager", .sinks = kManagerSinks}},
      .repeat = repeat,
  };
}

EscalationPlanner make_planner(std::vector<EscalationPolicy> policies) {
  auto planner = EscalationPlanner::create(std::move(policies));
  EXPECT_TRUE(planner) << planner.error().message;
  return std::move(planner.value());
}

RaisedAlarm filler_jam(Timestamp activated_at) {
  return RaisedAlarm{.alarm_id = "filler.jam",
                     .equipment_path = "bottling/packaging/filler",
                     .priority = "high",
                     .activated_at = activated_at,
                     .message = "Filler jammed"};
}

// One notification as seen by the test: when advance() returned it, and what it said.
struct Sent {
  Timestamp sent_at = 0;
  std::string alarm_id;
  int level = 0;
  std::string role;
  Timestamp due_at = 0;
  int repeat = 0;
  friend bool operator==(const Sent&, const Sent&) = default;
};

std::ostream& operator<<(std::ostream& out, const Sent& sent) {
  return out << "{sent +" << (sent.sent_at - kMidnight) / minutes(1) << "m " << sent.alarm_id << " L"
             << sent.level << " " << sent.role << " due +" << (sent.due_at - kMidnight) / minutes(1) << "m R"
             << sent.repeat << "}";
}

Sent sent_at_due(const std::string& alarm_id, int level, const std::string& role, Timestamp due, int repeat) {
  return Sent{
      .sent_at = due, .alarm_id = alarm_id, .level = level, .role = role, .due_at = due, .repeat = repeat};
}

void collect(std::vector<Sent>& sent, Timestamp now, const std::vector<Notification>& notifications) {
  for (const auto& n : notifications) {
    sent.push_back(Sent{.sent_at = now,
                        .alarm_id = n.alarm_id,
                        .level = n.level,
                        .role = n.role,
                        .due_at = n.due_at,
                        .repeat = n.repeat});
  }
}

// Advances minute by minute over [from, to] (inclusive), collecting what is sent.
void run_minutes(EscalationPlanner& planner, std::vector<Sent>& sent, std::int64_t from, std::int64_t to) {
  for (std::int64_t minute = from; minute <= to; ++minute)
    collect(sent, at_minute(minute), planner.advance(at_minute(minute)));
}

TEST(EscalationPlanner, UnacknowledgedAlarmEscalatesThenRepeatsTheLastLevel) {
  auto planner = make_planner({packaging_policy()});
  ASSERT_EQ(planner.raise(filler_jam(kMidnight)), RaiseOutcome::Escalating);
  std::vector<Sent> sent;
  run_minutes(planner, sent, 0, 120);

  std::vector<Sent> expected{sent_at_due("filler.jam", 1, "shift_supervisor", at_minute(5), 0),
                             sent_at_due("filler.jam", 2, "area_manager", at_minute(15), 0)};
  for (int repeat = 1; repeat <= 7; ++repeat) {
    expected.push_back(sent_at_due("filler.jam", 2, "area_manager", at_minute(15 + 15 * repeat), repeat));
  }
  EXPECT_EQ(sent, expected);
  EXPECT_EQ(planner.next_due(), at_minute(135));
}

TEST(EscalationPlanner, NotificationCarriesTheAlarmAndTheLevelsSinks) {
  auto planner = make_planner({packaging_policy()});
  planner.raise(filler_jam(kMidnight));
  EXPECT_TRUE(planner.advance(at_minute(4)).empty());
  const auto due = planner.advance(at_minute(5));
  ASSERT_EQ(due.size(), 1U);
  const Notification expected{.id = fmt::format("filler.jam@{}/L1/R0", kMidnight),
                              .alarm_id = "filler.jam",
                              .equipment_path = "bottling/packaging/filler",
                              .priority = "high",
                              .message = "Filler jammed",
                              .activated_at = kMidnight,
                              .level = 1,
                              .role = "shift_supervisor",
                              .sinks = kSupervisorSinks,
                              .due_at = at_minute(5),
                              .repeat = 0};
  EXPECT_EQ(due.front(), expected);
}

TEST(EscalationPlanner, AcknowledgeStopsEverythingAfterIt) {
  auto planner = make_planner({packaging_policy()});
  planner.raise(filler_jam(kMidnight));
  std::vector<Sent> sent;
  run_minutes(planner, sent, 0, 9);
  EXPECT_TRUE(planner.acknowledged("filler.jam"));
  run_minutes(planner, sent, 10, 8 * 60);  // a whole shift later: silence
  EXPECT_EQ(sent, (std::vector<Sent>{sent_at_due("filler.jam", 1, "shift_supervisor", at_minute(5), 0)}));
  EXPECT_EQ(planner.open_count(), 0U);
  EXPECT_EQ(planner.next_due(), std::nullopt);
  EXPECT_FALSE(planner.acknowledged("filler.jam"));  // nothing left to stop
}

TEST(EscalationPlanner, ClearAndShelveStopLikeAcknowledge) {
  auto planner = make_planner({packaging_policy()});
  planner.raise(filler_jam(kMidnight));
  auto capper = filler_jam(kMidnight);
  capper.alarm_id = "capper.torque";
  planner.raise(capper);
  EXPECT_TRUE(planner.cleared("filler.jam"));
  EXPECT_TRUE(planner.shelved("capper.torque"));
  EXPECT_TRUE(planner.advance(at_minute(600)).empty());
}

TEST(EscalationPlanner, StopDropsWhatWasDueButNotYetReturned) {
  auto planner = make_planner({packaging_policy()});
  planner.raise(filler_jam(kMidnight));
  planner.acknowledged("filler.jam");  // at +7 min, before the engine got to call advance()
  EXPECT_TRUE(planner.advance(at_minute(7)).empty());
}

TEST(EscalationPlanner, ReAlarmAfterAcknowledgeStartsANewEscalation) {
  auto planner = make_planner({packaging_policy(std::nullopt)});
  planner.raise(filler_jam(kMidnight));
  std::vector<Sent> sent;
  run_minutes(planner, sent, 0, 10);
  planner.acknowledged("filler.jam");
  run_minutes(planner, sent, 11, 19);
  ASSERT_EQ(planner.raise(filler_jam(at_minute(20))), RaiseOutcome::Escalating);
  run_minutes(planner, sent, 20, 120);
  EXPECT_EQ(sent, (std::vector<Sent>{sent_at_due("filler.jam", 1, "shift_supervisor", at_minute(5), 0),
                                     sent_at_due("filler.jam", 1, "shift_supervisor", at_minute(25), 0),
                                     sent_at_due("filler.jam", 2, "area_manager", at_minute(35), 0)}));
}

TEST(EscalationPlanner, RaisingTheSameOccurrenceAgainChangesNothingButANewActivationRestarts) {
  auto planner = make_planner({packaging_policy(std::nullopt)});
  planner.raise(filler_jam(kMidnight));
  std::vector<Sent> sent;
  run_minutes(planner, sent, 0, 6);
  EXPECT_EQ(planner.raise(filler_jam(kMidnight)), RaiseOutcome::AlreadyEscalating);  // e.g. after a restart
  run_minutes(planner, sent, 7, 12);
  EXPECT_EQ(planner.raise(filler_jam(at_minute(12))), RaiseOutcome::Escalating);  // cleared and back, unseen
  run_minutes(planner, sent, 13, 60);
  EXPECT_EQ(sent, (std::vector<Sent>{sent_at_due("filler.jam", 1, "shift_supervisor", at_minute(5), 0),
                                     sent_at_due("filler.jam", 1, "shift_supervisor", at_minute(17), 0),
                                     sent_at_due("filler.jam", 2, "area_manager", at_minute(27), 0)}));
}

TEST(EscalationPlanner, WithoutRepeatTheEscalationRunsOutButStaysOpenUntilStopped) {
  auto planner = make_planner({packaging_policy(std::nullopt)});
  planner.raise(filler_jam(kMidnight));
  std::vector<Sent> sent;
  run_minutes(planner, sent, 0, 600);
  EXPECT_EQ(sent.size(), 2U);
  EXPECT_EQ(planner.open_count(), 1U);
  EXPECT_EQ(planner.next_due(), std::nullopt);
  EXPECT_EQ(planner.raise(filler_jam(kMidnight)), RaiseOutcome::AlreadyEscalating);  // no second page
  EXPECT_TRUE(planner.acknowledged("filler.jam"));
}

TEST(EscalationPlanner, LateAdvanceSendsEachOverdueLevelOnceAndCollapsesRepeats) {
  auto planner = make_planner({packaging_policy()});
  planner.raise(filler_jam(kMidnight));
  std::vector<Sent> sent;
  // The engine stalls for 75 minutes: both levels were missed, and repeats at 30, 45, 60 and 75.
  collect(sent, at_minute(75), planner.advance(at_minute(75)));
  EXPECT_EQ(planner.next_due(), at_minute(90));
  collect(sent, at_minute(90), planner.advance(at_minute(90)));
  // Stalled again: repeats 6..12 were due; only the latest goes out.
  collect(sent, at_minute(200), planner.advance(at_minute(200)));
  EXPECT_EQ(sent, (std::vector<Sent>{
                      {.sent_at = at_minute(75),
                       .alarm_id = "filler.jam",
                       .level = 1,
                       .role = "shift_supervisor",
                       .due_at = at_minute(5),
                       .repeat = 0},
                      {.sent_at = at_minute(75),
                       .alarm_id = "filler.jam",
                       .level = 2,
                       .role = "area_manager",
                       .due_at = at_minute(15),
                       .repeat = 0},
                      sent_at_due("filler.jam", 2, "area_manager", at_minute(90), 5),
                      {.sent_at = at_minute(200),
                       .alarm_id = "filler.jam",
                       .level = 2,
                       .role = "area_manager",
                       .due_at = at_minute(195),
                       .repeat = 12},
                  }));
  EXPECT_EQ(planner.next_due(), at_minute(210));
}

TEST(EscalationPlanner, AlarmRaisedLongAfterItsActivationCatchesUpOnLevels) {
  auto planner = make_planner({packaging_policy(std::nullopt)});
  planner.raise(filler_jam(kMidnight));  // announced at +20 min, e.g. restored after a restart
  const auto due = planner.advance(at_minute(20));
  ASSERT_EQ(due.size(), 2U);
  EXPECT_EQ(due[0].level, 1);
  EXPECT_EQ(due[1].level, 2);
}

TEST(EscalationPlanner, ImmediateLevelAndEqualDelaysKeepListOrder) {
  auto policy = packaging_policy(std::nullopt);
  policy.levels = {EscalationLevel{.after = 0, .role = "supervisor", .sinks = kSupervisorSinks},
                   EscalationLevel{.after = 0, .role = "maintenance", .sinks = kSupervisorSinks},
                   EscalationLevel{.after = minutes(10), .role = "manager", .sinks = kManagerSinks}};
  auto planner = make_planner({policy});
  planner.raise(filler_jam(kMidnight));
  const auto due = planner.advance(kMidnight);
  ASSERT_EQ(due.size(), 2U);
  EXPECT_EQ(due[0].role, "supervisor");
  EXPECT_EQ(due[1].role, "maintenance");
  EXPECT_EQ(planner.next_due(), at_minute(10));
}

TEST(EscalationPlanner, AlarmsWithoutAPolicyOrSilencedAreNotEscalated) {
  auto silenced = packaging_policy();
  silenced.scope = "bottling/packaging/lab";
  silenced.levels.clear();
  silenced.repeat.reset();
  auto planner = make_planner({packaging_policy(), silenced});
  auto lab = filler_jam(kMidnight);
  lab.equipment_path = "bottling/packaging/lab/sampler";
  EXPECT_EQ(planner.raise(lab), RaiseOutcome::NoPolicy);
  auto low = filler_jam(kMidnight);
  low.priority = "low";
  EXPECT_EQ(planner.raise(low), RaiseOutcome::NoPolicy);
  EXPECT_EQ(planner.open_count(), 0U);
  EXPECT_TRUE(planner.advance(at_minute(600)).empty());
}

TEST(EscalationPlanner, CreateRejectsInvalidPolicies) {
  auto broken = packaging_policy();
  broken.levels[1].after = minutes(1);
  const auto planner = EscalationPlanner::create({broken});
  ASSERT_FALSE(planner);
  EXPECT_NE(planner.error().message.find("earlier than the previous"), std::string::npos);
}

TEST(EscalationPlanner, SimultaneousDueTimesComeOutInRaiseOrder) {
  auto planner = make_planner({packaging_policy(std::nullopt)});
  for (const char* id : {"c", "a", "b"}) {
    auto alarm = filler_jam(kMidnight);
    alarm.alarm_id = id;
    planner.raise(alarm);
  }
  const auto due = planner.advance(at_minute(5));
  ASSERT_EQ(due.size(), 3U);
  EXPECT_EQ(due[0].alarm_id, "c");
  EXPECT_EQ(due[1].alarm_id, "a");
  EXPECT_EQ(due[2].alarm_id, "b");
}

// A day of plant time with thousands of alarms coming and going, advanced every 10 s like an
// engine tick, checked against an independent model of the rules: each occurrence gets level k iff
// its due time is before the occurrence ends, and repeats every 15 min after the last level until
// then (events at a tick are applied before that tick's advance()).
TEST(EscalationPlanner, DayOfPlantTimeMatchesAReferenceTimeline) {
  constexpr int kAlarmIds = 1500;
  constexpr Timestamp kTick = seconds(10);
  constexpr Timestamp kDay = hours(24);
  auto policy = packaging_policy();
  policy.scope = "";
  auto planner = make_planner({policy});
  ManualClock clock(kMidnight);

  // Occurrences per alarm id: activation, end (ack/clear/shelve), all on the tick grid.
  struct Occurrence {
    Timestamp start = 0;
    Timestamp end = 0;
  };
  std::mt19937_64 random(20260101);
  std::uniform_int_distribution<std::int64_t> active_ticks(1, 6 * 360);  // up to 6 h open
  std::uniform_int_distribution<std::int64_t> quiet_ticks(1, 3 * 360);
  std::map<Timestamp, std::vector<std::pair<std::string, bool>>> events;  // tick -> (alarm, raise?)
  std::vector<std::tuple<std::string, Timestamp, Timestamp>> occurrences;
  std::size_t peak_open = 0;
  for (int index = 0; index < kAlarmIds; ++index) {
    const std::string id = fmt::format("unit{}.fault", index);
    Timestamp at = kMidnight + quiet_ticks(random) * kTick / 8;
    at -= (at - kMidnight) % kTick;
    while (at < kMidnight + kDay) {
      const Timestamp end = at + active_ticks(random) * kTick;
      events[at].emplace_back(id, true);
      events[end].emplace_back(id, false);
      occurrences.emplace_back(id, at, end);
      at = end + quiet_ticks(random) * kTick;
    }
  }
  ASSERT_GT(occurrences.size(), 5000U);

  std::multiset<std::tuple<Timestamp, std::string, int, int>> expected;  // (due, alarm, level, repeat)
  for (const auto& [id, start, end] : occurrences) {
    for (std::size_t level = 0; level < policy.levels.size(); ++level) {
      const Timestamp due = start + policy.levels[level].after;
      if (due < end && due <= kMidnight + kDay) expected.emplace(due, id, static_cast<int>(level) + 1, 0);
    }
    const Timestamp base = start + policy.levels.back().after;
    for (int repeat = 1;; ++repeat) {
      const Timestamp due = base + repeat * *policy.repeat;
      if (due >= end || due > kMidnight + kDay) break;
      expected.emplace(due, id, 2, repeat);
    }
  }

  std::multiset<std::tuple<Timestamp, std::string, int, int>> actual;
  bool late = false;
  bool out_of_order = false;
  while (clock.now() <= kMidnight + kDay) {
    const Timestamp now = clock.now();
    if (const auto found = events.find(now); found != events.end()) {
      // Ends before starts at the same tick: an alarm cleared and raised again in one tick.
      for (const auto& [id, raise] : found->second) {
        if (!raise) planner.cleared(id);
      }
      for (const auto& [id, raise] : found->second) {
        if (raise) {
          planner.raise(RaisedAlarm{.alarm_id = id,
                                    .equipment_path = "plant/unit",
                                    .priority = "high",
                                    .activated_at = now,
                                    .message = "fault"});
        }
      }
    }
    peak_open = std::max(peak_open, planner.open_count());
    Timestamp previous_due = 0;
    for (const auto& n : planner.advance(now)) {
      late = late || n.due_at != now;  // ticked every 10 s, every due time is met exactly
      out_of_order = out_of_order || n.due_at < previous_due;
      previous_due = n.due_at;
      actual.emplace(n.due_at, n.alarm_id, n.level, n.repeat);
    }
    clock.advance(kTick);
  }
  EXPECT_FALSE(late);
  EXPECT_FALSE(out_of_order);
  EXPECT_GT(peak_open, 1000U);  // over a thousand escalating at once
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_GT(expected.size(), 50000U);
  EXPECT_TRUE(actual == expected);
}

TEST(EscalationPlanner, ThousandsOfShortAlarmsLeaveNothingBehind) {
  auto planner = make_planner({packaging_policy()});
  for (int round = 0; round < 20; ++round) {
    for (int index = 0; index < 5000; ++index) {
      auto alarm = filler_jam(at_minute(round));
      alarm.alarm_id = fmt::format("alarm{}", index);
      planner.raise(alarm);
    }
    for (int index = 0; index < 5000; ++index) planner.acknowledged(fmt::format("alarm{}", index));
  }
  EXPECT_EQ(planner.open_count(), 0U);
  EXPECT_EQ(planner.next_due(), std::nullopt);
  EXPECT_TRUE(planner.advance(at_minute(24 * 60)).empty());
}

}  // namespace
}  // namespace strata::notify
