// libFuzzer target: arbitrary bytes as a plant definition file.
// Invariants: never crashes, hangs or throws; plant is set iff there are no diagnostics; every
// diagnostic has a non-negative position and renders to a non-empty string.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/plant_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  const auto result = strata::config::load_plant_string(yaml, "fuzz.yaml");

  if (result.plant.has_value() != result.diagnostics.empty()) __builtin_trap();
  if (result.ok() != result.plant.has_value()) __builtin_trap();
  for (const auto& diagnostic : result.diagnostics) {
    if (diagnostic.line < 0 || diagnostic.column < 0) __builtin_trap();
    if (diagnostic.to_string().empty()) __builtin_trap();
  }
  if (!result.diagnostics.empty() && strata::config::to_string(result.diagnostics).empty()) __builtin_trap();
  return 0;
}
