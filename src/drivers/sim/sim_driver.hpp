#pragma once
// The "sim" driver: runs one LineSimulator per work center that has "sim:" tags, on its own thread,
// following the injected clock, and pushes the changed tag values to the engine.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "drivers/sim/line_simulator.hpp"
#include "engine/driver.hpp"

namespace strata::sim {

class SimDriver final : public engine::Driver {
 public:
  static constexpr std::chrono::milliseconds kDefaultTick{100};

  SimDriver(const model::Plant& plant, const Clock& clock, std::uint64_t seed,
            std::chrono::milliseconds tick = kDefaultTick);
  ~SimDriver() override;
  SimDriver(const SimDriver&) = delete;
  SimDriver& operator=(const SimDriver&) = delete;

  [[nodiscard]] std::string_view scheme() const override { return "sim"; }
  // Reports every sim tag at once, then changes every tick until stop().
  void start(engine::UpdateSink& sink) override;
  void stop() override;
  Result<void> send_command(const model::WorkUnit& unit, states::PackMLCommand command) override;

  [[nodiscard]] std::size_t line_count() const { return simulators_.size(); }

 private:
  void run(engine::UpdateSink& sink);

  const Clock& clock_;
  std::chrono::milliseconds tick_;
  std::vector<LineSimulator> simulators_;
  std::map<std::string, std::size_t, std::less<>> simulator_of_unit_;

  std::mutex mutex_;  // guards simulators_ and stopping_ between the tick thread and send_command
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace strata::sim
