#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/protocol_drivers.hpp"
#include "config/plant_loader.hpp"
#include "drivers/sim/line_simulator.hpp"

namespace strata::cli {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const auto end = std::min(text.find('\n', begin), text.size());
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

}  // namespace

int run_check(const std::vector<std::string>& plant_files) {
  int failed = 0;
  for (const auto& file : plant_files) {
    const auto loaded = config::load_plant_file(file);
    if (!loaded.ok()) {
      fmt::print(stderr, "{}", config::to_string(loaded.diagnostics));
      fmt::print(stderr, "{}: {} error(s)\n", file, loaded.diagnostics.size());
      ++failed;
      continue;
    }
    if (auto sim = sim::LineSimulator::validate(*loaded.plant); !sim) {
      fmt::print(stderr, "{}: error: {}\n", file, sim.error().message);
      ++failed;
      continue;
    }
    const auto& plant = *loaded.plant;
    if (auto drivers = validate_protocol_drivers(plant); !drivers) {
      for (const auto& line : split_lines(drivers.error().message))
        fmt::print(stderr, "{}: error: {}\n", file, line);
      ++failed;
      continue;
    }
    std::size_t lines = 0;
    for (const auto& site : plant.sites) {
      for (const auto& area : site.areas) lines += area.work_centers.size();
    }
    fmt::print("{}: ok ({} site(s), {} line(s), {} unit(s), {} tag(s), {} alarm(s), {} template(s))\n", file,
               plant.sites.size(), lines, plant.units().size(), plant.tags.size(), plant.alarms.size(),
               plant.templates.size());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace strata::cli
