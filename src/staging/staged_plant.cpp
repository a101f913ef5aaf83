#include "staging/staged_plant.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "drivers/sim/sim_signal.hpp"

namespace strata::staging {

Result<void> check_simulated_tags(const model::Plant& plant) {
  std::string problems;
  const auto add = [&problems](const std::string& problem) {
    if (!problems.empty()) problems += "; ";
    problems += problem;
  };
  bool any = false;
  bool unknown_signal = false;
  for (const auto& tag : plant.tags) {
    if (!is_simulated(tag)) continue;
    any = true;
    if (!sim::parse_signal(tag.definition.simulate)) {
      add(fmt::format("tag {}: simulate '{}' is not a simulator signal", tag.id, tag.definition.simulate));
      unknown_signal = true;
    }
    const auto scheme = model::source_scheme(tag.definition.source);
    if (std::find(kServedSchemes.begin(), kServedSchemes.end(), scheme) == kServedSchemes.end()) {
      add(fmt::format(
          "tag {}: simulated, but its source '{}' is not a protocol strata sim --serve serves ({})", tag.id,
          tag.definition.source, fmt::join(kServedSchemes, ", ")));
    }
  }
  if (!any && problems.empty()) {
    add("no tag has a `simulate:` signal, so there is nothing to serve (add e.g. `simulate: state` to the "
        "tags the simulator stands in for)");
  }
  if (problems.empty()) return {};
  if (unknown_signal) problems += " (known signals: " + sim::known_signal_names() + ")";
  return make_error(problems);
}

model::Plant simulated_copy(const model::Plant& plant) {
  auto copy = plant;
  for (auto& tag : copy.tags) {
    if (is_simulated(tag)) tag.definition.source = "sim:" + tag.definition.simulate;
  }
  return copy;
}

}  // namespace strata::staging
