#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Strata: one typed ISA-95 model from the PLC up to ERP"};
  app.require_subcommand(1);

  strata::cli::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run a plant: engine, drivers, store, API and cockpit");
  serve_cmd->add_option("plant", serve.plant_file, "Plant definition (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--address", serve.address, "Listen address")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "HTTP port (0 picks a free one)")->capture_default_str();
  serve_cmd->add_option("--data-dir", serve.data_dir, "Folder of the embedded store (strata.db)")
      ->capture_default_str();
  serve_cmd->add_option("--cockpit-dir", serve.cockpit_dir,
                        "Built cockpit to serve (default: found next to the binary)");
  serve_cmd->add_option("--port-file", serve.port_file, "Write the bound port to this file once listening");
  serve_cmd->add_option("--seed", serve.seed, "Seed of the built-in simulator")->capture_default_str();
  serve_cmd->add_option("--tick-ms", serve.tick_ms, "Engine tick: history, journal and stream cadence")
      ->check(CLI::Range(10, 5000))
      ->capture_default_str();

  std::vector<std::string> check_files;
  auto* check_cmd = app.add_subcommand("check", "Validate plant definitions; errors as file:line:column");
  check_cmd->add_option("plant", check_files, "Plant definition(s) (YAML)")->required();

  strata::cli::SimOptions sim;
  auto* sim_cmd =
      app.add_subcommand("sim", "Simulate a plant on plant time and report each unit's states and counts");
  sim_cmd->add_option("plant", sim.plant_file, "Plant definition (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  sim_cmd->add_option("--duration", sim.duration, "Plant time to simulate: 90s, 30m, 8h, 7d")
      ->capture_default_str();
  sim_cmd->add_option("--seed", sim.seed, "Simulator seed; same seed, same result")->capture_default_str();
  sim_cmd->add_flag("--json", sim.json, "Print the summary as JSON");

  CLI11_PARSE(app, argc, argv);
  if (*serve_cmd) return strata::cli::run_serve(serve, argv[0]);
  if (*check_cmd) return strata::cli::run_check(check_files);
  return strata::cli::run_sim(sim);
}
