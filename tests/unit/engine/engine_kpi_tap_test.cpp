// The engine's sample tap (ChangeListener::observed_tags -> ChangeSet::samples) that feeds the live KPI
// series, and Engine::record, which journals outside events (downtime classifications) in order.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "engine/engine.hpp"
#include "store/store.hpp"
#include "store/store_writer.hpp"
#include "unit/store/temp_dir.hpp"
#include "unit/support/test_plant.hpp"

namespace strata::engine {
namespace {

using model::Quality;
using model::TagUpdate;

class TappingListener final : public ChangeListener {
 public:
  explicit TappingListener(std::vector<model::TagIndex> observed) : observed_(std::move(observed)) {}
  [[nodiscard]] std::vector<model::TagIndex> observed_tags() const override { return observed_; }
  void on_changes(const ChangeSet& changes) override {
    ++calls;
    last.assign(changes.samples.begin(), changes.samples.end());
  }
  int calls = 0;
  std::vector<TagUpdate> last;

 private:
  std::vector<model::TagIndex> observed_;
};

// test::two_unit_plant(): tag 0 filler state, 1 filler speed, 2 capper state, 3 capper speed.
TEST(EngineSampleTap, ObservedTagsDeliverEveryUpdateOfTheTickInArrivalOrder) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  TappingListener listener({1, 99});  // an index outside the plant is ignored
  engine.add_listener(&listener);
  engine.push({{1, 10.0, Quality::Good, 5}, {3, 7.0, Quality::Good, 5}, {1, 20.0, Quality::Uncertain, 6}});
  engine.push({{1, 30.0, Quality::Bad, 7}});
  engine.run_once();
  ASSERT_EQ(listener.calls, 1);
  ASSERT_EQ(listener.last.size(), 3U) << "every update of tag 1, none of the unobserved tag 3";
  EXPECT_EQ(std::get<double>(listener.last[0].value), 10.0);
  EXPECT_EQ(listener.last[0].source_time, 5);
  EXPECT_EQ(std::get<double>(listener.last[1].value), 20.0);
  EXPECT_EQ(listener.last[1].quality, Quality::Uncertain);
  EXPECT_EQ(listener.last[2].quality, Quality::Bad);
  EXPECT_EQ(std::get<double>(engine.state().values[1].value), 30.0) << "the state still holds the value";

  // The next tick carries only its own samples.
  engine.push({{3, 8.0, Quality::Good, 9}});
  engine.run_once();
  EXPECT_EQ(listener.calls, 2);
  EXPECT_TRUE(listener.last.empty()) << "tag 3 changed, but nobody observes it";
  engine.push({{1, 40.0, Quality::Good, 10}});
  engine.run_once();
  ASSERT_EQ(listener.last.size(), 1U);
  EXPECT_EQ(listener.last[0].source_time, 10);
}

TEST(EngineSampleTap, SamplesAreSharedByAllListeners) {
  // A listener filters its own: the samples are those of every observed tag.
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  TappingListener first({0});
  TappingListener second({2});
  TappingListener none({});
  engine.add_listener(&first);
  engine.add_listener(&second);
  engine.add_listener(&none);
  engine.push({{0, std::int64_t{6}, Quality::Good, 1}, {2, std::int64_t{11}, Quality::Good, 2}});
  engine.run_once();
  for (const auto* listener : {&first, &second, &none}) {
    ASSERT_EQ(listener->last.size(), 2U);
    EXPECT_EQ(listener->last[0].tag, 0U);
    EXPECT_EQ(listener->last[1].tag, 2U);
  }
}

TEST(EngineSampleTap, WithoutObservedTagsThereAreNoSamples) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  TappingListener listener({});
  engine.add_listener(&listener);
  engine.push({{1, 10.0, Quality::Good, 5}});
  engine.run_once();
  EXPECT_EQ(listener.calls, 1);
  EXPECT_TRUE(listener.last.empty());
}

TEST(EngineRecord, WithoutAStoreTheSeqIsZero) {
  const auto plant = test::two_unit_plant();
  ManualClock clock;
  Engine engine(plant, clock);
  auto seq = engine.record("downtime_classified", "site/area/L1/filler", R"({"code":900})");
  engine.run_once();
  ASSERT_EQ(seq.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_EQ(seq.get(), 0);
}

TEST(EngineRecord, JournalsInOrderWithTheEnginesOwnEvents) {
  const store::testing::TempDir dir;
  const auto plant = test::two_unit_plant();
  auto opened = store::Store::open(dir.file("strata.db"));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::vector<std::string> ids;
  for (const auto& tag : plant.tags) ids.push_back(tag.id);
  auto keys = (*opened)->register_tags(ids);
  ASSERT_TRUE(keys.ok());
  ManualClock clock;
  {
    store::StoreWriter writer(std::move(*opened));
    Engine engine(plant, clock, {}, &writer, *keys);
    // A state change journaled by the engine, then an outside event in the same tick.
    engine.push({{0, std::int64_t{6}, Quality::Good, clock.now()}});
    clock.advance(kMicrosPerSecond);
    auto first =
        engine.record("downtime_classified", "site/area/L1/filler", R"({"record_begin":1,"code":900})");
    auto second =
        engine.record("downtime_classified", "site/area/L1/capper", R"({"record_begin":2,"code":901})");
    engine.run_once();
    const auto first_seq = first.get();
    const auto second_seq = second.get();
    EXPECT_GT(first_seq, 0);
    EXPECT_GT(second_seq, first_seq);

    auto reader =
        store::Store::open(dir.file("strata.db"), {.read_only = true, .history_merge_rows = 1'000'000});
    ASSERT_TRUE(reader.ok());
    const auto all = (*reader)->events(0, 100);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 3U);
    EXPECT_EQ((*all)[0].kind, "state_change");
    EXPECT_LT((*all)[0].seq, first_seq);
    EXPECT_EQ((*all)[1].seq, first_seq);
    EXPECT_EQ((*all)[1].subject, "site/area/L1/filler");
    EXPECT_EQ((*all)[1].payload, R"({"record_begin":1,"code":900})");
    EXPECT_EQ((*all)[1].time, clock.now());
    EXPECT_EQ((*all)[2].seq, second_seq);
    const auto classified = (*reader)->events(0, 100, "downtime_classified");
    ASSERT_TRUE(classified.ok());
    EXPECT_EQ(classified->size(), 2U);
  }
}

TEST(EngineRecord, ThreadedEngineCommitsBeforeReplying) {
  const store::testing::TempDir dir;
  const auto plant = test::two_unit_plant();
  auto opened = store::Store::open(dir.file("strata.db"));
  ASSERT_TRUE(opened.ok());
  std::vector<std::string> ids;
  for (const auto& tag : plant.tags) ids.push_back(tag.id);
  auto keys = (*opened)->register_tags(ids);
  ASSERT_TRUE(keys.ok());
  ManualClock clock;
  store::StoreWriter writer(std::move(*opened));
  Engine engine(plant, clock, {}, &writer, *keys);
  engine.start();
  const auto seq = engine.record("downtime_classified", "site/area/L1/filler", "{}").get();
  auto reader =
      store::Store::open(dir.file("strata.db"), {.read_only = true, .history_merge_rows = 1'000'000});
  ASSERT_TRUE(reader.ok());
  const auto last = (*reader)->last_event_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_GE(*last, seq) << "durable when the future is ready";
  const auto events = (*reader)->events(seq - 1, 1);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1U);
  EXPECT_EQ((*events)[0].kind, "downtime_classified");
  engine.stop();
}

}  // namespace
}  // namespace strata::engine
