#pragma once
// What ISO 22400 KPIs need from a plant definition: a unit template's `performance:` block (counter and
// stop reason tags, ideal rate), a line template's `stop_reasons:` tree and `constraint_unit:`, and the
// plant's `kpi:` section (micro-stop threshold, state -> time element mapping).
#include <map>
#include <string>
#include <vector>

#include "config/template_parser.hpp"
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

// Fills unit.model.performance; tag names must be the unit's own numeric tags.
void parse_performance(DiagnosticSink& sink, const Entry& entry, ParsedUnit& unit,
                       const std::string& unit_what);

// A tree of groups whose leaves map a code to its name:
//   stop_reasons:
//     Mechanical:
//       Infeed: { 100: Infeed jam, 101: Bottle fallen }
//       110: Capper torque fault
//     Operational: { 900: Waiting for material }
// Codes are integers, unique within the template; 0 is reserved for "no stop reason".
[[nodiscard]] std::vector<model::StopReason> parse_stop_reasons(DiagnosticSink& sink, const Entry& entry,
                                                                const std::string& template_what);

// The instantiated measurement of one unit: tag indices from `tag_of` (tag name -> index) and the ideal
// rate with parameters substituted. Problems are reported at the instance's parameter value when it
// set a referenced parameter, else at the template.
[[nodiscard]] model::UnitPerformance build_performance(DiagnosticSink& sink, const ParsedUnit& unit,
                                                       const std::map<std::string, model::TagIndex>& tag_of,
                                                       const std::map<std::string, std::string>& values,
                                                       const std::map<std::string, Position>& value_positions,
                                                       const std::string& unit_what);

// The line's constraint unit: the template's choice, else the unit with the lowest ideal rate (the
// slowest), else the last unit in material-flow order.
[[nodiscard]] std::string choose_constraint_unit(const model::LineTemplate& line,
                                                 const std::vector<model::WorkUnit>& units);

void read_kpi(DiagnosticSink& sink, const Entry& entry, model::KpiSettings& settings);

}  // namespace strata::config::detail
