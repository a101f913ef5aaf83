#include "staging/stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iterator>

#include "drivers/connector/connector_location.hpp"
#include "drivers/modbus/tag_binding.hpp"
#include "drivers/opcua/opcua_binding.hpp"
#include "drivers/sim/prng.hpp"
#include "staging/staged_plant.hpp"

namespace strata::staging {
namespace {

// A connection is served when one of its tags is simulated; the others may be real PLCs.
bool serves_simulated_tag(const model::Plant& plant, const modbus::ConnectionBinding& binding) {
  for (const auto& tag : binding.tags) {
    if (is_simulated(plant.tags[tag.index])) return true;
  }
  return false;
}

bool serves_simulated_tag(const model::Plant& plant, const opcua::OpcUaBinding& binding) {
  for (const auto& item : binding.items) {
    if (is_simulated(plant.tags[item.tag])) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<Stage>> Stage::create(const model::Plant& plant, const Clock& clock,
                                             StageOptions options) {
  if (!(options.speedup > 0.0)) return make_error("the speed-up must be a positive number");
  if (auto checked = check_simulated_tags(plant); !checked) return checked.error();
  const auto simulated = simulated_copy(plant);
  if (auto valid = sim::LineSimulator::validate(simulated); !valid) return valid.error();
  // Port 0 (any free port, for tests) is no port a client could use, so the client-side validation
  // in bind_plant refuses it; check with a stand-in and listen on 0.
  auto connections = plant.modbus_connections;
  for (auto& connection : connections) {
    if (connection.port == 0) connection.port = 1;
  }
  auto bindings = modbus::bind_plant(plant, connections);
  if (!bindings) return bindings.error();
  for (std::size_t i = 0; i < bindings->size(); ++i)
    (*bindings)[i].settings.port = plant.modbus_connections[i].port;

  std::unique_ptr<Stage> stage(new Stage(clock, options));
  auto* raw = stage.get();
  const CommandSink sink = [raw](UnitCommand command) { raw->queue(std::move(command)); };
  for (auto& binding : *bindings) {
    if (!serves_simulated_tag(plant, binding)) continue;
    auto served = ModbusStage::create(plant, std::move(binding), sink);
    if (!served) return served.error();
    stage->modbus_.push_back(std::move(*served));
  }

  auto opcua_bindings = opcua::bind_plant(plant);
  if (!opcua_bindings) return opcua_bindings.error();
  std::vector<std::string> connector_argv = options.opcua_connector_argv;
  for (auto& binding : *opcua_bindings) {
    if (!serves_simulated_tag(plant, binding)) continue;
    if (connector_argv.empty()) {
      auto location = connector::find_connector("opcua", options.program_path);
      if (!location) return make_error("cannot serve OPC UA: " + location.error().message);
      connector_argv = location->argv();
    }
    auto served = OpcUaStage::create(plant, std::move(binding), connector_argv, sink);
    if (!served) return served.error();
    stage->opcua_.push_back(std::move(*served));
  }

  stage->start_ = clock.now();
  for (const auto& site : simulated.sites) {
    for (const auto& area : site.areas) {
      for (const auto& line : area.work_centers) {
        sim::LineSimulator simulator(simulated, line, sim::seed_for_line(options.seed, line.id),
                                     stage->start_);
        if (!simulator.has_sim_tags()) continue;
        for (const auto& unit : line.units)
          stage->simulator_of_unit_.emplace(unit.id, stage->simulators_.size());
        stage->simulators_.push_back(std::move(simulator));
      }
    }
  }
  return stage;
}

Stage::Stage(const Clock& clock, StageOptions options) : clock_(clock), options_(options) {}

Stage::~Stage() {
  stop();
}

void Stage::start() {
  std::unique_lock lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  // Every value in place before the first client connects: no client ever reads a zero state.
  std::vector<model::TagUpdate> first;
  for (auto& simulator : simulators_) {
    auto updates = simulator.advance_to(plant_now());
    first.insert(first.end(), std::make_move_iterator(updates.begin()),
                 std::make_move_iterator(updates.end()));
  }
  publish(first);
  for (auto& served : modbus_) served->start();
  for (auto& served : opcua_) served->start();
  thread_ = std::thread([this] { run(); });
}

void Stage::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& served : modbus_) served->stop();
  for (auto& served : opcua_) served->stop();
}

Result<void> Stage::wait_until_listening(std::chrono::milliseconds timeout) {
  for (auto& served : opcua_) {
    if (auto listening = served->wait_until_listening(timeout); !listening) return listening;
  }
  return {};
}

std::vector<std::string> Stage::describe() const {
  std::vector<std::string> lines;
  for (const auto& served : modbus_) lines.push_back(served->describe());
  for (const auto& served : opcua_) lines.push_back(served->describe());
  return lines;
}

std::optional<sim::UnitSignals> Stage::signals(std::string_view unit_id) {
  std::lock_guard lock(mutex_);
  const auto found = simulator_of_unit_.find(unit_id);
  if (found == simulator_of_unit_.end()) return std::nullopt;
  return simulators_[found->second].signals(unit_id);
}

std::map<std::string, int> Stage::ports() const {
  std::map<std::string, int> ports;
  for (const auto& served : modbus_) ports.emplace(served->name(), served->port());
  return ports;
}

void Stage::queue(UnitCommand command) {
  {
    std::lock_guard lock(mutex_);
    commands_.push_back(std::move(command));
  }
  wake_.notify_all();
}

Timestamp Stage::plant_now() const {
  const auto elapsed = static_cast<double>(clock_.now() - start_) * options_.speedup;
  return start_ + static_cast<Timestamp>(elapsed);
}

void Stage::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    for (const auto& command : commands_) execute(command);
    commands_.clear();
    std::vector<model::TagUpdate> batch;
    const auto now = plant_now();
    for (auto& simulator : simulators_) {
      auto updates = simulator.advance_to(now);
      batch.insert(batch.end(), std::make_move_iterator(updates.begin()),
                   std::make_move_iterator(updates.end()));
    }
    // Servers lock their tables and call back into queue() while locked: publish without our lock.
    lock.unlock();
    if (!batch.empty()) publish(batch);
    lock.lock();
    wake_.wait_for(lock, options_.tick, [this] { return stopping_ || !commands_.empty(); });
  }
}

void Stage::execute(const UnitCommand& command) {
  const auto found = simulator_of_unit_.find(command.unit_id);
  if (found == simulator_of_unit_.end()) {
    spdlog::warn("{}: {} for unit {}, which is not simulated", command.via,
                 states::to_string(command.command), command.unit_id);
    return;
  }
  if (auto done = simulators_[found->second].command(command.unit_id, command.command); !done) {
    spdlog::warn("{}: {} refused: {}", command.via, states::to_string(command.command), done.error().message);
    return;
  }
  spdlog::info("{}: {} -> unit {}", command.via, states::to_string(command.command), command.unit_id);
}

void Stage::publish(const std::vector<model::TagUpdate>& updates) {
  for (auto& served : modbus_) served->publish(updates);
  for (auto& served : opcua_) served->publish(updates);
}

}  // namespace strata::staging
