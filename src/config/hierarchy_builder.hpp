#pragma once
// The `sites:` section: Site > Area > Work center, each work center instantiated from a template
// (parameters resolved, units and tags created, bindings applied, simulation profiles parsed).
#include <vector>

#include "config/template_parser.hpp"
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

class HierarchyBuilder {
 public:
  // Instantiated tags are appended to plant.tags; sites to plant.sites.
  HierarchyBuilder(DiagnosticSink& sink, const std::vector<ParsedTemplate>& templates, model::Plant& plant)
      : sink_(sink), templates_(templates), plant_(plant) {}

  void build_sites(const Entry& sites);

 private:
  // Parameter values of one work center and where the instance set them.
  struct ResolvedParameters {
    std::map<std::string, std::string> values;
    std::map<std::string, Position> positions;  // only parameters set in the instance
  };

  std::optional<model::Site> build_site(const YAML::Node& node, Position fallback, std::size_t index);
  std::optional<model::Area> build_area(const YAML::Node& node, Position fallback, std::size_t index,
                                        const model::Site& site);
  std::optional<model::WorkCenter> build_work_center(const YAML::Node& node, Position fallback,
                                                     std::size_t index, const model::Area& area);

  const ParsedTemplate* resolve_template(const MapReader& center_map, model::WorkCenter& center);
  ResolvedParameters resolve_parameters(const MapReader& center_map, const ParsedTemplate* line,
                                        model::WorkCenter& center);
  void instantiate_units(const ParsedTemplate& line, const ResolvedParameters& parameters,
                         model::WorkCenter& center, const std::string& center_what);
  model::SimulationProfile build_simulation(const ParsedUnit& unit, const ResolvedParameters& parameters,
                                            const std::string& unit_what);
  void apply_bindings(const Entry& bindings, const ParsedTemplate& line, const ResolvedParameters& parameters,
                      const model::WorkCenter& center, const std::string& center_what);

  DiagnosticSink& sink_;
  const std::vector<ParsedTemplate>& templates_;
  model::Plant& plant_;
};

}  // namespace strata::config::detail
