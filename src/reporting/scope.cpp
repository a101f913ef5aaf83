#include "reporting/scope.hpp"

namespace strata::reporting {

std::string_view to_string(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::Site:
      return "site";
    case ScopeKind::Area:
      return "area";
    case ScopeKind::Line:
      return "line";
    case ScopeKind::Unit:
      return "unit";
    case ScopeKind::Enterprise:
      break;
  }
  return "enterprise";
}

Result<Scope> resolve_scope(const model::Plant& plant, std::string_view id) {
  Scope scope;
  scope.id = std::string(id);
  scope.name = plant.enterprise.name;
  const auto add_line = [&](const model::WorkCenter& line) {
    scope.lines.push_back(&line);
    for (const auto& unit : line.units) scope.units.push_back(&unit);
  };
  for (const auto& site : plant.sites) {
    for (const auto& area : site.areas) {
      for (const auto& line : area.work_centers) {
        if (id.empty() || id == site.id || id == area.id || id == line.id) {
          add_line(line);
          continue;
        }
        for (const auto& unit : line.units) {
          if (unit.id != id) continue;
          scope.kind = ScopeKind::Unit;
          scope.name = unit.name;
          scope.lines.push_back(&line);
          scope.units.push_back(&unit);
          return scope;
        }
      }
      if (id == area.id) {
        scope.kind = ScopeKind::Area;
        scope.name = area.name;
      }
    }
    if (id == site.id) {
      scope.kind = ScopeKind::Site;
      scope.name = site.name;
    }
  }
  if (const auto* line = plant.find_work_center(id)) {
    scope.kind = ScopeKind::Line;
    scope.name = line->name;
  }
  if (!id.empty() && scope.kind == ScopeKind::Enterprise) {
    return make_error("unknown equipment '" + std::string(id) +
                      "' (expected a site, area, line or unit path)");
  }
  return scope;
}

}  // namespace strata::reporting
