#pragma once
// Fields of a unit's `simulation:` map and their valid ranges.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

struct SimulationField {
  std::string_view name;
  double model::SimulationProfile::*member;
  bool (*in_range)(double);
  std::string_view range;  // e.g. "0 <= reject_ratio < 1"
};

[[nodiscard]] const std::vector<SimulationField>& simulation_fields();
[[nodiscard]] const SimulationField* find_simulation_field(std::string_view name);
[[nodiscard]] std::vector<std::string> simulation_field_names();

// The number in `text` if it is one and within the field's range; otherwise an error message
// ("is not a number: 'x'" / "= 2 is out of range (expected ...)") to be prefixed with the context.
[[nodiscard]] Result<double> check_simulation_value(const SimulationField& field, std::string_view text);

}  // namespace strata::config::detail
