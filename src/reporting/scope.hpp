#pragma once
// What a KPI request is about: an equipment path resolved to the lines and units it covers.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model/plant.hpp"

namespace strata::reporting {

enum class ScopeKind { Enterprise, Site, Area, Line, Unit };
[[nodiscard]] std::string_view to_string(ScopeKind kind);

struct Scope {
  std::string id;  // "" for the enterprise
  std::string name;
  ScopeKind kind = ScopeKind::Enterprise;
  std::vector<const model::WorkCenter*> lines;  // the unit's line for a unit scope
  std::vector<const model::WorkUnit*> units;    // only the unit for a unit scope
};

// "" = the enterprise; otherwise a site, area, line or unit path. Unknown paths are refused with a message.
[[nodiscard]] Result<Scope> resolve_scope(const model::Plant& plant, std::string_view id);

}  // namespace strata::reporting
