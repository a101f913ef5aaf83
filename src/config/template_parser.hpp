#pragma once
// The `templates:` section: versioned line templates with parameters and units.
#include <map>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

struct ParsedUnit {
  model::UnitTemplate model;
  Position position;
  Position id_position;
  std::map<std::string, Position> simulation_positions;  // field -> position of its raw value
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

// "ProcessCell, ProductionUnit, ..." (work_center) or "Unit, WorkCell, ..." (work unit).
[[nodiscard]] std::string level_names(bool work_center);
// Parses a `level:` value that must be a work center (or work unit) level; reports otherwise.
[[nodiscard]] std::optional<model::EquipmentLevel> read_level(const MapReader& map, bool work_center);

}  // namespace strata::config::detail
