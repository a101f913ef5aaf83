// The alarm book: checks, dispatch by tag and unit, delays and shelve expiry over time, operator actions
// by id, console queries and the snapshot / restore round trip.
#include "alarms/alarm_book.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "alarm_test_support.hpp"

namespace strata::alarms {
namespace {

using enum AlarmState;
using model::AlarmKind;
using states::PackMLState;
using test::at_second;
using test::good;
using test::hours;
using test::seconds;

constexpr model::TagIndex kTemperature = 0;
constexpr model::TagIndex kSpeed = 1;
constexpr model::TagIndex kSpeedSetpoint = 2;
constexpr model::TagIndex kUnrelated = 9;
constexpr const char* kFiller = "site/area/L1/filler";
constexpr const char* kCapper = "site/area/L1/capper";

model::AlarmDefinition alarm(std::string id, AlarmKind kind, std::optional<model::TagIndex> tag, double limit,
                             std::size_t priority = 0, std::string unit = kFiller) {
  model::AlarmDefinition definition = test::high_alarm(std::move(id), limit);
  definition.kind = kind;
  definition.tag = tag;
  definition.priority = priority;
  definition.unit_id = std::move(unit);
  return definition;
}

std::vector<model::AlarmDefinition> plant_alarms() {
  auto temp_high = alarm("site/area/L1/filler/temp_high", AlarmKind::High, kTemperature, 80, 1);
  auto temp_high_high = alarm("site/area/L1/filler/temp_high_high", AlarmKind::HighHigh, kTemperature, 95, 3);
  temp_high_high.latching = true;
  auto speed_low = alarm("site/area/L1/filler/speed_low", AlarmKind::Low, kSpeed, 300, 0);
  speed_low.active_only_in = {PackMLState::Execute};
  speed_low.on_delay = seconds(10);
  auto speed_deviation = alarm("site/area/L1/filler/speed_deviation", AlarmKind::Deviation, kSpeed, 50, 0);
  speed_deviation.setpoint_tag = kSpeedSetpoint;
  auto fault = alarm("site/area/L1/capper/fault", AlarmKind::PackMLFault, std::nullopt, 0, 2, kCapper);
  return {temp_high, temp_high_high, speed_low, speed_deviation, fault};
}

OperatorAction by_operator(Timestamp at, std::string comment = "seen") {
  return {.at = at, .actor = "olivia", .comment = std::move(comment)};
}

class AlarmBookTest : public ::testing::Test {
 protected:
  AlarmBook book = AlarmBook::create(plant_alarms()).value();

  AlarmState state(std::string_view id) const { return book.lifecycle(*book.find(id)).state(); }
  void sample(model::TagIndex tag, double value, Timestamp at) { book.on_sample(tag, good(value, at)); }
  std::vector<std::pair<std::string, AlarmState>> drained() {
    std::vector<std::pair<std::string, AlarmState>> moves;
    for (const auto& transition : book.drain_transitions())
      moves.emplace_back(transition.alarm_id, transition.to);
    return moves;
  }
};

using Moves = std::vector<std::pair<std::string, AlarmState>>;

TEST(AlarmBookCreate, RefusesBrokenDefinitions) {
  const auto refusal = [](std::vector<model::AlarmDefinition> definitions) {
    auto book = AlarmBook::create(std::move(definitions));
    return book ? std::string("accepted") : book.error().message;
  };
  auto twin = plant_alarms();
  twin.push_back(twin.front());
  EXPECT_EQ(refusal(twin), "alarm site/area/L1/filler/temp_high is defined twice");
  EXPECT_EQ(refusal({alarm("a/x", AlarmKind::High, std::nullopt, 1)}), "alarm a/x: a high alarm needs a tag");
  EXPECT_EQ(refusal({alarm("a/x", AlarmKind::High, 0, 1, 4)}),
            "alarm a/x: priority 4 is outside the 4 configured priorities");
  EXPECT_EQ(refusal({alarm("a/x", AlarmKind::PackMLFault, 0, 0)}),
            "alarm a/x: a packml_fault alarm takes no tag (it watches its unit's PackML state)");
  auto deviation = alarm("a/x", AlarmKind::Deviation, 0, 2);
  deviation.deadband = 3;
  EXPECT_EQ(refusal({deviation}),
            "alarm a/x: deadband 3 is larger than the limit 2: the alarm could never return to normal");
  auto high_with_setpoint = alarm("a/x", AlarmKind::High, 0, 2);
  high_with_setpoint.setpoint_tag = 1;
  EXPECT_EQ(refusal({high_with_setpoint}),
            "alarm a/x: only deviation alarms take a setpoint tag, this one is high");
  auto unitless = alarm("a/x", AlarmKind::High, 0, 2, 0, "");
  unitless.active_only_in = {PackMLState::Execute};
  EXPECT_EQ(refusal({unitless}), "alarm a/x: active_only_in needs a unit whose state to follow");
  auto negative_delay = alarm("a/x", AlarmKind::High, 0, 2);
  negative_delay.on_delay = -1;
  EXPECT_EQ(refusal({negative_delay}), "alarm a/x: delays must not be negative");
  EXPECT_EQ(AlarmBook::create(plant_alarms(), {}).error().message, "the plant has no alarm priorities");
}

TEST_F(AlarmBookTest, OneTagFeedsEveryAlarmThatReadsIt) {
  sample(kTemperature, 90, at_second(1));
  EXPECT_EQ(drained(), (Moves{{"site/area/L1/filler/temp_high", Unacknowledged}}));
  sample(kTemperature, 96, at_second(2));
  EXPECT_EQ(drained(), (Moves{{"site/area/L1/filler/temp_high_high", Unacknowledged}}));
  sample(kTemperature, 70, at_second(3));
  EXPECT_EQ(drained(), (Moves{{"site/area/L1/filler/temp_high", ReturnedUnacknowledged},
                              {"site/area/L1/filler/temp_high_high", LatchedUnacknowledged}}));
  sample(kUnrelated, 1000, at_second(4));
  EXPECT_TRUE(book.pending_transitions().empty()) << "a tag no alarm reads costs nothing";
}

TEST_F(AlarmBookTest, ATagCanBeASetpoint) {
  sample(kSpeed, 600, at_second(1));
  EXPECT_TRUE(drained().empty()) << "no setpoint yet";
  sample(kSpeedSetpoint, 500, at_second(2));
  EXPECT_EQ(drained(), (Moves{{"site/area/L1/filler/speed_deviation", Unacknowledged}}));
  sample(kSpeedSetpoint, 600, at_second(3));
  EXPECT_EQ(drained(), (Moves{{"site/area/L1/filler/speed_deviation", ReturnedUnacknowledged}}));
}

TEST_F(AlarmBookTest, SamplesAreTimedByTheEngineClock) {
  book.on_sample(kTemperature, {.value = 90.0,
                                .quality = model::Quality::Good,
                                .source_time = at_second(1),
                                .server_time = at_second(2)});
  book.on_sample(
      kTemperature,
      {.value = 70.0, .quality = model::Quality::Good, .source_time = at_second(5), .server_time = 0});
  const auto transitions = book.drain_transitions();
  ASSERT_EQ(transitions.size(), 2U);
  EXPECT_EQ(transitions[0].at, at_second(2)) << "server time when stamped";
  EXPECT_EQ(transitions[1].at, at_second(5)) << "source time otherwise";
}

TEST_F(AlarmBookTest, UnitStateSuppressesByDesignAndDrivesPackMLFaults) {
  const std::string speed_low = "site/area/L1/filler/speed_low";
  sample(kSpeed, 100, at_second(0));
  book.advance(at_second(10));
  EXPECT_EQ(drained(), (Moves{{speed_low, Unacknowledged}})) << "no unit state known yet: not suppressed";
  EXPECT_TRUE(book.on_unit_state(kFiller, PackMLState::Stopping, at_second(20)));
  EXPECT_EQ(drained(), (Moves{{speed_low, SuppressedByDesign}}));
  book.on_unit_state(kFiller, PackMLState::Stopped, at_second(21));
  EXPECT_TRUE(drained().empty()) << "still suppressed";
  book.on_unit_state(kFiller, PackMLState::Execute, at_second(30));
  EXPECT_EQ(drained(), (Moves{{speed_low, SuppressedByDesign}, {speed_low, Normal}}))
      << "leaving suppression re-arms: the slowness built up while stopped is cleared, not annunciated";
  book.advance(at_second(39));
  EXPECT_TRUE(drained().empty()) << "the on-delay runs again from the return to Execute";
  book.advance(at_second(40));
  EXPECT_EQ(drained(), (Moves{{speed_low, Unacknowledged}})) << "still slow 10 s after running again";

  const std::string fault = "site/area/L1/capper/fault";
  book.on_unit_state(kCapper, PackMLState::Execute, at_second(40));
  EXPECT_TRUE(drained().empty());
  book.on_unit_state(kCapper, PackMLState::Aborting, at_second(41));
  EXPECT_EQ(drained(), (Moves{{fault, Unacknowledged}}));
  book.on_unit_state(kCapper, PackMLState::Aborted, at_second(42));
  EXPECT_TRUE(drained().empty()) << "still a fault state";
  book.on_unit_state(kCapper, PackMLState::Clearing, at_second(50));
  EXPECT_EQ(drained(), (Moves{{fault, ReturnedUnacknowledged}}));
  book.on_unit_state(kCapper, PackMLState::Suspended, at_second(60));
  EXPECT_TRUE(drained().empty()) << "suspended is starved or blocked, not a fault";
  EXPECT_FALSE(book.on_unit_state("site/area/L1/labeler", PackMLState::Aborted, at_second(70)));
}

TEST(AlarmBookRules, PackMLFaultStates) {
  std::vector<PackMLState> faults;
  for (int number = 0; number < states::kStateCount; ++number) {
    const auto state = static_cast<PackMLState>(number);
    if (is_packml_fault(state)) faults.push_back(state);
  }
  EXPECT_EQ(faults, (std::vector{PackMLState::Aborting, PackMLState::Aborted, PackMLState::Holding,
                                 PackMLState::Held}));
}

TEST_F(AlarmBookTest, AdvanceCompletesDelaysAndExpiresShelvesInTimeOrder) {
  const std::string speed_low = "site/area/L1/filler/speed_low";
  book.on_unit_state(kFiller, PackMLState::Execute, at_second(0));
  sample(kSpeed, 100, at_second(0));
  book.advance(at_second(9));
  EXPECT_TRUE(drained().empty()) << "the 10 s on-delay is still running";
  ASSERT_TRUE(
      book.shelve(speed_low, {.kind = ShelveKind::Timed, .duration = seconds(5)}, by_operator(at_second(3))));
  EXPECT_EQ(drained(), (Moves{{speed_low, Shelved}}));
  book.advance(at_second(60));
  const auto transitions = book.drain_transitions();
  ASSERT_EQ(transitions.size(), 2U);
  EXPECT_EQ(transitions[0].action, AlarmAction::ShelveExpired);
  EXPECT_EQ(transitions[0].at, at_second(8));
  EXPECT_EQ(transitions[0].to, Normal);
  EXPECT_EQ(transitions[1].action, AlarmAction::ConditionActive);
  EXPECT_EQ(transitions[1].at, at_second(10));
  EXPECT_EQ(transitions[1].to, Unacknowledged);
}

TEST_F(AlarmBookTest, OperatorActionsByIdGoToTheOutboxToo) {
  sample(kTemperature, 90, at_second(1));
  (void)book.drain_transitions();
  const auto ack = book.acknowledge("site/area/L1/filler/temp_high", by_operator(at_second(2)));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(book.pending_transitions(), std::vector{*ack});
  const auto missing = book.acknowledge("site/area/L1/filler/nope", by_operator(at_second(3)));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "no alarm site/area/L1/filler/nope");
  const auto refused = book.acknowledge("site/area/L1/filler/temp_high", by_operator(at_second(3)));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(book.pending_transitions().size(), 1U) << "refusals are not journaled";
  EXPECT_EQ(book.drain_transitions().size(), 1U);
  EXPECT_TRUE(book.pending_transitions().empty());
}

TEST_F(AlarmBookTest, ConsoleListFiltersAndPutsTheMostUrgentFirst) {
  sample(kTemperature, 99, at_second(1));  // temp_high (priority 1) and temp_high_high (priority 3)
  book.on_unit_state(kCapper, PackMLState::Held, at_second(2));  // fault (priority 2)
  sample(kSpeed, 100, at_second(3));                             // speed_low pending its on-delay: Normal
  const auto ids = [](const std::vector<AlarmView>& views) {
    std::vector<std::string> result;
    result.reserve(views.size());
    for (const auto& view : views) result.push_back(view.definition->id);
    return result;
  };
  const AlarmFilter active{.states = {Unacknowledged, Acknowledged}, .priorities = {}, .scope = ""};
  EXPECT_EQ(ids(book.list(active)),
            (std::vector<std::string>{"site/area/L1/filler/temp_high_high", "site/area/L1/capper/fault",
                                      "site/area/L1/filler/temp_high"}));
  EXPECT_EQ(ids(book.list({.states = {Unacknowledged}, .priorities = {1, 2}, .scope = ""})),
            (std::vector<std::string>{"site/area/L1/capper/fault", "site/area/L1/filler/temp_high"}));
  EXPECT_EQ(ids(book.list({.states = {Unacknowledged}, .priorities = {}, .scope = "site/area/L1/capper"})),
            (std::vector<std::string>{"site/area/L1/capper/fault"}));
  EXPECT_EQ(
      ids(book.list({.states = {Unacknowledged}, .priorities = {}, .scope = "site/area/L1/cap"})).size(), 0U)
      << "scopes match whole path segments";
  EXPECT_EQ(book.list({}).size(), book.size()) << "no filter: every alarm";
}

TEST_F(AlarmBookTest, ShelvedListExpiringFirstFirst) {
  ASSERT_TRUE(book.shelve("site/area/L1/filler/temp_high", {.kind = ShelveKind::Timed, .duration = hours(4)},
                          by_operator(at_second(0))));
  ASSERT_TRUE(book.shelve("site/area/L1/filler/speed_low", {.kind = ShelveKind::Timed, .duration = hours(1)},
                          by_operator(at_second(0), "changeover")));
  const auto shelved = book.shelved();
  ASSERT_EQ(shelved.size(), 2U);
  EXPECT_EQ(shelved[0].definition->id, "site/area/L1/filler/speed_low");
  EXPECT_EQ(shelved[0].record.shelve_expires_at, at_second(0) + hours(1));
  EXPECT_EQ(shelved[0].record.shelve_comment, "changeover");
  EXPECT_EQ(shelved[1].definition->id, "site/area/L1/filler/temp_high");
}

TEST_F(AlarmBookTest, SnapshotAndRestoreRoundTrip) {
  // temp_high Acknowledged, temp_high_high LatchedAcknowledged, speed_deviation ReturnedUnacknowledged,
  // speed_low Shelved (timed) while suppressed, fault Unacknowledged.
  sample(kTemperature, 99, at_second(1));
  ASSERT_TRUE(book.acknowledge("site/area/L1/filler/temp_high", by_operator(at_second(2))));
  ASSERT_TRUE(book.acknowledge("site/area/L1/filler/temp_high_high", by_operator(at_second(2))));
  sample(kTemperature, 90, at_second(3));
  sample(kSpeedSetpoint, 500, at_second(4));
  sample(kSpeed, 600, at_second(5));
  sample(kSpeed, 520, at_second(6));
  book.on_unit_state(kFiller, PackMLState::Stopped, at_second(7));
  ASSERT_TRUE(book.shelve("site/area/L1/filler/speed_low", {.kind = ShelveKind::Timed, .duration = hours(1)},
                          by_operator(at_second(8))));
  book.on_unit_state(kCapper, PackMLState::Aborting, at_second(9));
  const auto snapshot = book.snapshot();
  ASSERT_EQ(snapshot.size(), 5U);

  AlarmBook restarted = AlarmBook::create(plant_alarms()).value();
  const auto summary = restarted.restore(snapshot);
  EXPECT_EQ(summary.restored, 5U);
  EXPECT_TRUE(summary.unknown_alarms.empty());
  EXPECT_EQ(restarted.snapshot(), snapshot);
  EXPECT_TRUE(restarted.pending_transitions().empty()) << "restoring is not an event";
  const auto restored_state = [&](std::string_view id) {
    return restarted.lifecycle(*restarted.find(id)).state();
  };
  EXPECT_EQ(restored_state("site/area/L1/filler/temp_high"), Acknowledged);
  EXPECT_EQ(restored_state("site/area/L1/filler/temp_high_high"), LatchedAcknowledged);
  EXPECT_EQ(restored_state("site/area/L1/filler/speed_deviation"), ReturnedUnacknowledged);
  EXPECT_EQ(restored_state("site/area/L1/filler/speed_low"), Shelved);
  EXPECT_EQ(restored_state("site/area/L1/capper/fault"), Unacknowledged);

  // The restored book carries on: a normal sample clears the restored active alarm, the shelve expires.
  restarted.on_sample(kTemperature, good(20.0, at_second(100)));
  restarted.advance(at_second(8) + hours(1));
  const auto transitions = restarted.drain_transitions();
  ASSERT_EQ(transitions.size(), 2U);
  EXPECT_EQ(transitions[0].alarm_id, "site/area/L1/filler/temp_high");
  EXPECT_EQ(transitions[0].to, Normal);
  EXPECT_EQ(transitions[1].alarm_id, "site/area/L1/filler/speed_low");
  EXPECT_EQ(transitions[1].to, SuppressedByDesign) << "the shelve ended, the unit is still stopped";
}

TEST_F(AlarmBookTest, RestoreStartsFromNormalAndSkipsUnknownAlarms) {
  sample(kTemperature, 90, at_second(1));
  AlarmRecord gone;
  gone.alarm_id = "site/area/L1/filler/retired";
  gone.condition_active = true;
  gone.acknowledged = false;
  const auto summary = book.restore(std::vector{gone});
  EXPECT_EQ(summary.restored, 0U);
  EXPECT_EQ(summary.unknown_alarms, std::vector<std::string>{"site/area/L1/filler/retired"});
  EXPECT_TRUE(book.snapshot().empty()) << "the active temp_high was reset by the restore";
  EXPECT_EQ(state("site/area/L1/filler/temp_high"), Normal);
}

}  // namespace
}  // namespace strata::alarms
