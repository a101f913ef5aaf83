// Escalation driven by the engine under simulated plant time: an alarm raised and never acknowledged
// notifies the supervisor after 5 min, the area manager after 15 min, then repeats every 30 min for hours;
// acknowledging stops it; a re-alarm starts a new escalation; shelving stops it; a policy for another
// priority does not apply. Hours of plant time run in milliseconds (ManualClock, Engine::run_once).
#include "escalation/alarm_escalation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "alarms/alarm_book.hpp"
#include "engine/engine.hpp"
#include "unit/support/test_plant.hpp"

namespace strata::escalation {
namespace {

constexpr Timestamp kSecond = kMicrosPerSecond;
constexpr Timestamp kMinute = 60 * kSecond;
constexpr Timestamp kHour = 60 * kMinute;
constexpr Timestamp kStart = 1'780'000'000LL * kSecond;

// test::two_unit_plant(): tag 0 filler state, 1 filler speed.
constexpr model::TagIndex kFillerSpeed = 1;
const std::string kFiller = "site/area/L1/filler";
const std::string kSpeedHigh = kFiller + "/speed_high";

model::Plant plant_with_alarm() {
  auto plant = test::two_unit_plant();
  model::AlarmDefinition speed_high;
  speed_high.id = kSpeedHigh;
  speed_high.name = "Filler speed high";
  speed_high.unit_id = kFiller;
  speed_high.kind = model::AlarmKind::High;
  speed_high.tag = kFillerSpeed;
  speed_high.limit = 100.0;
  speed_high.priority = 2;  // high
  speed_high.message = "speed above 100";
  plant.alarms.push_back(speed_high);
  return plant;
}

std::vector<model::EscalationPolicy> policies() {
  model::EscalationPolicy high;
  high.scope = "site/area";
  high.priority = "high";
  high.levels = {{5 * kMinute, "shift_supervisor", {true, {}, {}}},
                 {15 * kMinute, "area_manager", {true, {}, {}}}};
  high.repeat = 30 * kMinute;
  model::EscalationPolicy low;  // must not apply to a high alarm
  low.priority = "low";
  low.levels = {{1 * kMinute, "nobody", {true, {}, {}}}};
  return {high, low};
}

struct Sent {
  Timestamp after = 0;  // since the activation
  std::string role;
  int repeat = 0;
  friend bool operator==(const Sent&, const Sent&) = default;
};

class EngineEscalation : public ::testing::Test {
 protected:
  EngineEscalation() : clock_(kStart), plant_(plant_with_alarm()), engine_(plant_, clock_) {
    auto book = alarms::AlarmBook::create(plant_.alarms);
    EXPECT_TRUE(book.ok());
    engine_.set_alarms(std::move(*book));
    auto planner = notify::EscalationPlanner::create(policies());
    EXPECT_TRUE(planner.ok());
    escalation_ = std::make_unique<AlarmEscalation>(std::move(*planner), [this](notify::Notification note) {
      sent_.push_back({note.due_at - note.activated_at, note.role, note.repeat});
    });
    engine_.add_listener(escalation_.get());
  }

  void speed(double value) {
    engine_.push({model::TagUpdate{kFillerSpeed, value, model::Quality::Good, clock_.now()}});
    engine_.run_once();
  }
  // Plant time passes in engine ticks of one second.
  void run_for(Timestamp duration) {
    const Timestamp end = clock_.now() + duration;
    while (clock_.now() < end) {
      clock_.advance(kSecond);
      engine_.run_once();
    }
  }
  void operate(engine::AlarmOperationKind kind, alarms::ShelveRequest shelve = {}) {
    auto done = engine_.alarm_operation({kind, kSpeedHigh, shelve, "operator", "looked at it"});
    engine_.run_once();
    ASSERT_TRUE(done.get().ok());
  }

  ManualClock clock_;
  model::Plant plant_;
  engine::Engine engine_;
  std::unique_ptr<AlarmEscalation> escalation_;
  std::vector<Sent> sent_;
};

TEST_F(EngineEscalation, UnacknowledgedAlarmClimbsTheLevelsAndRepeatsForHours) {
  speed(120);
  run_for(4 * kHour);
  const std::vector<Sent> expected{{5 * kMinute, "shift_supervisor", 0}, {15 * kMinute, "area_manager", 0},
                                   {45 * kMinute, "area_manager", 1},    {75 * kMinute, "area_manager", 2},
                                   {105 * kMinute, "area_manager", 3},   {135 * kMinute, "area_manager", 4},
                                   {165 * kMinute, "area_manager", 5},   {195 * kMinute, "area_manager", 6},
                                   {225 * kMinute, "area_manager", 7}};
  EXPECT_EQ(sent_, expected);
}

TEST_F(EngineEscalation, AcknowledgingStopsItAndAReAlarmStartsAfresh) {
  speed(120);
  run_for(10 * kMinute);
  ASSERT_EQ(sent_.size(), 1U) << "the supervisor at 5 min";
  operate(engine::AlarmOperationKind::Acknowledge);
  run_for(2 * kHour);
  EXPECT_EQ(sent_.size(), 1U) << "nothing after the acknowledgement";

  speed(50);  // clears
  run_for(kMinute);
  speed(130);  // a new activation
  run_for(6 * kMinute);
  ASSERT_EQ(sent_.size(), 2U);
  EXPECT_EQ(sent_.back(), (Sent{5 * kMinute, "shift_supervisor", 0})) << "counted from the new activation";
}

TEST_F(EngineEscalation, ShelvingStopsIt) {
  speed(120);
  run_for(7 * kMinute);
  ASSERT_EQ(sent_.size(), 1U);
  operate(engine::AlarmOperationKind::Shelve, {alarms::ShelveKind::Timed, 2 * kHour});
  run_for(90 * kMinute);
  EXPECT_EQ(sent_.size(), 1U) << "a shelved alarm does not escalate";
}

TEST_F(EngineEscalation, ResumesUnacknowledgedAlarmsAfterARestart) {
  speed(120);
  run_for(2 * kMinute);
  const auto records = engine_.state().alarms->snapshot();
  ASSERT_EQ(records.size(), 1U);

  // A fresh node with the restored book: the alarm escalates from its original activation time.
  auto book = alarms::AlarmBook::create(plant_.alarms);
  ASSERT_TRUE(book.ok());
  book->restore(records);
  auto planner = notify::EscalationPlanner::create(policies());
  ASSERT_TRUE(planner.ok());
  std::vector<Sent> after_restart;
  AlarmEscalation resumed(std::move(*planner), [&](notify::Notification note) {
    after_restart.push_back({note.due_at - note.activated_at, note.role, note.repeat});
  });
  resumed.resume(*book);
  resumed.on_tick(clock_.now() + 3 * kMinute);
  EXPECT_EQ(after_restart, (std::vector<Sent>{{5 * kMinute, "shift_supervisor", 0}}));
}

}  // namespace
}  // namespace strata::escalation
