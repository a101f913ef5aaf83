// The alarm book inside the engine: samples and unit states feed it, end_tick advances plant time and
// journals every transition as an "alarm" event (transition + the alarm's record after it), operator
// actions are journaled and committed before their future is ready, and listeners see the transitions.
// Plant time is a ManualClock; the journal is a real SQLite store behind a StoreWriter. The restart test
// (persisted_alarm_states) lives in tests/unit/reporting/alarm_history_test.cpp, which links reporting.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alarms/alarm_book.hpp"
#include "alarms/names.hpp"
#include "engine/alarm_journal.hpp"
#include "engine/engine.hpp"
#include "store/store.hpp"
#include "store/store_writer.hpp"
#include "unit/store/temp_dir.hpp"
#include "unit/support/test_plant.hpp"

namespace strata::engine {
namespace {

using alarms::AlarmAction;
using alarms::AlarmState;
using model::Quality;
using model::TagUpdate;
using nlohmann::json;
using states::PackMLState;

constexpr Timestamp kSecond = kMicrosPerSecond;
constexpr Timestamp kMinute = 60 * kSecond;
constexpr Timestamp kHour = 60 * kMinute;

// test::two_unit_plant(): tag 0 filler state, 1 filler speed, 2 capper state, 3 capper speed.
constexpr model::TagIndex kFillerState = 0;
constexpr model::TagIndex kFillerSpeed = 1;
constexpr model::TagIndex kCapperState = 2;
constexpr model::TagIndex kCapperSpeed = 3;
const std::string kFiller = "site/area/L1/filler";
const std::string kCapper = "site/area/L1/capper";
const std::string kSpeedHigh = kFiller + "/speed_high";
const std::string kFault = kFiller + "/fault";
const std::string kCapperSlow = kCapper + "/speed_low";

model::Plant plant_with_alarms() {
  auto plant = test::two_unit_plant();
  model::AlarmDefinition speed_high;
  speed_high.id = kSpeedHigh;
  speed_high.name = "Filler speed high";
  speed_high.unit_id = kFiller;
  speed_high.kind = model::AlarmKind::High;
  speed_high.tag = kFillerSpeed;
  speed_high.limit = 100.0;
  speed_high.deadband = 5.0;
  speed_high.on_delay = 5 * kSecond;
  speed_high.priority = 1;  // medium
  plant.alarms.push_back(speed_high);

  model::AlarmDefinition fault;
  fault.id = kFault;
  fault.name = "Filler fault";
  fault.unit_id = kFiller;
  fault.kind = model::AlarmKind::PackMLFault;
  fault.priority = 2;  // high
  plant.alarms.push_back(fault);

  model::AlarmDefinition slow;
  slow.id = kCapperSlow;
  slow.name = "Capper speed low";
  slow.unit_id = kCapper;
  slow.kind = model::AlarmKind::Low;
  slow.tag = kCapperSpeed;
  slow.limit = 50.0;
  slow.on_delay = 10 * kSecond;
  slow.priority = 0;  // low
  slow.active_only_in = {PackMLState::Execute};
  plant.alarms.push_back(slow);
  return plant;
}

alarms::AlarmBook book_for(const model::Plant& plant) {
  auto book = alarms::AlarmBook::create(plant.alarms, plant.alarm_priorities);
  EXPECT_TRUE(book.ok()) << (book.ok() ? "" : book.error().message);
  return std::move(book).value();
}

TagUpdate number(model::TagIndex tag, double value, Timestamp at) {
  return {tag, value, Quality::Good, at};
}
TagUpdate state(model::TagIndex tag, PackMLState value, Timestamp at) {
  return {tag, static_cast<std::int64_t>(value), Quality::Good, at};
}

// Every alarm transition of every tick, as listeners receive them.
class TransitionListener final : public ChangeListener {
 public:
  void on_changes(const ChangeSet& changes) override {
    ticks.emplace_back(changes.alarm_transitions.begin(), changes.alarm_transitions.end());
  }
  std::vector<std::vector<alarms::Transition>> ticks;
};

struct AlarmEvent {
  std::int64_t seq = 0;
  Timestamp time = 0;
  std::string subject;
  json payload;
};

// An engine driven by run_once on a ManualClock, journaling into SQLite.
class EngineAlarms : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::open(db_path());
    ASSERT_TRUE(store.ok()) << store.error().message;
    std::vector<std::string> ids;
    for (const auto& tag : plant_.tags) ids.push_back(tag.id);
    auto keys = (*store)->register_tags(ids);
    ASSERT_TRUE(keys.ok());
    writer_ = std::make_unique<store::StoreWriter>(
        std::move(store).value(), store::WriterOptions{.flush_interval_ms = 5, .max_batch_values = 1000});
    engine_ = std::make_unique<Engine>(
        plant_, clock_, EngineOptions{.tick = std::chrono::milliseconds(100), .record_history = true},
        writer_.get(), *keys);
    engine_->set_alarms(book_for(plant_));
    engine_->add_listener(&listener_);
    t0_ = clock_.now();
  }
  void TearDown() override {
    engine_.reset();
    writer_.reset();
  }

  [[nodiscard]] std::string db_path() const { return dir_.file("strata.db"); }

  void tick(std::vector<TagUpdate> batch = {}) {
    if (!batch.empty()) engine_->push(std::move(batch));
    engine_->run_once();
  }

  // Applies and journals an operator action on the engine (run_once executes it).
  Result<AlarmOperationDone> operate(AlarmOperation operation) {
    auto future = engine_->alarm_operation(std::move(operation));
    engine_->run_once();
    EXPECT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return future.get();
  }

  // Reads the journal through a separate connection, as a report would; flushes the writer first.
  std::vector<AlarmEvent> alarm_events(bool flush = true) {
    if (flush) writer_->flush();
    auto reader = store::Store::open(db_path(),
                                     store::StoreOptions{.read_only = true, .history_merge_rows = 1'000'000});
    EXPECT_TRUE(reader.ok());
    auto events = (*reader)->events(0, 100'000, std::string(kAlarmEvent));
    EXPECT_TRUE(events.ok());
    std::vector<AlarmEvent> out;
    for (const auto& event : *events) {
      out.push_back({event.seq, event.time, event.subject, json::parse(event.payload)});
    }
    return out;
  }

  std::int64_t last_seq() {
    writer_->flush();
    auto reader = store::Store::open(db_path(),
                                     store::StoreOptions{.read_only = true, .history_merge_rows = 1'000'000});
    EXPECT_TRUE(reader.ok());
    return (*reader)->last_event_seq().value();
  }

  [[nodiscard]] alarms::AlarmRecord record(const std::string& id) const {
    const auto* book = engine_->state().alarms;
    return book->lifecycle(*book->find(id)).record();
  }

  model::Plant plant_ = plant_with_alarms();
  store::testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<store::StoreWriter> writer_;
  std::unique_ptr<Engine> engine_;
  TransitionListener listener_;
  Timestamp t0_ = 0;
};

TEST_F(EngineAlarms, PlantStateExposesTheBook) {
  ASSERT_NE(engine_->state().alarms, nullptr);
  EXPECT_EQ(engine_->state().alarms->size(), 3U);
  EXPECT_TRUE(engine_->state().alarms->find(kFault).has_value());
  const auto plain = test::two_unit_plant();
  ManualClock clock;
  Engine without(plain, clock);
  EXPECT_EQ(without.state().alarms, nullptr);
}

TEST_F(EngineAlarms, LimitAlarmActivatesAfterItsOnDelayAndIsJournaled) {
  tick({number(kFillerSpeed, 120.0, t0_)});  // past the limit at t0: the 5 s on-delay starts
  EXPECT_TRUE(alarm_events().empty());
  EXPECT_EQ(record(kSpeedHigh).state, AlarmState::Normal);

  clock_.advance(4 * kSecond);
  tick();
  EXPECT_TRUE(alarm_events().empty()) << "4 s of a 5 s on-delay";

  clock_.advance(1 * kSecond + 300'000);  // the tick comes 0.3 s after the delay completed
  tick();
  auto events = alarm_events();
  ASSERT_EQ(events.size(), 1U);
  const auto& activation = events[0];
  EXPECT_EQ(activation.subject, kSpeedHigh);
  EXPECT_EQ(activation.time, clock_.now());  // journaled at the tick
  EXPECT_EQ(activation.payload["from"], "Normal");
  EXPECT_EQ(activation.payload["to"], "Unacknowledged");
  EXPECT_EQ(activation.payload["action"], "condition_active");
  EXPECT_EQ(activation.payload["at"], t0_ + 5 * kSecond);  // dated when the delay completed
  EXPECT_EQ(activation.payload["condition_active"], true);
  EXPECT_EQ(activation.payload["unit"], kFiller);
  EXPECT_EQ(activation.payload["priority"], "medium");
  EXPECT_EQ(activation.payload["actor"], "");
  const auto journaled = alarm_record_from_json(activation.payload["record"]);
  ASSERT_TRUE(journaled.ok()) << journaled.error().message;
  EXPECT_EQ(*journaled, record(kSpeedHigh));
  EXPECT_EQ(journaled->state, AlarmState::Unacknowledged);
  EXPECT_EQ(journaled->active_since, t0_ + 5 * kSecond);
  EXPECT_FALSE(journaled->acknowledged);

  // Listeners got the transition in that tick's change set, and only then.
  ASSERT_EQ(listener_.ticks.size(),
            2U);  // t0 (a tag changed) and the activation; the quiet tick calls nobody
  EXPECT_TRUE(listener_.ticks[0].empty());
  ASSERT_EQ(listener_.ticks.back().size(), 1U);
  EXPECT_EQ(listener_.ticks.back()[0].alarm_id, kSpeedHigh);
  EXPECT_EQ(listener_.ticks.back()[0].to, AlarmState::Unacknowledged);

  // Back inside the deadband (> 95) the alarm stays; at 95 it returns to normal, unacknowledged.
  clock_.advance(kSecond);
  tick({number(kFillerSpeed, 97.0, clock_.now())});
  EXPECT_EQ(record(kSpeedHigh).state, AlarmState::Unacknowledged);
  clock_.advance(kSecond);
  tick({number(kFillerSpeed, 95.0, clock_.now())});
  EXPECT_EQ(record(kSpeedHigh).state, AlarmState::ReturnedUnacknowledged);
  events = alarm_events();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].payload["action"], "condition_cleared");
  EXPECT_EQ(events[1].payload["to"], "ReturnedUnacknowledged");
  EXPECT_EQ(events[1].payload["at"], clock_.now());
  EXPECT_GT(events[1].seq, events[0].seq);
}

TEST_F(EngineAlarms, ASampleBackBelowTheLimitCancelsThePendingOnDelay) {
  tick({number(kFillerSpeed, 120.0, t0_)});
  clock_.advance(3 * kSecond);
  tick({number(kFillerSpeed, 90.0, clock_.now())});
  clock_.advance(10 * kSecond);
  tick();
  EXPECT_TRUE(alarm_events().empty());
  EXPECT_EQ(record(kSpeedHigh).state, AlarmState::Normal);
}

TEST_F(EngineAlarms, HeldUnitRaisesItsPackMLFaultAndExecuteClearsIt) {
  tick({state(kFillerState, PackMLState::Execute, t0_)});
  EXPECT_TRUE(alarm_events().empty());
  clock_.advance(kMinute);
  tick({state(kFillerState, PackMLState::Holding, clock_.now())});
  clock_.advance(2 * kSecond);
  tick({state(kFillerState, PackMLState::Held, clock_.now())});  // still a fault: no second activation
  auto events = alarm_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].subject, kFault);
  EXPECT_EQ(events[0].payload["action"], "condition_active");
  EXPECT_EQ(events[0].payload["to"], "Unacknowledged");
  EXPECT_EQ(events[0].payload["at"], t0_ + kMinute);
  EXPECT_EQ(events[0].payload["priority"], "high");
  EXPECT_EQ(record(kFault).state, AlarmState::Unacknowledged);

  // The state change itself is journaled before the alarm it caused.
  writer_->flush();
  {
    auto reader = store::Store::open(db_path(),
                                     store::StoreOptions{.read_only = true, .history_merge_rows = 1'000'000});
    ASSERT_TRUE(reader.ok());
    auto all = (*reader)->events(0, 1000);
    ASSERT_TRUE(all.ok());
    std::vector<std::string> kinds;
    for (const auto& event : *all) kinds.push_back(event.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"state_change", "state_change", "alarm", "state_change"}));
  }

  clock_.advance(kMinute);
  tick({state(kFillerState, PackMLState::Unholding, clock_.now())});  // no longer a fault state
  EXPECT_EQ(record(kFault).state, AlarmState::ReturnedUnacknowledged);
  events = alarm_events();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].payload["action"], "condition_cleared");
  // Aborted is a fault too; Stopped is not.
  clock_.advance(kMinute);
  tick({state(kFillerState, PackMLState::Aborting, clock_.now())});
  EXPECT_EQ(record(kFault).state, AlarmState::Unacknowledged);
  clock_.advance(kMinute);
  tick({state(kFillerState, PackMLState::Aborted, clock_.now())});
  clock_.advance(kMinute);
  tick({state(kFillerState, PackMLState::Clearing, clock_.now())});
  clock_.advance(kMinute);
  tick({state(kFillerState, PackMLState::Stopped, clock_.now())});
  EXPECT_EQ(record(kFault).state, AlarmState::ReturnedUnacknowledged);
  EXPECT_EQ(alarm_events().size(), 4U);
}

TEST_F(EngineAlarms, ActiveOnlyInSuppressesByDesignAndRearmsOnExecute) {
  tick({state(kCapperState, PackMLState::Idle, t0_)});
  auto events = alarm_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].subject, kCapperSlow);
  EXPECT_EQ(events[0].payload["action"], "suppress");
  EXPECT_EQ(events[0].payload["from"], "Normal");
  EXPECT_EQ(events[0].payload["to"], "SuppressedByDesign");

  // A stopped capper is slow by design: the condition is tracked and journaled (after its 10 s on-delay),
  // but not shown.
  clock_.advance(kSecond);
  tick({number(kCapperSpeed, 0.0, clock_.now())});
  clock_.advance(10 * kSecond);
  tick();
  events = alarm_events();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].payload["action"], "condition_active");
  EXPECT_EQ(events[1].payload["from"], "SuppressedByDesign");
  EXPECT_EQ(events[1].payload["to"], "SuppressedByDesign");
  EXPECT_EQ(events[1].payload["condition_active"], true);
  EXPECT_EQ(events[1].payload["at"], t0_ + 11 * kSecond);
  EXPECT_EQ(record(kCapperSlow).state, AlarmState::SuppressedByDesign);

  // Execute while still slow (alarm_book.hpp): leaving suppression re-arms the condition - what built up
  // while hidden is cleared (journaled) and the slow speed must last the on-delay again in Execute.
  clock_.advance(kSecond);
  const Timestamp execute_at = clock_.now();
  tick({state(kCapperState, PackMLState::Execute, execute_at)});
  events = alarm_events();
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[2].payload["action"], "condition_cleared");
  EXPECT_EQ(events[2].payload["to"], "SuppressedByDesign");
  EXPECT_EQ(events[3].payload["action"], "unsuppress");
  EXPECT_EQ(events[3].payload["to"], "Normal");
  EXPECT_EQ(record(kCapperSlow).state, AlarmState::Normal);
  clock_.advance(9 * kSecond);
  tick();
  EXPECT_EQ(record(kCapperSlow).state, AlarmState::Normal) << "9 s of a 10 s on-delay in Execute";
  clock_.advance(kSecond);
  tick();
  events = alarm_events();
  ASSERT_EQ(events.size(), 5U);
  EXPECT_EQ(events[4].payload["action"], "condition_active");
  EXPECT_EQ(events[4].payload["to"], "Unacknowledged");
  EXPECT_EQ(events[4].payload["at"], execute_at + 10 * kSecond);
  EXPECT_EQ(record(kCapperSlow).state, AlarmState::Unacknowledged);

  // The filler's state does not touch the capper's alarm; the capper leaving Execute hides it again.
  clock_.advance(kSecond);
  tick({state(kFillerState, PackMLState::Idle, clock_.now())});
  EXPECT_EQ(record(kCapperSlow).state, AlarmState::Unacknowledged);
  clock_.advance(kSecond);
  tick({state(kCapperState, PackMLState::Suspended, clock_.now())});
  EXPECT_EQ(record(kCapperSlow).state, AlarmState::SuppressedByDesign);
}

TEST_F(EngineAlarms, AcknowledgeAndShelveReturnACommittedJournalSeq) {
  tick({state(kFillerState, PackMLState::Held, t0_)});
  ASSERT_EQ(record(kFault).state, AlarmState::Unacknowledged);

  clock_.advance(30 * kSecond);
  const auto ack = operate({.kind = AlarmOperationKind::Acknowledge,
                            .alarm_id = kFault,
                            .shelve = {},
                            .actor = "olga",
                            .comment = "seen"});
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_GT(ack->journal_seq, 0);
  EXPECT_EQ(ack->transition.from, AlarmState::Unacknowledged);
  EXPECT_EQ(ack->transition.to, AlarmState::Acknowledged);
  EXPECT_EQ(ack->transition.action, AlarmAction::Acknowledge);
  EXPECT_EQ(ack->transition.at, clock_.now());
  EXPECT_EQ(ack->transition.actor, "olga");
  // Committed before the future was ready: visible to another connection without flushing the writer.
  auto events = alarm_events(false);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().seq, ack->journal_seq);
  EXPECT_EQ(events.back().payload["action"], "acknowledge");
  EXPECT_EQ(events.back().payload["actor"], "olga");
  EXPECT_EQ(events.back().payload["comment"], "seen");
  EXPECT_EQ(events.back().payload["record"]["acknowledged_at"], clock_.now());

  clock_.advance(kMinute);
  const auto shelve = operate({.kind = AlarmOperationKind::Shelve,
                               .alarm_id = kFault,
                               .shelve = {.kind = alarms::ShelveKind::Timed, .duration = 2 * kHour},
                               .actor = "olga",
                               .comment = "waiting for the fitter"});
  ASSERT_TRUE(shelve.ok()) << shelve.error().message;
  EXPECT_GT(shelve->journal_seq, ack->journal_seq);
  EXPECT_EQ(shelve->transition.to, AlarmState::Shelved);
  events = alarm_events(false);
  EXPECT_EQ(events.back().seq, shelve->journal_seq);
  EXPECT_EQ(events.back().payload["record"]["shelve"], "timed");
  EXPECT_EQ(events.back().payload["record"]["shelve_expires_at"], clock_.now() + 2 * kHour);
  EXPECT_EQ(events.back().payload["record"]["shelved_by"], "olga");
  EXPECT_EQ(events.back().payload["record"]["shelve_comment"], "waiting for the fitter");

  // Listeners hear operator transitions with the next change set.
  ASSERT_FALSE(listener_.ticks.empty());
  bool heard = false;
  for (const auto& changes : listener_.ticks) {
    for (const auto& transition : changes) heard = heard || transition.action == AlarmAction::Shelve;
  }
  EXPECT_TRUE(heard);

  const auto unshelve = operate({.kind = AlarmOperationKind::Unshelve,
                                 .alarm_id = kFault,
                                 .shelve = {},
                                 .actor = "olga",
                                 .comment = ""});
  ASSERT_TRUE(unshelve.ok()) << unshelve.error().message;
  // Back from shelving while the fault is still active: annunciated again, to be acknowledged again.
  EXPECT_EQ(unshelve->transition.to, AlarmState::Unacknowledged);
}

TEST_F(EngineAlarms, RefusedActionsAreErrorsWithoutJournalEntries) {
  tick({state(kFillerState, PackMLState::Held, t0_)});
  const auto before = last_seq();
  ASSERT_GT(before, 0);

  const auto expect_refused = [&](AlarmOperation operation, std::string_view why) {
    const auto done = operate(std::move(operation));
    ASSERT_FALSE(done.ok());
    EXPECT_NE(done.error().message.find(why), std::string::npos) << done.error().message;
  };
  // Normal alarm: nothing to acknowledge.
  expect_refused({.kind = AlarmOperationKind::Acknowledge,
                  .alarm_id = kSpeedHigh,
                  .shelve = {},
                  .actor = "olga",
                  .comment = ""},
                 "cannot acknowledge");
  // Shelving needs a comment by default.
  expect_refused({.kind = AlarmOperationKind::Shelve,
                  .alarm_id = kFault,
                  .shelve = {.kind = alarms::ShelveKind::Timed, .duration = kHour},
                  .actor = "olga",
                  .comment = "   "},
                 "a comment is required");
  // Longer than the definition's maximum (8 h).
  expect_refused({.kind = AlarmOperationKind::Shelve,
                  .alarm_id = kFault,
                  .shelve = {.kind = alarms::ShelveKind::Timed, .duration = 9 * kHour},
                  .actor = "olga",
                  .comment = "long"},
                 "exceeds the maximum");
  expect_refused(
      {.kind = AlarmOperationKind::Reset, .alarm_id = kFault, .shelve = {}, .actor = "olga", .comment = ""},
      "not latched");
  expect_refused({.kind = AlarmOperationKind::Unshelve,
                  .alarm_id = kFault,
                  .shelve = {},
                  .actor = "olga",
                  .comment = ""},
                 "not shelved");
  expect_refused({.kind = AlarmOperationKind::Acknowledge,
                  .alarm_id = kFiller + "/nope",
                  .shelve = {},
                  .actor = "olga",
                  .comment = ""},
                 "no alarm");
  clock_.advance(kMinute);
  tick();
  EXPECT_EQ(last_seq(), before) << "refusals write nothing";
  EXPECT_EQ(record(kFault).state, AlarmState::Unacknowledged);
  for (const auto& changes : listener_.ticks) {
    for (const auto& transition : changes) EXPECT_NE(transition.actor, "olga");
  }
}

TEST(EngineAlarmsWithoutBook, OperationsAreRefused) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  auto future = engine.alarm_operation({.kind = AlarmOperationKind::Acknowledge,
                                        .alarm_id = "site/area/L1/filler/fault",
                                        .shelve = {},
                                        .actor = "olga",
                                        .comment = ""});
  engine.run_once();
  const auto done = future.get();
  ASSERT_FALSE(done.ok());
  EXPECT_NE(done.error().message.find("no alarms"), std::string::npos) << done.error().message;
}

TEST_F(EngineAlarms, TimedShelveExpiresAfterHoursOfPlantTimeAndReannunciates) {
  tick({state(kFillerState, PackMLState::Held, t0_)});
  clock_.advance(kMinute);
  ASSERT_TRUE(operate({.kind = AlarmOperationKind::Acknowledge,
                       .alarm_id = kFault,
                       .shelve = {},
                       .actor = "olga",
                       .comment = ""})
                  .ok());
  const Timestamp shelved_at = clock_.now();
  const auto shelve = operate({.kind = AlarmOperationKind::Shelve,
                               .alarm_id = kFault,
                               .shelve = {.kind = alarms::ShelveKind::Timed, .duration = 4 * kHour},
                               .actor = "olga",
                               .comment = "known fault, part on order"});
  ASSERT_TRUE(shelve.ok()) << shelve.error().message;
  const auto seq_after_shelve = last_seq();

  // Hours of plant time in 25-minute ticks; the fault stays active the whole time. Nothing happens to the
  // alarm until the shelve runs out: no event, no escalation, the record unchanged.
  const auto shelved_record = record(kFault);
  for (int i = 0; i < 9; ++i) {  // up to 3 h 45 min after the shelve
    clock_.advance(25 * kMinute);
    tick();
    ASSERT_LT(clock_.now(), shelved_at + 4 * kHour);
    EXPECT_EQ(record(kFault), shelved_record) << "after " << (i + 1) * 25 << " min";
  }
  EXPECT_EQ(last_seq(), seq_after_shelve);

  clock_.advance(25 * kMinute);  // 4 h 10 min: past the expiry
  tick();
  const auto events = alarm_events();
  ASSERT_FALSE(events.empty());
  const auto& expiry = events.back();
  EXPECT_EQ(expiry.payload["action"], "shelve_expired");
  EXPECT_EQ(expiry.payload["from"], "Shelved");
  EXPECT_EQ(expiry.payload["to"], "Unacknowledged");
  EXPECT_EQ(expiry.payload["at"], shelved_at + 4 * kHour);  // dated at the expiry, not at the tick
  EXPECT_EQ(expiry.payload["condition_active"], true);
  EXPECT_EQ(expiry.payload["record"]["shelve"], "none");
  const auto after = record(kFault);
  EXPECT_EQ(after.state, AlarmState::Unacknowledged);
  EXPECT_FALSE(after.acknowledged);
  EXPECT_FALSE(after.acknowledged_at.has_value());
  EXPECT_EQ(after.state_since, shelved_at + 4 * kHour);
  EXPECT_EQ(after.shelve, alarms::ShelveKind::None);
  EXPECT_EQ(after.shelved_by, "");
}

TEST_F(EngineAlarms, OneShotShelveEndsWhenTheFaultClears) {
  tick({state(kFillerState, PackMLState::Held, t0_)});
  clock_.advance(kMinute);
  const auto shelve = operate({.kind = AlarmOperationKind::Shelve,
                               .alarm_id = kFault,
                               .shelve = {.kind = alarms::ShelveKind::OneShot, .duration = 0},
                               .actor = "olga",
                               .comment = "until it clears"});
  ASSERT_TRUE(shelve.ok()) << shelve.error().message;
  clock_.advance(kHour);
  tick({state(kFillerState, PackMLState::Unholding, clock_.now())});
  const auto events = alarm_events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().payload["action"], "one_shot_shelve_ended");
  EXPECT_EQ(events.back().payload["to"], "Normal");
  EXPECT_EQ(record(kFault).state, AlarmState::Normal);
}

// Regression (found failing; passes since engine.cpp journals AlarmBook::drain_emitted()): journal_alarm_
// transitions() used to build every payload with the alarm's record at drain time, so when one tick held
// several transitions of the same alarm the earlier events carried the record after the LAST transition,
// not "the alarm's full record after it" (the activation event said ReturnedUnacknowledged, condition
// inactive, while its own transition said Unacknowledged, condition active).
TEST_F(EngineAlarms, EachEventCarriesTheRecordAfterItsOwnTransition) {
  // Two samples in one tick (100 ms at the default rate): the fault raises and clears.
  tick({state(kFillerState, PackMLState::Held, t0_), state(kFillerState, PackMLState::Unholding, t0_)});
  const auto events = alarm_events();
  ASSERT_EQ(events.size(), 2U);
  for (const auto& event : events) {
    SCOPED_TRACE(event.payload.dump());
    EXPECT_EQ(event.payload["record"]["state"], event.payload["to"]);
    EXPECT_EQ(event.payload["record"]["condition_active"], event.payload["condition_active"]);
  }
}

}  // namespace
}  // namespace strata::engine
