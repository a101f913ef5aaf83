#pragma once
// The `templates:` section: versioned line templates with parameters and units.
#include <map>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "model/alarm_definition.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

// One alarm of a unit template as written: scalar fields stay text until the line instance substitutes
// its parameters and overrides; lists are checked here once.
struct ParsedAlarm {
  std::string id;
  Position position;
  std::map<std::string, std::string> fields;  // scalar fields, may reference ${parameters}
  std::map<std::string, Position> field_positions;
  std::vector<states::PackMLState> active_only_in;
  model::CommentRules comments_required;
  std::vector<std::string> overridable;  // fields a line may override (the template's extension points)
};

struct ParsedUnit {
  model::UnitTemplate model;
  Position position;
  Position id_position;
  std::map<std::string, Position> simulation_positions;  // field -> position of its raw value
  Position ideal_rate_position;
  std::map<std::string, Position> ideal_rates_positions;  // product -> position of its rate
  std::vector<ParsedAlarm> alarms;
};

struct ParsedTemplate {
  model::LineTemplate model;  // units filled from `units` once parsed
  std::vector<ParsedUnit> units;
  Position position;
  Position id_position;
  std::string what;  // "template 'bottling-line' version 1.0.0", for messages
};

// Parses and validates the `templates:` entry. Templates whose id or version is missing are dropped
// (reported); everything else is kept, even with errors, so instances can still be checked.
[[nodiscard]] std::vector<ParsedTemplate> parse_templates(DiagnosticSink& sink, const Entry& entry);

// Reads `key` as the name of one of the unit's tags into `out`; reports names that are not its tags.
void check_unit_tag_reference(const MapReader& map, std::string_view key, const ParsedUnit& unit,
                              std::optional<std::string>& out);

// "ProcessCell, ProductionUnit, ..." (work_center) or "Unit, WorkCell, ..." (work unit).
[[nodiscard]] std::string level_names(bool work_center);
// Parses a `level:` value that must be a work center (or work unit) level; reports otherwise.
[[nodiscard]] std::optional<model::EquipmentLevel> read_level(const MapReader& map, bool work_center);

}  // namespace strata::config::detail
