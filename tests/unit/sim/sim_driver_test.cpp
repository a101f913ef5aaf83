// SimDriver: a tick thread following the injected clock, and thread-safe commands.
#include "drivers/sim/sim_driver.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "drivers/sim/line_simulator.hpp"
#include "drivers/sim/prng.hpp"
#include "test_plant.hpp"

namespace strata::sim {
namespace {

using namespace std::chrono_literals;
using states::PackMLCommand;
using states::PackMLState;

class CollectingSink final : public engine::UpdateSink {
 public:
  void push(std::vector<model::TagUpdate> batch) override {
    std::lock_guard lock(mutex_);
    for (auto& update : batch) latest_[update.tag] = update.value;
    ++batches_;
    changed_.notify_all();
  }

  // Waits (real time) until `condition` holds over the latest values.
  bool wait_for(const std::function<bool(const std::map<model::TagIndex, model::Value>&)>& condition,
                std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return condition(latest_); });
  }

  std::size_t batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<model::TagIndex, model::Value> latest_;
  std::size_t batches_ = 0;
};

model::TagIndex state_tag(const model::Plant& plant, const std::string& local_id) {
  return *plant.find_tag(test::unit_id(local_id) + "/Status.StateCurrent");
}

bool in_state(const std::map<model::TagIndex, model::Value>& values, model::TagIndex tag, PackMLState state) {
  const auto it = values.find(tag);
  return it != values.end() && it->second == model::Value{static_cast<std::int64_t>(state)};
}

TEST(SimDriver, SimulatesOnlyLinesWithSimTags) {
  auto plant = test::make_bottling_plant();
  test::add_line(plant, "L2", {{"depal", {}, false}});
  ManualClock clock;
  SimDriver driver(plant, clock, 1);
  EXPECT_EQ(driver.scheme(), "sim");
  EXPECT_EQ(driver.line_count(), 1U);
  const auto& depal = plant.sites[0].areas[0].work_centers[1].units[0];
  EXPECT_FALSE(driver.send_command(depal, PackMLCommand::Reset).ok());
}

TEST(SimDriver, PushesInitialValuesThenFollowsTheClock) {
  const auto plant = test::make_bottling_plant(test::reliable_profile());
  ManualClock clock;
  SimDriver driver(plant, clock, 1, 5ms);
  CollectingSink sink;
  driver.start(sink);
  const auto filler_state = state_tag(plant, "filler");
  ASSERT_TRUE(sink.wait_for([&](const auto& values) { return values.size() == plant.tags.size(); }));
  EXPECT_TRUE(sink.wait_for(
      [&](const auto& values) { return in_state(values, filler_state, PackMLState::Stopped); }));

  clock.advance(30 * kMicrosPerSecond);
  ASSERT_TRUE(sink.wait_for(
      [&](const auto& values) { return in_state(values, filler_state, PackMLState::Execute); }));

  const auto& filler = plant.sites[0].areas[0].work_centers[0].units[0];
  const auto refused = driver.send_command(filler, PackMLCommand::Start);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("Start is not allowed in state Execute"), std::string::npos);

  ASSERT_TRUE(driver.send_command(filler, PackMLCommand::Stop).ok());
  clock.advance(10 * kMicrosPerSecond);
  EXPECT_TRUE(sink.wait_for(
      [&](const auto& values) { return in_state(values, filler_state, PackMLState::Stopped); }));
  driver.stop();
  const auto batches = sink.batches();
  clock.advance(60 * kMicrosPerSecond);
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(sink.batches(), batches) << "no pushes after stop()";
}

TEST(SimDriver, UsesThePerLineSeedSoItMatchesAStandaloneSimulator) {
  const auto plant = test::make_bottling_plant();
  ManualClock clock;
  const auto start = clock.now();
  SimDriver driver(plant, clock, 99, 2ms);
  CollectingSink sink;
  driver.start(sink);
  clock.advance(600 * kMicrosPerSecond);

  LineSimulator reference(plant, test::first_line(plant), seed_for_line(99, test::kLineId), start);
  reference.advance_to(start + 600 * kMicrosPerSecond);
  const auto processed_tag = *plant.find_tag(test::unit_id("labeler") + "/Admin.ProdProcessedCount");
  const model::Value expected{reference.signals("labeler")->processed};
  EXPECT_TRUE(sink.wait_for([&](const auto& values) {
    const auto it = values.find(processed_tag);
    return it != values.end() && it->second == expected;
  }));
  driver.stop();
}

TEST(SimDriver, StopIsIdempotentAndDestructionWithoutStartIsSafe) {
  const auto plant = test::make_bottling_plant();
  ManualClock clock;
  SimDriver never_started(plant, clock, 1);
  never_started.stop();
  SimDriver driver(plant, clock, 1, 1ms);
  CollectingSink sink;
  driver.start(sink);
  driver.stop();
  driver.stop();
}

}  // namespace
}  // namespace strata::sim
