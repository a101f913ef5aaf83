#include "config/plant_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "alarms/definition_check.hpp"
#include "config/alarm_section.hpp"
#include "config/calendar_section.hpp"
#include "config/connections_section.hpp"
#include "config/hierarchy_builder.hpp"
#include "config/performance_section.hpp"
#include "config/security_section.hpp"
#include "config/template_parser.hpp"
#include "config/yaml_reader.hpp"

namespace strata::config {
namespace {

using detail::DiagnosticSink;
using detail::MapReader;
using detail::Position;

// Top level of a plant definition: format version, enterprise, templates, sites.
class PlantLoader {
 public:
  explicit PlantLoader(DiagnosticSink& sink) : sink_(sink) {}

  std::optional<model::Plant> load(const YAML::Node& root, std::string source_file) {
    if (!root.IsDefined() || root.IsNull()) {
      sink_.error(Position{},
                  "the plant definition is empty (expected a map with keys: strata, enterprise, "
                  "templates, sites)");
      return std::nullopt;
    }
    MapReader map(sink_, root, Position{}, "the plant definition");
    if (!map.ok() || !check_format_version(map)) return std::nullopt;
    map.check_keys({"strata", "enterprise", "security", "calendar", "kpi", "alarms", "connections",
                    "templates", "sites"},
                   {"enterprise", "sites"});

    model::Plant plant;
    plant.source_file = std::move(source_file);
    if (const auto* enterprise = map.find("enterprise")) read_enterprise(*enterprise, plant.enterprise);
    if (const auto* security = map.find("security")) detail::read_security(sink_, *security, plant.security);
    if (const auto* kpi = map.find("kpi")) detail::read_kpi(sink_, *kpi, plant.kpi);
    if (const auto* alarms = map.find("alarms")) detail::read_alarm_settings(sink_, *alarms, plant);

    std::vector<detail::ParsedTemplate> templates;
    if (const auto* entry = map.find("templates")) templates = detail::parse_templates(sink_, *entry);
    for (const auto& line : templates) plant.templates.push_back(line.model);

    if (const auto* sites = map.find("sites")) {
      detail::HierarchyBuilder(sink_, templates, plant).build_sites(*sites);
    }
    // After the sites: planned-downtime scopes are checked against the built hierarchy.
    if (const auto* calendar = map.find("calendar")) detail::read_calendar(sink_, *calendar, plant);
    if (const auto* alarms = map.find("alarms")) detail::read_alarm_notifications(sink_, *alarms, plant);
    if (const auto* connections = map.find("connections"))
      detail::read_connections(sink_, *connections, plant);
    if (sink_.count() == 0) {
      // Each definition was checked with positions when built; this catches what only the whole set can
      // break (duplicate ids across lines would be one), as a backstop.
      if (auto usable = alarms::check_definitions(plant.alarms, plant.alarm_priorities); !usable) {
        sink_.file_error(usable.error().message);
      }
    }
    if (sink_.count() != 0) return std::nullopt;
    return plant;
  }

 private:
  // Refuses anything but `strata: 1`: other versions may give the same keys another meaning.
  bool check_format_version(const MapReader& map) {
    const auto* entry = map.find("strata");
    if (entry == nullptr) {
      sink_.error(map.position(), fmt::format("missing format version: the plant definition must contain "
                                              "'strata: {}'",
                                              kPlantFormatVersion));
      return false;
    }
    const auto version = map.scalar("strata");
    if (!version) return false;
    if (*version != std::to_string(kPlantFormatVersion)) {
      sink_.error(entry->value_position,
                  fmt::format("unsupported format version '{}' (this Strata reads 'strata: {}')", *version,
                              kPlantFormatVersion));
      return false;
    }
    return true;
  }

  void read_enterprise(const detail::Entry& entry, model::Enterprise& enterprise) {
    MapReader map(sink_, entry.value, entry.value_position, "the enterprise");
    if (!map.ok()) return;
    map.check_keys({"id", "name"}, {"id"});
    enterprise.id = map.id().value_or("");
    enterprise.name = map.scalar("name").value_or(enterprise.id);
  }

  DiagnosticSink& sink_;
};

}  // namespace

LoadResult load_plant_string(std::string_view yaml, std::string file_name) {
  DiagnosticSink sink(file_name);
  LoadResult result;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    result.plant = PlantLoader(sink).load(root, std::move(file_name));
  } catch (const YAML::Exception& error) {
    // Syntax errors; anything else thrown by yaml-cpp is reported the same way rather than escaping.
    sink.error(detail::position_of(error.mark, Position{}), fmt::format("YAML syntax error: {}", error.msg));
    result.plant.reset();
  }
  result.diagnostics = sink.take();
  if (!result.diagnostics.empty()) result.plant.reset();
  return result;
}

LoadResult load_plant_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    DiagnosticSink sink(path);
    sink.file_error("cannot read plant definition: is a directory");
    return LoadResult{std::nullopt, sink.take()};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    DiagnosticSink sink(path);
    sink.file_error(fmt::format("cannot read plant definition: {}", std::strerror(error)));
    return LoadResult{std::nullopt, sink.take()};
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    DiagnosticSink sink(path);
    sink.file_error("cannot read plant definition: read error");
    return LoadResult{std::nullopt, sink.take()};
  }
  return load_plant_string(content.str(), path);
}

}  // namespace strata::config
