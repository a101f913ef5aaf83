#include "config/template_parser.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/duration.hpp"
#include "config/alarm_section.hpp"
#include "config/parameters.hpp"
#include "config/performance_section.hpp"
#include "config/simulation.hpp"

namespace strata::config::detail {
namespace {

using model::EquipmentLevel;

constexpr std::string_view kTagTypeNames = "bool, int32, int64, float32, float64, string";

std::vector<std::string> declared_names(const model::LineTemplate& line) {
  std::vector<std::string> names;
  for (const auto& parameter : line.parameters) names.push_back(parameter.name);
  return names;
}

// Tag names become the last segment of tag ids ("<unit id>/<tag name>").
bool is_valid_tag_name(std::string_view name) {
  return !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ' ' || c == '\t' || c == '$' || c == '{' || c == '}';
  });
}

// Reports `${name}` references to parameters the template does not declare.
void check_references(DiagnosticSink& sink, const std::string& text, Position at,
                      const ParsedTemplate& line) {
  const auto scan = scan_references(text);
  for (const auto& reference : scan.references) {
    const auto& parameters = line.model.parameters;
    const bool declared = std::any_of(parameters.begin(), parameters.end(),
                                      [&](const auto& p) { return p.name == reference.name; });
    if (!declared) {
      const auto names = declared_names(line.model);
      sink.error(at,
                 fmt::format("reference to undeclared parameter '${{{}}}' in {} (declared parameters: {})",
                             reference.name, line.what, names.empty() ? "none" : join(names)));
    }
  }
  if (scan.unterminated) {
    sink.error(at, fmt::format("unterminated parameter reference in '{}' (expected '${{name}}')", text));
  }
}

template <typename T>
struct Named {
  T value;
  Position name_position;
};

std::optional<Named<model::ParameterDeclaration>> parse_parameter(DiagnosticSink& sink,
                                                                  const YAML::Node& node, Position fallback,
                                                                  std::size_t index,
                                                                  const std::string& scope) {
  MapReader map(sink, node, fallback, fmt::format("parameter #{} of {}", index + 1, scope));
  if (!map.ok()) return std::nullopt;
  model::ParameterDeclaration parameter;
  const auto name = map.id("name");
  if (name) {
    parameter.name = *name;
    map.rename(fmt::format("parameter '{}' of {}", *name, scope));
  }
  map.check_keys({"name", "type", "default", "unit", "description"}, {"name", "type"});
  if (const auto type = map.scalar("type")) {
    if (const auto parsed = parse_parameter_type(*type)) {
      parameter.type = *parsed;
    } else {
      sink.error(map.find("type")->value_position,
                 fmt::format("unknown type '{}' for {} (expected one of: {})", *type, map.what(),
                             kParameterTypeNames));
    }
  }
  if (const auto value = map.scalar("default")) {
    const auto type = map.scalar("type");
    if (type && parse_parameter_type(*type) && !matches_type(*value, parameter.type)) {
      sink.error(map.find("default")->value_position,
                 fmt::format("default value '{}' of {} is not a valid {}", *value, map.what(),
                             to_string(parameter.type)));
    }
    parameter.default_value = *value;
  }
  parameter.engineering_unit = map.scalar("unit").value_or("");
  parameter.description = map.scalar("description").value_or("");
  if (!name) return std::nullopt;
  return Named<model::ParameterDeclaration>{std::move(parameter), map.find("name")->value_position};
}

std::optional<Named<model::TagDefinition>> parse_tag(DiagnosticSink& sink, const YAML::Node& node,
                                                     Position fallback, std::size_t index,
                                                     const std::string& unit_what,
                                                     const ParsedTemplate& line) {
  // Tag messages do not name the unit: aliased tag lists (`*packtags`) would repeat them per unit.
  MapReader map(sink, node, fallback, fmt::format("tag #{} of {}", index + 1, unit_what));
  if (!map.ok()) return std::nullopt;
  model::TagDefinition tag;
  const auto name = map.scalar("name");
  if (name) {
    tag.name = *name;
    map.rename(fmt::format("tag '{}'", *name));
    if (!is_valid_tag_name(*name)) {
      sink.error(map.find("name")->value_position,
                 fmt::format("invalid tag name '{}' (tag names must not be empty or contain '/', "
                             "blanks, '$', '{{' or '}}')",
                             *name));
    }
  }
  map.check_keys({"name", "type", "unit", "source", "description", "simulate", "sampling_interval",
                  "publishing_interval"},
                 {"name", "type"});
  if (const auto type = map.scalar("type")) {
    if (const auto parsed = model::parse_tag_type(*type)) {
      tag.type = *parsed;
    } else {
      sink.error(map.find("type")->value_position,
                 fmt::format("unknown tag type '{}' for {} (expected one of: {})", *type, map.what(),
                             kTagTypeNames));
    }
  }
  const auto text_field = [&](std::string_view key, std::string& out) {
    if (const auto value = map.scalar(key)) {
      out = *value;
      check_references(sink, *value, map.find(key)->value_position, line);
    }
  };
  text_field("unit", tag.engineering_unit);
  text_field("source", tag.source);
  text_field("description", tag.description);
  text_field("simulate", tag.simulate);
  const auto interval = [&](std::string_view key, Timestamp& out) {
    if (const auto value =
            read_value(map, key, "a duration of at least 1ms, like 250ms", [](std::string_view text) {
              const auto micros = parse_duration(text);
              return micros && *micros >= kMicrosPerMilli ? micros : std::nullopt;
            })) {
      out = *value;
    }
  };
  interval("sampling_interval", tag.sampling_interval);
  interval("publishing_interval", tag.publishing_interval);
  if (!name) return std::nullopt;
  return Named<model::TagDefinition>{std::move(tag), map.find("name")->value_position};
}

void parse_simulation(DiagnosticSink& sink, const Entry& entry, ParsedUnit& unit,
                      const std::string& unit_what, const ParsedTemplate& line) {
  MapReader map(sink, entry.value, entry.value_position, fmt::format("simulation of {}", unit_what));
  if (!map.ok()) return;
  map.check_keys(simulation_field_names(), {});
  for (const auto& field_entry : map.entries()) {
    const auto* field = find_simulation_field(field_entry.key);
    if (field == nullptr) continue;  // reported by check_keys
    const auto value = entry_scalar(sink, field_entry, map.what());
    if (!value) continue;
    unit.model.simulation[field_entry.key] = *value;
    unit.simulation_positions[field_entry.key] = field_entry.value_position;
    const auto scan = scan_references(*value);
    check_references(sink, *value, field_entry.value_position, line);
    if (!scan.references.empty() || scan.unterminated) continue;  // checked per instance
    const auto checked = check_simulation_value(*field, *value);
    if (!checked) {
      sink.error(field_entry.value_position, fmt::format("simulation field '{}' of {} {}", field->name,
                                                         unit_what, checked.error().message));
    }
  }
}

std::optional<ParsedUnit> parse_unit(DiagnosticSink& sink, const YAML::Node& node, Position fallback,
                                     std::size_t index, const ParsedTemplate& line) {
  MapReader map(sink, node, fallback, fmt::format("unit #{} of {}", index + 1, line.what));
  if (!map.ok()) return std::nullopt;
  ParsedUnit unit;
  unit.position = map.position();
  const auto id = map.id();
  if (id) {
    unit.id_position = map.find("id")->value_position;
    unit.model.id = *id;
    map.rename(fmt::format("unit '{}' of {}", *id, line.what));
  }
  map.check_keys(
      {"id", "name", "level", "state_tag", "mode_tag", "tags", "simulation", "performance", "alarms"},
      {"id"});
  unit.model.name = map.scalar("name").value_or(id.value_or(""));
  if (const auto level = read_level(map, false)) unit.model.level = *level;

  if (const auto* tags = map.find("tags")) {
    DuplicateTracker names;
    const auto items = sequence_items(sink, *tags, map.what());
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto tag = parse_tag(sink, items[i], tags->value_position, i, map.what(), line);
      if (!tag) continue;
      if (!names.add(sink, tag->value.name, tag->name_position, "tag name",
                     fmt::format("unit '{}'", unit.model.id))) {
        continue;
      }
      unit.model.tags.push_back(std::move(tag->value));
    }
  }
  check_unit_tag_reference(map, "state_tag", unit, unit.model.state_tag);
  check_unit_tag_reference(map, "mode_tag", unit, unit.model.mode_tag);
  if (const auto* simulation = map.find("simulation")) {
    parse_simulation(sink, *simulation, unit, map.what(), line);
  }
  if (const auto* performance = map.find("performance"))
    parse_performance(sink, *performance, unit, map.what());
  if (const auto* alarms = map.find("alarms")) parse_unit_alarms(sink, *alarms, unit, map.what());
  if (!id) return std::nullopt;
  return unit;
}

std::optional<ParsedTemplate> parse_template(DiagnosticSink& sink, const YAML::Node& node, Position fallback,
                                             std::size_t index) {
  MapReader map(sink, node, fallback, fmt::format("template #{}", index + 1));
  if (!map.ok()) return std::nullopt;
  ParsedTemplate line;
  line.position = map.position();
  const auto id = map.id();
  const auto version = map.scalar("version");
  if (id) {
    line.model.id = *id;
    line.id_position = map.find("id")->value_position;
  }
  if (version) line.model.version = *version;
  if (id) map.rename(fmt::format("template '{}'{}", *id, version ? " version " + *version : ""));
  line.what = map.what();
  map.check_keys(
      {"id", "version", "description", "level", "parameters", "units", "stop_reasons", "constraint_unit"},
      {"id", "version", "units"});
  if (version && version->empty()) {
    sink.error(map.find("version")->value_position, fmt::format("empty version in {}", line.what));
  }
  line.model.description = map.scalar("description").value_or("");
  if (const auto level = read_level(map, true)) line.model.level = *level;

  if (const auto* parameters = map.find("parameters")) {
    DuplicateTracker names;
    const auto items = sequence_items(sink, *parameters, line.what);
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto parameter = parse_parameter(sink, items[i], parameters->value_position, i, line.what);
      if (!parameter) continue;
      if (!names.add(sink, parameter->value.name, parameter->name_position, "parameter", line.what)) continue;
      line.model.parameters.push_back(std::move(parameter->value));
    }
  }

  if (const auto* units = map.find("units")) {
    DuplicateTracker ids;
    const auto items = sequence_items(sink, *units, line.what);
    if (items.empty() && units->value.IsSequence()) {
      sink.error(units->value_position, fmt::format("{} has no units", line.what));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto unit = parse_unit(sink, items[i], units->value_position, i, line);
      if (!unit) continue;
      if (!ids.add(sink, unit->model.id, unit->id_position, "unit id", line.what)) continue;
      line.units.push_back(std::move(*unit));
    }
  }
  for (const auto& unit : line.units) line.model.units.push_back(unit.model);
  if (const auto* reasons = map.find("stop_reasons")) {
    line.model.stop_reasons = parse_stop_reasons(sink, *reasons, line.what);
  }
  if (const auto constraint = map.scalar("constraint_unit")) {
    const auto& units = line.model.units;
    if (std::none_of(units.begin(), units.end(), [&](const auto& unit) { return unit.id == *constraint; })) {
      std::vector<std::string> ids;
      for (const auto& unit : units) ids.push_back(unit.id);
      sink.error(map.find("constraint_unit")->value_position,
                 fmt::format("constraint_unit '{}' of {} is not one of its units (units: {})", *constraint,
                             line.what, ids.empty() ? "none" : join(ids)));
    }
    line.model.constraint_unit = *constraint;
  }
  if (!id || !version) return std::nullopt;
  return line;
}

}  // namespace

void check_unit_tag_reference(const MapReader& map, std::string_view key, const ParsedUnit& unit,
                              std::optional<std::string>& out) {
  const auto name = map.scalar(key);
  if (!name) return;
  out = *name;
  const auto& tags = unit.model.tags;
  if (std::any_of(tags.begin(), tags.end(), [&](const auto& tag) { return tag.name == *name; })) return;
  std::vector<std::string> names;
  for (const auto& tag : tags) names.push_back(tag.name);
  map.sink().error(map.find(key)->value_position,
                   fmt::format("{} '{}' of {} is not one of its tags (tags: {})", key, *name, map.what(),
                               names.empty() ? "none" : join(names)));
}

std::string level_names(bool work_center) {
  std::vector<std::string> names;
  for (int i = 0; i <= static_cast<int>(EquipmentLevel::WorkUnit); ++i) {
    const auto level = static_cast<EquipmentLevel>(i);
    if (work_center ? model::is_work_center(level) : model::is_work_unit(level)) {
      names.emplace_back(model::to_string(level));
    }
  }
  return join(names);
}

std::optional<model::EquipmentLevel> read_level(const MapReader& map, bool work_center) {
  const auto text = map.scalar("level");
  if (!text) return std::nullopt;
  const auto level = model::parse_equipment_level(*text);
  if (level && (work_center ? model::is_work_center(*level) : model::is_work_unit(*level))) return level;
  map.sink().error(map.find("level")->value_position,
                   fmt::format("invalid level '{}' for {} (expected a work {} level: {})", *text, map.what(),
                               work_center ? "center" : "unit", level_names(work_center)));
  return std::nullopt;
}

std::vector<ParsedTemplate> parse_templates(DiagnosticSink& sink, const Entry& entry) {
  std::vector<ParsedTemplate> templates;
  std::map<std::pair<std::string, std::string>, Position> seen;
  const auto items = sequence_items(sink, entry, "the plant definition");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto line = parse_template(sink, items[i], entry.value_position, i);
    if (!line) continue;
    const auto [it, inserted] =
        seen.emplace(std::pair{line->model.id, line->model.version}, line->id_position);
    if (!inserted) {
      sink.error(line->id_position,
                 fmt::format("duplicate template '{}' version {} (first defined at line {})", line->model.id,
                             line->model.version, it->second.line));
      continue;
    }
    templates.push_back(std::move(*line));
  }
  return templates;
}

}  // namespace strata::config::detail
