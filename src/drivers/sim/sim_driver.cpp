#include "drivers/sim/sim_driver.hpp"

#include <iterator>

#include "drivers/sim/prng.hpp"

namespace strata::sim {

SimDriver::SimDriver(const model::Plant& plant, const Clock& clock, std::uint64_t seed,
                     std::chrono::milliseconds tick)
    : clock_(clock), tick_(tick) {
  const auto start = clock.now();
  for (const auto& site : plant.sites) {
    for (const auto& area : site.areas) {
      for (const auto& line : area.work_centers) {
        LineSimulator simulator(plant, line, seed_for_line(seed, line.id), start);
        // Lines fed by real PLCs have no sim tags; simulating them would only burn CPU.
        if (!simulator.has_sim_tags()) continue;
        for (const auto& unit : line.units) simulator_of_unit_.emplace(unit.id, simulators_.size());
        simulators_.push_back(std::move(simulator));
      }
    }
  }
}

SimDriver::~SimDriver() {
  stop();
}

void SimDriver::start(engine::UpdateSink& sink) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, &sink] { run(sink); });
}

void SimDriver::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<void> SimDriver::send_command(const model::WorkUnit& unit, states::PackMLCommand command) {
  std::lock_guard lock(mutex_);
  const auto found = simulator_of_unit_.find(unit.id);
  if (found == simulator_of_unit_.end()) return make_error("unit " + unit.id + " is not simulated");
  return simulators_[found->second].command(unit.id, command);
}

void SimDriver::run(engine::UpdateSink& sink) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    std::vector<model::TagUpdate> batch;
    const auto now = clock_.now();
    for (auto& simulator : simulators_) {
      auto updates = simulator.advance_to(now);
      batch.insert(batch.end(), std::make_move_iterator(updates.begin()),
                   std::make_move_iterator(updates.end()));
    }
    // Push without the lock so a slow sink never delays an operator command.
    lock.unlock();
    if (!batch.empty()) sink.push(std::move(batch));
    lock.lock();
    wake_.wait_for(lock, tick_, [this] { return stopping_; });
  }
}

}  // namespace strata::sim
