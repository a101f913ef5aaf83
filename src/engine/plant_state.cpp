#include "engine/plant_state.hpp"

namespace strata::engine {

const UnitRuntime* PlantState::find_unit(std::string_view id) const {
  for (const auto& runtime : units) {
    if (runtime.unit->id == id) return &runtime;
  }
  return nullptr;
}

}  // namespace strata::engine
