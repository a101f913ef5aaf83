#include "config/hierarchy_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "config/alarm_section.hpp"
#include "config/parameters.hpp"
#include "config/performance_section.hpp"
#include "config/simulation.hpp"

namespace strata::config::detail {
namespace {

const model::ParameterDeclaration* find_parameter(const model::LineTemplate& line, std::string_view name) {
  for (const auto& parameter : line.parameters) {
    if (parameter.name == name) return &parameter;
  }
  return nullptr;
}

std::string parameter_names(const model::LineTemplate& line) {
  std::vector<std::string> names;
  for (const auto& parameter : line.parameters) names.push_back(parameter.name);
  return names.empty() ? "none" : join(names);
}

}  // namespace

void HierarchyBuilder::build_sites(const Entry& sites) {
  const auto items = sequence_items(sink_, sites, "the plant definition");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto site = build_site(items[i], sites.value_position, i);
    if (site) plant_.sites.push_back(std::move(*site));
  }
}

std::optional<model::Site> HierarchyBuilder::build_site(const YAML::Node& node, Position fallback,
                                                        std::size_t index) {
  MapReader map(sink_, node, fallback, fmt::format("site #{}", index + 1));
  if (!map.ok()) return std::nullopt;
  const auto id = map.id();
  if (id) map.rename(fmt::format("site '{}'", *id));
  map.check_keys({"id", "name", "areas"}, {"id"});
  if (!id) return std::nullopt;
  for (const auto& other : plant_.sites) {
    if (other.local_id == *id) {
      sink_.error(map.find("id")->value_position, fmt::format("duplicate site id '{}'", *id));
      return std::nullopt;
    }
  }
  model::Site site;
  site.local_id = *id;
  site.id = *id;
  site.name = map.scalar("name").value_or(*id);
  if (const auto* areas = map.find("areas")) {
    const auto items = sequence_items(sink_, *areas, map.what());
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto area = build_area(items[i], areas->value_position, i, site);
      if (area) site.areas.push_back(std::move(*area));
    }
  }
  return site;
}

std::optional<model::Area> HierarchyBuilder::build_area(const YAML::Node& node, Position fallback,
                                                        std::size_t index, const model::Site& site) {
  MapReader map(sink_, node, fallback, fmt::format("area #{} of site '{}'", index + 1, site.local_id));
  if (!map.ok()) return std::nullopt;
  const auto id = map.id();
  if (id) map.rename(fmt::format("area '{}'", *id));
  map.check_keys({"id", "name", "work_centers"}, {"id"});
  if (!id) return std::nullopt;
  for (const auto& other : site.areas) {
    if (other.local_id == *id) {
      sink_.error(map.find("id")->value_position,
                  fmt::format("duplicate area id '{}' in site '{}'", *id, site.local_id));
      return std::nullopt;
    }
  }
  model::Area area;
  area.local_id = *id;
  area.id = model::child_id(site.id, *id);
  area.name = map.scalar("name").value_or(*id);
  if (const auto* centers = map.find("work_centers")) {
    const auto items = sequence_items(sink_, *centers, map.what());
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto center = build_work_center(items[i], centers->value_position, i, area);
      if (center) area.work_centers.push_back(std::move(*center));
    }
  }
  return area;
}

std::optional<model::WorkCenter> HierarchyBuilder::build_work_center(const YAML::Node& node,
                                                                     Position fallback, std::size_t index,
                                                                     const model::Area& area) {
  MapReader map(sink_, node, fallback, fmt::format("work center #{} of area '{}'", index + 1, area.local_id));
  if (!map.ok()) return std::nullopt;
  const auto id = map.id();
  if (id) map.rename(fmt::format("work center '{}'", *id));
  map.check_keys({"id", "name", "level", "template", "parameters", "bindings", "alarm_overrides"},
                 {"id", "template"});
  if (!id) return std::nullopt;
  for (const auto& other : area.work_centers) {
    if (other.local_id == *id) {
      sink_.error(map.find("id")->value_position,
                  fmt::format("duplicate work center id '{}' in area '{}'", *id, area.local_id));
      return std::nullopt;
    }
  }
  model::WorkCenter center;
  center.local_id = *id;
  center.id = model::child_id(area.id, *id);
  center.name = map.scalar("name").value_or(*id);
  const auto level = read_level(map, true);

  const ParsedTemplate* line = resolve_template(map, center);
  const auto parameters = resolve_parameters(map, line, center);
  if (line == nullptr) return center;  // unknown template reported; units cannot be checked

  center.level = level.value_or(line->model.level);
  instantiate_units(*line, parameters, center, map.what());
  if (const auto* bindings = map.find("bindings"))
    apply_bindings(*bindings, *line, parameters, center, map.what());
  instantiate_alarms(sink_, *line, center, map.find("alarm_overrides"), parameters.values,
                     parameters.positions, plant_, map.what());
  return center;
}

const ParsedTemplate* HierarchyBuilder::resolve_template(const MapReader& center_map,
                                                         model::WorkCenter& center) {
  const auto* entry = center_map.find("template");
  if (entry == nullptr) return nullptr;
  MapReader map(sink_, entry->value, entry->value_position, fmt::format("template of {}", center_map.what()));
  if (!map.ok()) return nullptr;
  map.check_keys({"id", "version"}, {"id", "version"});
  const auto id = map.scalar("id");
  const auto version = map.scalar("version");
  if (!id || !version) return nullptr;
  center.template_ref = model::TemplateRef{*id, *version};

  std::vector<std::string> ids;
  std::vector<std::string> versions;
  for (const auto& line : templates_) {
    if (line.model.id == *id) {
      if (line.model.version == *version) return &line;
      versions.push_back(line.model.version);
    } else if (std::find(ids.begin(), ids.end(), line.model.id) == ids.end()) {
      ids.push_back(line.model.id);
    }
  }
  if (versions.empty()) {
    sink_.error(map.find("id")->value_position,
                fmt::format("unknown template '{}' in {} (available templates: {})", *id, center_map.what(),
                            ids.empty() ? "none" : join(ids)));
  } else {
    sink_.error(map.find("version")->value_position,
                fmt::format("unknown version '{}' of template '{}' in {} (available versions: {})", *version,
                            *id, center_map.what(), join(versions)));
  }
  return nullptr;
}

HierarchyBuilder::ResolvedParameters HierarchyBuilder::resolve_parameters(const MapReader& center_map,
                                                                          const ParsedTemplate* line,
                                                                          model::WorkCenter& center) {
  ResolvedParameters resolved;
  std::set<std::string> set;
  const auto* entry = center_map.find("parameters");
  if (entry != nullptr) {
    MapReader map(sink_, entry->value, entry->value_position,
                  fmt::format("parameters of {}", center_map.what()));
    DuplicateTracker names;
    for (const auto& parameter : map.entries()) {
      if (!names.add(sink_, parameter.key, parameter.key_position, "parameter", center_map.what())) continue;
      set.insert(parameter.key);
      const auto value = entry_scalar(sink_, parameter, center_map.what());
      if (!value) continue;
      if (line != nullptr) {
        const auto* declaration = find_parameter(line->model, parameter.key);
        if (declaration == nullptr) {
          sink_.error(parameter.key_position,
                      fmt::format("unknown parameter '{}' in {} ({} declares: {})", parameter.key,
                                  center_map.what(), line->what, parameter_names(line->model)));
          continue;
        }
        if (!matches_type(*value, declaration->type)) {
          sink_.error(parameter.value_position,
                      fmt::format("parameter '{}' of {} must be of type {}, got '{}'", parameter.key,
                                  center_map.what(), to_string(declaration->type), *value));
          continue;
        }
      }
      resolved.values[parameter.key] = *value;
      resolved.positions[parameter.key] = parameter.value_position;
    }
  }
  if (line != nullptr) {
    const Position missing_at = entry != nullptr ? entry->value_position : center_map.position();
    for (const auto& declaration : line->model.parameters) {
      if (resolved.values.count(declaration.name) != 0) continue;
      if (declaration.default_value) {
        resolved.values[declaration.name] = *declaration.default_value;
        continue;
      }
      if (set.count(declaration.name) != 0) continue;  // set to an invalid value: reported already
      sink_.error(missing_at, fmt::format("missing required parameter '{}' in {} ({} gives it no default)",
                                          declaration.name, center_map.what(), line->what));
    }
  }
  center.parameters = resolved.values;
  return resolved;
}

void HierarchyBuilder::instantiate_units(const ParsedTemplate& line, const ResolvedParameters& parameters,
                                         model::WorkCenter& center, const std::string& center_what) {
  const auto substituted = [&](const std::string& text) {
    return substitute(text, parameters.values).value_or(text);  // unresolved: reported elsewhere
  };
  for (const auto& parsed : line.units) {
    model::WorkUnit unit;
    unit.local_id = parsed.model.id;
    unit.id = model::child_id(center.id, parsed.model.id);
    unit.name = parsed.model.name;
    unit.level = parsed.model.level;
    unit.template_unit = parsed.model.id;
    std::map<std::string, model::TagIndex> tag_of;
    for (const auto& definition : parsed.model.tags) {
      model::Tag tag;
      tag.id = model::child_id(unit.id, definition.name);
      tag.unit_id = unit.id;
      tag.definition = definition;
      tag.definition.source = substituted(definition.source);
      tag.definition.description = substituted(definition.description);
      tag.definition.engineering_unit = substituted(definition.engineering_unit);
      const auto index = static_cast<model::TagIndex>(plant_.tags.size());
      if (parsed.model.state_tag == definition.name) unit.state_tag = index;
      if (parsed.model.mode_tag == definition.name) unit.mode_tag = index;
      unit.tags.push_back(index);
      tag_of.emplace(definition.name, index);
      plant_.tags.push_back(std::move(tag));
    }
    const auto unit_what = fmt::format("unit '{}' in {}", parsed.model.id, center_what);
    unit.simulation = build_simulation(parsed, parameters, unit_what);
    unit.performance =
        build_performance(sink_, parsed, tag_of, parameters.values, parameters.positions, unit_what);
    center.units.push_back(std::move(unit));
  }
  center.constraint_unit = choose_constraint_unit(line.model, center.units);
  center.stop_reasons = line.model.stop_reasons;
}

model::SimulationProfile HierarchyBuilder::build_simulation(const ParsedUnit& unit,
                                                            const ResolvedParameters& parameters,
                                                            const std::string& unit_what) {
  model::SimulationProfile profile;
  for (const auto& [name, raw] : unit.model.simulation) {
    const auto* field = find_simulation_field(name);
    if (field == nullptr) continue;  // reported with the template
    const auto text = substitute(raw, parameters.values);
    if (!text) continue;  // missing parameter, reported
    const auto value = check_simulation_value(*field, *text);
    if (value) {
      profile.*(field->member) = *value;
      continue;
    }
    const auto scan = scan_references(raw);
    if (scan.references.empty()) continue;  // a literal: reported once with the template
    const Position at = blame_position(raw, parameters.positions, unit.simulation_positions.at(name));
    sink_.error(at, fmt::format("simulation field '{}' of {} {} (from '{}')", name, unit_what,
                                value.error().message, raw));
  }
  return profile;
}

void HierarchyBuilder::apply_bindings(const Entry& bindings, const ParsedTemplate& line,
                                      const ResolvedParameters& parameters, const model::WorkCenter& center,
                                      const std::string& center_what) {
  MapReader map(sink_, bindings.value, bindings.value_position, fmt::format("bindings of {}", center_what));
  DuplicateTracker keys;
  for (const auto& binding : map.entries()) {
    if (!keys.add(sink_, binding.key, binding.key_position, "binding", center_what)) continue;
    const auto dot = binding.key.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == binding.key.size()) {
      sink_.error(binding.key_position,
                  fmt::format("invalid binding key '{}' in {} (expected '<unit>.<tag name>')", binding.key,
                              center_what));
      continue;
    }
    const auto unit_id = binding.key.substr(0, dot);
    const auto tag_name = binding.key.substr(dot + 1);
    const auto unit = std::find_if(center.units.begin(), center.units.end(),
                                   [&](const model::WorkUnit& u) { return u.local_id == unit_id; });
    if (unit == center.units.end()) {
      std::vector<std::string> units;
      for (const auto& u : center.units) units.push_back(u.local_id);
      sink_.error(binding.key_position,
                  fmt::format("unknown unit '{}' in binding '{}' (line {} has units: {})", unit_id,
                              binding.key, center.local_id, join(units)));
      continue;
    }
    const auto tag = std::find_if(unit->tags.begin(), unit->tags.end(), [&](model::TagIndex index) {
      return plant_.tags[index].definition.name == tag_name;
    });
    if (tag == unit->tags.end()) {
      std::vector<std::string> tags;
      for (const auto index : unit->tags) tags.push_back(plant_.tags[index].definition.name);
      sink_.error(
          binding.key_position,
          fmt::format("unknown tag '{}' in binding '{}' (unit '{}' of line {} has tags: {})", tag_name,
                      binding.key, unit_id, center.local_id, tags.empty() ? "none" : join(tags)));
      continue;
    }
    const auto source = entry_scalar(sink_, binding, map.what());
    if (!source) continue;
    const auto scan = scan_references(*source);
    bool references_ok = !scan.unterminated;
    if (scan.unterminated) {
      sink_.error(binding.value_position,
                  fmt::format("unterminated parameter reference in '{}' (expected '${{name}}')", *source));
    }
    for (const auto& reference : scan.references) {
      if (find_parameter(line.model, reference.name) == nullptr) {
        references_ok = false;
        sink_.error(
            binding.value_position,
            fmt::format("reference to undeclared parameter '${{{}}}' in binding '{}' of {} ({} declares: {})",
                        reference.name, binding.key, center_what, line.what, parameter_names(line.model)));
      }
    }
    if (!references_ok) continue;
    plant_.tags[*tag].definition.source = substitute(*source, parameters.values).value_or(*source);
  }
}

}  // namespace strata::config::detail
