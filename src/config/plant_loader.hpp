#pragma once
// Loads a plant definition (YAML, format `strata: 1`, see examples/bottling/plant.yaml): validates
// it completely, reporting every problem found with its position, and instantiates the line
// templates into a model::Plant.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.hpp"
#include "model/plant.hpp"

namespace strata::config {

// The plant definition format version this loader reads (`strata: 1`).
inline constexpr int kPlantFormatVersion = 1;

struct LoadResult {
  std::optional<model::Plant> plant;    // set only when diagnostics is empty
  std::vector<Diagnostic> diagnostics;  // sorted by position, duplicates removed

  [[nodiscard]] bool ok() const { return plant.has_value(); }
};

[[nodiscard]] LoadResult load_plant_file(const std::string& path);
// file_name is used in diagnostics and as Plant::source_file.
[[nodiscard]] LoadResult load_plant_string(std::string_view yaml, std::string file_name);

}  // namespace strata::config
