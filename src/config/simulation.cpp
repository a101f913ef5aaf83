#include "config/simulation.hpp"

#include <fmt/format.h>

#include "config/parameters.hpp"

namespace strata::config::detail {

const std::vector<SimulationField>& simulation_fields() {
  using P = model::SimulationProfile;
  static const std::vector<SimulationField> fields{
      {"design_speed", &P::design_speed, [](double v) { return v > 0; }, "design_speed > 0"},
      {"reject_ratio", &P::reject_ratio, [](double v) { return v >= 0 && v < 1; }, "0 <= reject_ratio < 1"},
      {"mean_time_between_faults", &P::mean_time_between_faults, [](double v) { return v > 0; },
       "mean_time_between_faults > 0"},
      {"mean_time_to_repair", &P::mean_time_to_repair, [](double v) { return v > 0; },
       "mean_time_to_repair > 0"},
      {"hold_ratio", &P::hold_ratio, [](double v) { return v >= 0 && v <= 1; }, "0 <= hold_ratio <= 1"},
      {"speed_jitter", &P::speed_jitter, [](double v) { return v >= 0 && v < 1; }, "0 <= speed_jitter < 1"},
  };
  return fields;
}

const SimulationField* find_simulation_field(std::string_view name) {
  for (const auto& field : simulation_fields()) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::vector<std::string> simulation_field_names() {
  std::vector<std::string> names;
  for (const auto& field : simulation_fields()) names.emplace_back(field.name);
  return names;
}

Result<double> check_simulation_value(const SimulationField& field, std::string_view text) {
  const auto number = parse_number(text);
  if (!number) return make_error(fmt::format("is not a number: '{}'", text));
  if (!field.in_range(*number)) {
    return make_error(fmt::format("= {} is out of range (expected {})", text, field.range));
  }
  return *number;
}

}  // namespace strata::config::detail
