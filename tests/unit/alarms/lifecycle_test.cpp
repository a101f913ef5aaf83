// The ISA-18.2 state machine: every allowed transition, every refused one, shelving, suppression by
// design, out of service and the record that survives a restart.
#include "alarms/lifecycle.hpp"

#include <gtest/gtest.h>

#include "alarm_test_support.hpp"
#include "alarms/names.hpp"

namespace strata::alarms {
namespace {

using enum AlarmState;
using test::at_second;
using test::hours;
using test::seconds;

constexpr const char* kId = "site/area/L1/filler/temp_high";

OperatorAction by_operator(double second, std::string comment = "seen") {
  return {.at = at_second(second), .actor = "olivia", .comment = std::move(comment)};
}

ShelveRequest timed(Timestamp duration) {
  return {.kind = ShelveKind::Timed, .duration = duration};
}

constexpr ShelveRequest kOneShot{.kind = ShelveKind::OneShot, .duration = 0};

class AlarmLifecycleTest : public ::testing::Test {
 protected:
  model::AlarmDefinition definition = test::high_alarm(kId);
  AlarmLifecycle alarm{definition};

  // Applies a condition change that must produce a transition and returns its target state.
  AlarmState condition(bool active, double second) {
    const auto transition = alarm.on_condition(active, at_second(second));
    EXPECT_TRUE(transition.has_value());
    return transition ? transition->to : alarm.state();
  }
  AlarmState act(const Result<Transition>& result) {
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result ? result->to : alarm.state();
  }
  std::string refusal(const Result<Transition>& result) {
    EXPECT_FALSE(result.ok());
    return result ? std::string() : result.error().message;
  }
};

TEST_F(AlarmLifecycleTest, ActivationAcknowledgementAndReturn) {
  EXPECT_EQ(alarm.state(), Normal);
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(2))), Acknowledged);
  EXPECT_EQ(condition(false, 3), Normal);
}

TEST_F(AlarmLifecycleTest, ReturnBeforeAcknowledgementNeedsAnAcknowledgement) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(condition(false, 2), ReturnedUnacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(3))), Normal);
}

TEST_F(AlarmLifecycleTest, ReAlarmFromReturnedUnacknowledged) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(condition(false, 2), ReturnedUnacknowledged);
  EXPECT_EQ(condition(true, 3), Unacknowledged);
  EXPECT_EQ(alarm.record().active_since, at_second(3)) << "a new activation";
}

TEST_F(AlarmLifecycleTest, ReAlarmAfterAnAcknowledgedReturnIsUnacknowledgedAgain) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(2))), Acknowledged);
  EXPECT_EQ(condition(false, 3), Normal);
  EXPECT_EQ(condition(true, 4), Unacknowledged);
  EXPECT_FALSE(alarm.record().acknowledged_at) << "the acknowledgement belonged to the previous activation";
}

TEST_F(AlarmLifecycleTest, AConditionReportedTwiceChangesNothing) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_FALSE(alarm.on_condition(true, at_second(2)));
  EXPECT_EQ(alarm.record().active_since, at_second(1));
}

TEST_F(AlarmLifecycleTest, TransitionsRecordWhoWhenWhyAndTheCondition) {
  const auto activation = alarm.on_condition(true, at_second(1));
  ASSERT_TRUE(activation);
  EXPECT_EQ(*activation, (Transition{.alarm_id = kId,
                                     .from = Normal,
                                     .to = Unacknowledged,
                                     .action = AlarmAction::ConditionActive,
                                     .at = at_second(1),
                                     .actor = "",
                                     .comment = "",
                                     .condition_active = true}));
  const auto ack = alarm.acknowledge(by_operator(2, "checking the cooler"));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(*ack, (Transition{.alarm_id = kId,
                              .from = Unacknowledged,
                              .to = Acknowledged,
                              .action = AlarmAction::Acknowledge,
                              .at = at_second(2),
                              .actor = "olivia",
                              .comment = "checking the cooler",
                              .condition_active = true}));
  EXPECT_EQ(alarm.record().acknowledged_at, at_second(2));
  EXPECT_EQ(alarm.record().state_since, at_second(2));
}

TEST_F(AlarmLifecycleTest, AcknowledgingIsRefusedWhenThereIsNothingToAcknowledge) {
  EXPECT_EQ(refusal(alarm.acknowledge(by_operator(1))),
            std::string("cannot acknowledge alarm ") + kId + ": it is Normal");
  EXPECT_EQ(condition(true, 2), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(3))), Acknowledged);
  EXPECT_EQ(refusal(alarm.acknowledge(by_operator(4))),
            std::string("cannot acknowledge alarm ") + kId + ": it is Acknowledged");
  EXPECT_EQ(alarm.state(), Acknowledged) << "a refusal changes nothing";
}

TEST_F(AlarmLifecycleTest, AcknowledgementCommentWhenTheDefinitionRequiresIt) {
  definition.comments_required.acknowledge = true;
  AlarmLifecycle strict(definition);
  ASSERT_TRUE(strict.on_condition(true, at_second(1)));
  const auto refused = strict.acknowledge(by_operator(2, "  \t"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, std::string("a comment is required to acknowledge ") + kId)
      << "a blank comment is no comment";
  EXPECT_EQ(strict.state(), Unacknowledged);
  EXPECT_TRUE(strict.acknowledge(by_operator(3, "cooler fan tripped")).ok());
}

class LatchingAlarmTest : public AlarmLifecycleTest {
 protected:
  LatchingAlarmTest() {
    definition.latching = true;
    alarm = AlarmLifecycle(definition);
  }
};

TEST_F(LatchingAlarmTest, AnAcknowledgedLatchedAlarmStaysUntilReset) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(2))), Acknowledged);
  EXPECT_EQ(condition(false, 3), LatchedAcknowledged);
  EXPECT_EQ(act(alarm.reset(by_operator(4))), Normal);
}

TEST_F(LatchingAlarmTest, AnUnacknowledgedLatchedAlarmMustBeAcknowledgedBeforeReset) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(condition(false, 2), LatchedUnacknowledged);
  EXPECT_EQ(refusal(alarm.reset(by_operator(3))),
            std::string("cannot reset alarm ") + kId + ": acknowledge it first");
  EXPECT_EQ(act(alarm.acknowledge(by_operator(4))), LatchedAcknowledged);
  EXPECT_EQ(act(alarm.reset(by_operator(5))), Normal);
}

TEST_F(LatchingAlarmTest, ALatchedAlarmReAlarms) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(2))), Acknowledged);
  EXPECT_EQ(condition(false, 3), LatchedAcknowledged);
  EXPECT_EQ(condition(true, 4), Unacknowledged);
  EXPECT_EQ(condition(false, 5), LatchedUnacknowledged);
}

TEST_F(LatchingAlarmTest, ResetIsRefusedUnlessLatched) {
  EXPECT_EQ(refusal(alarm.reset(by_operator(1))),
            std::string("cannot reset alarm ") + kId + ": it is not latched (it is Normal)");
  EXPECT_EQ(condition(true, 2), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(3))), Acknowledged);
  EXPECT_EQ(refusal(alarm.reset(by_operator(4))),
            std::string("cannot reset alarm ") + kId + ": it is not latched (it is Acknowledged)")
      << "the condition is still active";
}

TEST_F(AlarmLifecycleTest, ResetIsRefusedForANonLatchingAlarm) {
  EXPECT_EQ(condition(true, 1), Unacknowledged);
  EXPECT_EQ(condition(false, 2), ReturnedUnacknowledged);
  EXPECT_EQ(refusal(alarm.reset(by_operator(3))),
            std::string("cannot reset alarm ") + kId + ": it is not latched (it is ReturnedUnacknowledged)");
}

TEST_F(AlarmLifecycleTest, TimedShelveExpiresUnderSimulatedTime) {
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  EXPECT_EQ(act(alarm.shelve(timed(hours(2)), by_operator(10, "known sensor fault, work order 42"))),
            Shelved);
  EXPECT_EQ(alarm.shelve_deadline(), at_second(10) + hours(2));
  EXPECT_FALSE(alarm.advance(at_second(10) + hours(2) - 1));
  const auto expiry = alarm.advance(at_second(10) + hours(3));
  ASSERT_TRUE(expiry);
  EXPECT_EQ(expiry->action, AlarmAction::ShelveExpired);
  EXPECT_EQ(expiry->at, at_second(10) + hours(2)) << "dated at the expiry, not at the late tick";
  EXPECT_EQ(expiry->to, Unacknowledged) << "still active: re-annunciated";
  EXPECT_FALSE(alarm.shelve_deadline());
}

TEST_F(AlarmLifecycleTest, ShelvingANormalAlarmTracksItsConditionWhileHidden) {
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(0, "pump swap ahead"))), Shelved);
  const auto hidden_activation = alarm.on_condition(true, at_second(5));
  ASSERT_TRUE(hidden_activation);
  EXPECT_EQ(hidden_activation->from, Shelved);
  EXPECT_EQ(hidden_activation->to, Shelved);
  EXPECT_EQ(hidden_activation->action, AlarmAction::ConditionActive);
  EXPECT_TRUE(hidden_activation->condition_active) << "the journal can count activations nobody saw";
  EXPECT_EQ(condition(false, 6), Shelved);
  const auto expiry = alarm.advance(at_second(0) + hours(1));
  ASSERT_TRUE(expiry);
  EXPECT_EQ(expiry->to, Normal) << "cleared while shelved: nothing to show";
}

TEST_F(AlarmLifecycleTest, UnshelvingAnAcknowledgedActiveAlarmReAnnunciatesIt) {
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(1))), Acknowledged);
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(2))), Shelved);
  EXPECT_EQ(act(alarm.unshelve(by_operator(3))), Unacknowledged);
}

TEST_F(AlarmLifecycleTest, ShelvingAgainReplacesTheShelve) {
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(0))), Shelved);
  const auto extension = alarm.shelve(timed(hours(2)), by_operator(1800, "still waiting for the fitter"));
  ASSERT_TRUE(extension.ok());
  EXPECT_EQ(extension->from, Shelved);
  EXPECT_EQ(alarm.shelve_deadline(), at_second(1800) + hours(2));
  EXPECT_EQ(alarm.record().shelve_comment, "still waiting for the fitter");
}

TEST_F(AlarmLifecycleTest, OneShotShelveEndsWhenTheAlarmReturnsToNormal) {
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  EXPECT_EQ(act(alarm.shelve(kOneShot, by_operator(1))), Shelved);
  EXPECT_EQ(alarm.shelve_kind(), ShelveKind::OneShot);
  const auto end = alarm.on_condition(false, at_second(30));
  ASSERT_TRUE(end);
  EXPECT_EQ(end->action, AlarmAction::OneShotShelveEnded);
  EXPECT_EQ(end->to, Normal);
  EXPECT_FALSE(end->condition_active);
  EXPECT_EQ(alarm.shelve_kind(), ShelveKind::None);
  EXPECT_EQ(condition(true, 40), Unacknowledged) << "the next activation is annunciated";
}

TEST_F(AlarmLifecycleTest, OneShotShelveIsStillCappedAtTheMaximum) {
  definition.max_shelve_duration = hours(2);
  alarm = AlarmLifecycle(definition);
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  EXPECT_EQ(act(alarm.shelve(kOneShot, by_operator(0))), Shelved);
  const auto expiry = alarm.advance(at_second(0) + hours(2));
  ASSERT_TRUE(expiry);
  EXPECT_EQ(expiry->action, AlarmAction::ShelveExpired);
  EXPECT_EQ(expiry->to, Unacknowledged);
}

TEST_F(AlarmLifecycleTest, ShelvingRefusals) {
  definition.max_shelve_duration = hours(2);
  alarm = AlarmLifecycle(definition);
  EXPECT_EQ(refusal(alarm.shelve(timed(hours(3)), by_operator(0))),
            std::string("shelve duration 3h exceeds the maximum 2h for ") + kId);
  EXPECT_EQ(refusal(alarm.shelve(timed(0), by_operator(0))),
            std::string("cannot shelve alarm ") + kId + ": the shelve duration must be positive");
  EXPECT_EQ(refusal(alarm.shelve(timed(hours(1)), by_operator(0, ""))),
            std::string("a comment is required to shelve ") + kId);
  EXPECT_EQ(refusal(alarm.shelve(kOneShot, by_operator(0))),
            std::string("cannot one-shot shelve alarm ") + kId +
                ": it is not active (a one-shot shelve ends when the alarm returns to normal)");
  EXPECT_EQ(refusal(alarm.shelve({.kind = ShelveKind::None, .duration = hours(1)}, by_operator(0))),
            std::string("cannot shelve alarm ") + kId + ": no shelve kind given");
  EXPECT_EQ(refusal(alarm.unshelve(by_operator(0))),
            std::string("cannot unshelve alarm ") + kId + ": it is not shelved (it is Normal)");
  EXPECT_EQ(alarm.state(), Normal);
}

TEST_F(AlarmLifecycleTest, AnAlarmWithoutMaximumCannotBeShelved) {
  definition.max_shelve_duration = 0;
  alarm = AlarmLifecycle(definition);
  EXPECT_EQ(refusal(alarm.shelve(timed(seconds(60)), by_operator(0))),
            std::string("alarm ") + kId + " cannot be shelved: its definition allows no shelving");
}

TEST_F(AlarmLifecycleTest, AHiddenAlarmCannotBeAcknowledgedOrReset) {
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(1))), Shelved);
  EXPECT_EQ(refusal(alarm.acknowledge(by_operator(2))),
            std::string("cannot acknowledge alarm ") + kId + ": it is Shelved");
  EXPECT_EQ(refusal(alarm.reset(by_operator(3))),
            std::string("cannot reset alarm ") + kId + ": it is Shelved");
}

TEST_F(AlarmLifecycleTest, SuppressionByDesignHidesAndReturnsFromTheCondition) {
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  const auto suppress = alarm.on_suppression(true, at_second(1));
  ASSERT_TRUE(suppress);
  EXPECT_EQ(suppress->action, AlarmAction::Suppress);
  EXPECT_EQ(suppress->to, SuppressedByDesign);
  EXPECT_FALSE(alarm.on_suppression(true, at_second(2))) << "already suppressed";
  EXPECT_EQ(condition(false, 3), SuppressedByDesign);
  const auto unsuppress = alarm.on_suppression(false, at_second(4));
  ASSERT_TRUE(unsuppress);
  EXPECT_EQ(unsuppress->action, AlarmAction::Unsuppress);
  EXPECT_EQ(unsuppress->to, Normal) << "the unacknowledged return from before is dropped";

  ASSERT_TRUE(alarm.on_suppression(true, at_second(5)));
  EXPECT_EQ(condition(true, 6), SuppressedByDesign);
  const auto back = alarm.on_suppression(false, at_second(7));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to, Unacknowledged) << "active when the unit's state allows it again: annunciated";
}

TEST_F(AlarmLifecycleTest, OutOfServiceEndsAShelveAndReturnsFromTheCondition) {
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(0))), Shelved);
  EXPECT_EQ(act(alarm.remove_from_service(by_operator(1, "transmitter replaced, permit 7"))), OutOfService);
  EXPECT_EQ(alarm.shelve_kind(), ShelveKind::None);
  EXPECT_EQ(refusal(alarm.remove_from_service(by_operator(2))),
            std::string("alarm ") + kId + " is already out of service");
  EXPECT_EQ(refusal(alarm.shelve(timed(hours(1)), by_operator(3))),
            std::string("cannot shelve alarm ") + kId + ": it is OutOfService");
  EXPECT_EQ(condition(true, 4), OutOfService);
  EXPECT_EQ(act(alarm.return_to_service(by_operator(5))), Unacknowledged);
  EXPECT_EQ(refusal(alarm.return_to_service(by_operator(6))),
            std::string("cannot return alarm ") + kId +
                " to service: it is not out of service (it is Unacknowledged)");
}

TEST_F(AlarmLifecycleTest, RemovalFromServiceNeedsACommentByDefault) {
  EXPECT_EQ(refusal(alarm.remove_from_service(by_operator(0, ""))),
            std::string("a comment is required to remove from service ") + kId);
  EXPECT_EQ(alarm.state(), Normal);
}

TEST_F(AlarmLifecycleTest, TheStrongestReasonToHideIsShown) {
  ASSERT_TRUE(alarm.on_suppression(true, at_second(0)));
  EXPECT_EQ(alarm.state(), SuppressedByDesign);
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(1))), Shelved) << "shelved beats suppressed";
  EXPECT_EQ(act(alarm.remove_from_service(by_operator(2))), OutOfService) << "out of service beats both";
  EXPECT_EQ(act(alarm.return_to_service(by_operator(3))), SuppressedByDesign)
      << "the shelve ended, the unit state did not";
}

TEST_F(AlarmLifecycleTest, ARecordRestoresEveryFact) {
  EXPECT_EQ(condition(true, 0), Unacknowledged);
  EXPECT_EQ(act(alarm.acknowledge(by_operator(1))), Acknowledged);
  EXPECT_EQ(act(alarm.shelve(timed(hours(1)), by_operator(2, "noisy"))), Shelved);
  const AlarmRecord record = alarm.record();
  EXPECT_EQ(record.alarm_id, kId);
  EXPECT_EQ(record.state, Shelved);
  EXPECT_EQ(record.shelve, ShelveKind::Timed);
  EXPECT_EQ(record.shelved_by, "olivia");
  EXPECT_EQ(record.shelve_expires_at, at_second(2) + hours(1));

  AlarmLifecycle restored(definition);
  restored.restore(record);
  EXPECT_EQ(restored.record(), record);
  const auto expiry = restored.advance(at_second(2) + hours(1));
  ASSERT_TRUE(expiry);
  EXPECT_EQ(expiry->to, Unacknowledged);
}

TEST(AlarmNames, RoundTripAndDurations) {
  for (auto state : {Normal, Unacknowledged, Acknowledged, ReturnedUnacknowledged, LatchedUnacknowledged,
                     LatchedAcknowledged, Shelved, SuppressedByDesign, OutOfService}) {
    EXPECT_EQ(parse_alarm_state(to_string(state)), state);
  }
  EXPECT_EQ(parse_alarm_kind("rate_of_change"), model::AlarmKind::RateOfChange);
  EXPECT_EQ(parse_shelve_kind("one_shot"), ShelveKind::OneShot);
  EXPECT_EQ(parse_alarm_action(to_string(AlarmAction::OneShotShelveEnded)), AlarmAction::OneShotShelveEnded);
  EXPECT_FALSE(parse_alarm_kind("HIGH"));
  EXPECT_EQ(describe_duration(hours(2)), "2h");
  EXPECT_EQ(describe_duration(hours(1) + seconds(1800)), "1h30m");
  EXPECT_EQ(describe_duration(seconds(90)), "1m30s");
  EXPECT_EQ(describe_duration(seconds(1.5)), "1.5s");
  EXPECT_EQ(describe_duration(seconds(0.25)), "250ms");
  EXPECT_EQ(describe_duration(0), "0s");
}

}  // namespace
}  // namespace strata::alarms
