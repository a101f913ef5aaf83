#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "unit/support/test_plant.hpp"

namespace strata::engine {
namespace {

using model::TagUpdate;
using states::PackMLCommand;
using states::PackMLState;

class RecordingDriver final : public Driver {
 public:
  explicit RecordingDriver(std::vector<PackMLCommand>& sent) : sent_(sent) {}
  [[nodiscard]] std::string_view scheme() const override { return "fake"; }
  void start(UpdateSink&) override {}
  void stop() override {}
  Result<void> send_command(const model::WorkUnit&, PackMLCommand command) override {
    sent_.push_back(command);
    return {};
  }

 private:
  std::vector<PackMLCommand>& sent_;
};

class CountingListener final : public ChangeListener {
 public:
  void on_changes(const ChangeSet& changes) override {
    tags.assign(changes.tags.begin(), changes.tags.end());
    units.assign(changes.units.begin(), changes.units.end());
    ++calls;
  }
  std::vector<model::TagIndex> tags;
  std::vector<std::size_t> units;
  int calls = 0;
};

TagUpdate state_update(model::TagIndex tag, PackMLState state, Timestamp time) {
  return {tag, static_cast<std::int64_t>(state), model::Quality::Good, time};
}

TEST(Engine, AppliesUpdatesInOrderAndStampsServerTime) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  engine.push({{1, 10.0, model::Quality::Good, 5}, {1, 20.0, model::Quality::Uncertain, 6}});
  engine.push({{1, 30.0, model::Quality::Good, 7}, {99, 1.0, model::Quality::Good, 8}});
  engine.run_once();
  const auto& value = engine.state().values[1];
  EXPECT_EQ(std::get<double>(value.value), 30.0);
  EXPECT_EQ(value.source_time, 7);
  EXPECT_EQ(value.server_time, clock.now());
  EXPECT_EQ(engine.stats().updates_applied, 3U);
  EXPECT_EQ(engine.stats().updates_rejected, 1U);
}

TEST(Engine, ListenerSeesEachChangedTagOncePerTick) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  CountingListener listener;
  engine.add_listener(&listener);
  engine.push({{1, 1.0, model::Quality::Good, 1},
               {1, 2.0, model::Quality::Good, 2},
               {3, 2.0, model::Quality::Good, 2}});
  engine.run_once();
  EXPECT_EQ(listener.calls, 1);
  EXPECT_EQ(listener.tags, (std::vector<model::TagIndex>{1, 3}));
  EXPECT_TRUE(listener.units.empty());
  engine.run_once();  // nothing changed: no call
  EXPECT_EQ(listener.calls, 1);
}

TEST(Engine, DerivesUnitStateFromStateTag) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  CountingListener listener;
  engine.add_listener(&listener);
  EXPECT_FALSE(engine.state().units[0].state_reported);
  engine.push({state_update(0, PackMLState::Execute, 100)});
  engine.run_once();
  EXPECT_EQ(engine.state().units[0].machine.state(), PackMLState::Execute);
  EXPECT_EQ(engine.state().units[0].since, 100);
  EXPECT_EQ(listener.units, (std::vector<std::size_t>{0}));
  engine.push({{0, std::int64_t{42}, model::Quality::Good, 200}});  // not a PackML state: ignored
  engine.run_once();
  EXPECT_EQ(engine.state().units[0].machine.state(), PackMLState::Execute);
}

TEST(Engine, CommandsAreCheckedAgainstThePackMLTable) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  std::vector<PackMLCommand> sent;
  engine.add_driver(std::make_unique<RecordingDriver>(sent));

  auto unknown_state = engine.command("site/area/L1/filler", PackMLCommand::Start, "test");
  engine.run_once();
  ASSERT_TRUE(std::holds_alternative<CommandRefusal>(unknown_state.get()));

  engine.push({state_update(0, PackMLState::Idle, 1)});
  auto start = engine.command("site/area/L1/filler", PackMLCommand::Start, "test");
  auto refused = engine.command("site/area/L1/filler", PackMLCommand::Unhold, "test");
  auto missing = engine.command("site/area/L1/nope", PackMLCommand::Start, "test");
  engine.run_once();

  const auto accepted = start.get();
  ASSERT_TRUE(std::holds_alternative<CommandAccepted>(accepted));
  EXPECT_EQ(std::get<CommandAccepted>(accepted).target, PackMLState::Starting);
  const auto refusal = std::get<CommandRefusal>(refused.get());
  EXPECT_TRUE(refusal.conflict);
  EXPECT_NE(refusal.message.find("Unhold"), std::string::npos);
  EXPECT_FALSE(std::get<CommandRefusal>(missing.get()).conflict);
  EXPECT_EQ(sent, (std::vector<PackMLCommand>{PackMLCommand::Start}));
}

TEST(Engine, ThreadedEngineJournalsStateChangesAndCommands) {
  const auto plant = test::two_unit_plant();
  const auto dir = std::filesystem::temp_directory_path() / ("strata-engine-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = (dir / "strata.db").string();
  std::vector<std::int64_t> tag_keys;
  {
    auto store = store::Store::open(db);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto keys =
        (*store)->register_tags({plant.tags[0].id, plant.tags[1].id, plant.tags[2].id, plant.tags[3].id});
    ASSERT_TRUE(keys.ok());
    tag_keys = *keys;
    store::StoreWriter writer(std::move(store.value()), store::WriterOptions{10, 1000});
    ManualClock clock;
    std::vector<PackMLCommand> sent;
    Engine engine(plant, clock, EngineOptions{std::chrono::milliseconds(10), true}, &writer, *keys);
    engine.add_driver(std::make_unique<RecordingDriver>(sent));
    engine.start();
    engine.push({state_update(0, PackMLState::Execute, 1), {1, 600.0, model::Quality::Good, 1}});
    auto result = engine.command("site/area/L1/filler", PackMLCommand::Hold, "test");
    ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto accepted = std::get<CommandAccepted>(result.get());
    EXPECT_GT(accepted.journal_seq, 0);
    engine.stop();
    writer.flush();
  }
  auto reopened = store::Store::open(db);
  ASSERT_TRUE(reopened.ok());
  auto events = (*reopened)->events(0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> kinds;
  for (const auto& event : *events) kinds.push_back(event.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"config_load", "state_change", "command"}));
  auto history = (*reopened)->history(tag_keys[1], 0, 100, 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ(std::get<double>(history->front().value), 600.0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace strata::engine
