#pragma once
// Staging (`strata sim <plant> --serve`): the built-in line simulator stands in for the PLCs. Tags with a
// `simulate:` signal keep their real source (the address served) and get their value from the simulator,
// which runs on a copy of the plant where those tags read "sim:<signal>".
#include <array>
#include <string_view>

#include "common/result.hpp"
#include "model/plant.hpp"

namespace strata::staging {

// Source schemes whose addresses `strata sim --serve` can serve.
inline constexpr std::array<std::string_view, 2> kServedSchemes{"modbus", "opcua"};

// Every simulated tag names a known signal and has a source of a served scheme; every problem at
// once, "; "-separated, naming the tag.
[[nodiscard]] Result<void> check_simulated_tags(const model::Plant& plant);

// The plant the simulator runs on: a copy where every tag with `simulate` set has source
// "sim:<simulate>"; tag indices are unchanged, so updates address the original plant's tags too.
[[nodiscard]] model::Plant simulated_copy(const model::Plant& plant);

// Whether the staged plant serves the tag: `simulate` is set (check_simulated_tags passed).
[[nodiscard]] inline bool is_simulated(const model::Tag& tag) {
  return !tag.definition.simulate.empty();
}

}  // namespace strata::staging
