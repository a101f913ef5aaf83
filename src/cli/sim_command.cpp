#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/duration.hpp"
#include "config/plant_loader.hpp"
#include "drivers/sim/line_simulator.hpp"
#include "drivers/sim/offline_run.hpp"
#include "staging/stage.hpp"

namespace strata::cli {
namespace {

void print_table(const sim::SimulationSummary& summary) {
  fmt::print("{:<36} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>7}\n", "unit", "execute", "held", "suspend",
             "aborted", "processed", "defective", "faults");
  for (const auto& unit : summary.units) {
    const double total = static_cast<double>(summary.duration) / static_cast<double>(kMicrosPerSecond);
    const auto share = [&](states::PackMLState state) { return 100.0 * unit.seconds_in(state) / total; };
    fmt::print("{:<36} {:>7.1f}% {:>7.1f}% {:>7.1f}% {:>7.1f}% {:>10} {:>9} {:>7}\n", unit.unit_id,
               share(states::PackMLState::Execute), share(states::PackMLState::Held),
               share(states::PackMLState::Suspended), share(states::PackMLState::Aborted), unit.processed,
               unit.defective, unit.faults);
  }
}

void print_json(const sim::SimulationSummary& summary) {
  nlohmann::json units = nlohmann::json::array();
  for (const auto& unit : summary.units) {
    nlohmann::json seconds = nlohmann::json::object();
    for (int number = 1; number < states::kStateCount; ++number) {
      const auto state = *states::state_from_number(number);
      if (unit.seconds_in(state) > 0) seconds[std::string(states::to_string(state))] = unit.seconds_in(state);
    }
    units.push_back({{"unit", unit.unit_id},
                     {"line", unit.line_id},
                     {"seconds_in_state", std::move(seconds)},
                     {"processed", unit.processed},
                     {"defective", unit.defective},
                     {"faults", unit.faults}});
  }
  fmt::print("{}\n", nlohmann::json{{"seed", summary.seed},
                                    {"duration_s", summary.duration / kMicrosPerSecond},
                                    {"units", std::move(units)}}
                         .dump(2));
}

// `strata sim --serve`: the plant's simulated tags at their real addresses until SIGINT/SIGTERM.
int run_staged(const SimOptions& options, const model::Plant& plant) {
  // Blocked before any thread starts, so only the main thread takes them, in sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const SystemClock clock;
  auto stage = staging::Stage::create(
      plant, clock,
      staging::StageOptions{
          .seed = options.seed, .speedup = options.speedup, .program_path = options.program_path});
  if (!stage) {
    fmt::print(stderr, "{}: error: {}\n", options.plant_file, stage.error().message);
    return 1;
  }
  (*stage)->start();
  // OPC UA servers start in their connectors; say "serving" only once clients can connect.
  if (auto listening = (*stage)->wait_until_listening(std::chrono::seconds(60)); !listening) {
    fmt::print(stderr, "{}: error: {}\n", options.plant_file, listening.error().message);
    (*stage)->stop();
    return 1;
  }
  for (const auto& line : (*stage)->describe()) spdlog::info("serving {}", line);
  spdlog::info("staged plant '{}' serving (seed {}, speed-up {}); Ctrl+C stops", plant.enterprise.name,
               options.seed, options.speedup);
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("stopping on signal {}", received);
  (*stage)->stop();
  return 0;
}

}  // namespace

int run_sim(const SimOptions& options) {
  const auto duration = parse_duration(options.duration);
  if (!duration) {
    fmt::print(stderr, "error: --duration '{}' is not a duration like 90s, 30m, 8h or 7d\n",
               options.duration);
    return 2;
  }
  const auto loaded = config::load_plant_file(options.plant_file);
  if (!loaded.ok()) {
    fmt::print(stderr, "{}", config::to_string(loaded.diagnostics));
    return 1;
  }
  if (options.serve) return run_staged(options, *loaded.plant);
  if (auto valid = sim::LineSimulator::validate(*loaded.plant); !valid) {
    fmt::print(stderr, "{}: error: {}\n", options.plant_file, valid.error().message);
    return 1;
  }
  const auto summary = sim::run_offline(*loaded.plant, options.seed, *duration);
  if (options.json) {
    print_json(summary);
  } else {
    print_table(summary);
  }
  return 0;
}

}  // namespace strata::cli
