#pragma once
// A staged plant (`strata sim <plant> --serve`): one LineSimulator per line with simulated tags, run in
// real time (optionally sped up), publishing each simulated value at the tag's real address through a
// server per connection (Modbus TCP in process, OPC UA through the connector), and taking the PackML
// commands clients send through those servers.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/sim/line_simulator.hpp"
#include "model/plant.hpp"
#include "staging/modbus_stage.hpp"
#include "staging/opcua_stage.hpp"
#include "staging/unit_command.hpp"

namespace strata::staging {

struct StageOptions {
  std::uint64_t seed = 1;
  double speedup = 1.0;  // plant seconds per wall-clock second
  std::chrono::milliseconds tick{100};
  std::string program_path{};  // argv[0] of strata, to find connectors (OPC UA)
  // Runs this as the OPC UA connector instead of the located one when not empty (tests).
  std::vector<std::string> opcua_connector_argv{};
};

class Stage {
 public:
  // Checks the simulated tags, builds the simulators and listens on every served connection; every
  // configuration problem comes back at once, a port in use as soon as it is met. `clock` must outlive
  // the stage.
  [[nodiscard]] static Result<std::unique_ptr<Stage>> create(const model::Plant& plant, const Clock& clock,
                                                             StageOptions options = {});
  ~Stage();
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  // Publishes every simulated value, then serves and runs until stop().
  void start();
  void stop();
  // Blocks until every OPC UA server listens (their connectors start in the background); the first
  // failure, or a timeout, comes back as an error.
  [[nodiscard]] Result<void> wait_until_listening(std::chrono::milliseconds timeout);

  // One line per server, for the log.
  [[nodiscard]] std::vector<std::string> describe() const;
  // The simulator's current values of a unit (WorkUnit::id).
  [[nodiscard]] std::optional<sim::UnitSignals> signals(std::string_view unit_id);
  // Ports actually bound (a connection on port 0 gets a free one), by connection name.
  [[nodiscard]] std::map<std::string, int> ports() const;

 private:
  Stage(const Clock& clock, StageOptions options);
  void queue(UnitCommand command);
  void run();
  void execute(const UnitCommand& command);
  void publish(const std::vector<model::TagUpdate>& updates);
  [[nodiscard]] Timestamp plant_now() const;

  const Clock& clock_;
  StageOptions options_;
  Timestamp start_ = 0;
  std::vector<std::unique_ptr<ModbusStage>> modbus_;
  std::vector<std::unique_ptr<OpcUaStage>> opcua_;

  std::mutex mutex_;  // guards everything below between the run thread, the servers and callers
  std::condition_variable wake_;
  std::vector<sim::LineSimulator> simulators_;
  std::map<std::string, std::size_t, std::less<>> simulator_of_unit_;
  std::vector<UnitCommand> commands_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace strata::staging
