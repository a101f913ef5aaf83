#include "drivers/modbus/tag_binding.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>

#include "common/problems.hpp"

namespace strata::modbus {
namespace {

std::string connection_names(const std::vector<ConnectionSettings>& connections) {
  if (connections.empty()) return "none configured";
  std::string names;
  for (const auto& connection : connections) {
    if (!names.empty()) names += ", ";
    names += connection.name;
  }
  return "configured: " + names;
}

// A commands entry of the connection settings, turned into addresses (validate() checked them).
std::optional<CommandTarget> explicit_target(const CommandWriteSettings& command) {
  auto control = parse_modbus_address(command.control_command);
  if (!control) return std::nullopt;
  CommandTarget target{*control, std::nullopt};
  if (command.change_request) {
    auto request = parse_modbus_address(*command.change_request);
    if (!request) return std::nullopt;
    target.change_request = *request;
  }
  return target;
}

struct TagSource {
  std::size_t connection = 0;
  ModbusAddress address;
};

// Command.CntrlCmd / Command.CmdChangeRequest tags of a unit, when they have modbus sources.
void bind_unit_from_tags(const model::Plant& plant, const model::WorkUnit& unit,
                         const std::map<model::TagIndex, TagSource>& sources,
                         std::vector<ConnectionBinding>& bindings, Problems& problems) {
  const std::pair<const model::TagIndex, TagSource>* control = nullptr;
  const std::pair<const model::TagIndex, TagSource>* request = nullptr;
  for (const auto index : unit.tags) {
    const auto found = sources.find(index);
    if (found == sources.end()) continue;
    const auto& name = plant.tags[index].definition.name;
    if (name == kControlCommandTag) control = &*found;
    if (name == kChangeRequestTag) request = &*found;
  }
  if (control == nullptr) return;
  const auto& [control_tag, control_source] = *control;
  if (auto writable =
          check_control_command_address(control_source.address, plant.tags[control_tag].definition.source);
      !writable) {
    problems.add(fmt::format("unit {}: {}", unit.id, writable.error().message));
    return;
  }
  CommandTarget target{control_source.address, std::nullopt};
  if (request != nullptr) {
    const auto& [request_tag, request_source] = *request;
    if (request_source.connection != control_source.connection) {
      problems.add(fmt::format("unit {}: {} and {} must be on the same Modbus connection", unit.id,
                               kControlCommandTag, kChangeRequestTag));
      return;
    }
    if (auto settable =
            check_change_request_address(request_source.address, plant.tags[request_tag].definition.source);
        !settable) {
      problems.add(fmt::format("unit {}: {}", unit.id, settable.error().message));
      return;
    }
    target.change_request = request_source.address;
  }
  bindings[control_source.connection].units.push_back(BoundUnit{unit.id, target});
}

}  // namespace

Result<std::vector<ConnectionBinding>> bind_plant(const model::Plant& plant,
                                                  const std::vector<ConnectionSettings>& connections) {
  Problems problems;
  std::vector<ConnectionBinding> bindings;
  std::map<std::string, std::size_t, std::less<>> by_name;
  for (const auto& settings : connections) {
    if (auto valid = validate(settings); !valid) problems.add(valid.error().message);
    if (!by_name.emplace(settings.name, bindings.size()).second) {
      problems.add(fmt::format("modbus connection '{}' is defined twice", settings.name));
    }
    bindings.push_back(ConnectionBinding{settings, {}, {}});
  }

  std::map<model::TagIndex, TagSource> sources;
  for (std::size_t i = 0; i < plant.tags.size(); ++i) {
    const auto& tag = plant.tags[i];
    if (model::source_scheme(tag.definition.source) != kScheme) continue;
    auto source = parse_tag_source(tag);
    if (!source) {
      problems.add(source.error().message);
      continue;
    }
    const auto connection = by_name.find(source->connection);
    if (connection == by_name.end()) {
      problems.add(fmt::format("tag {}: unknown Modbus connection '{}' in '{}' ({})", tag.id,
                               source->connection, tag.definition.source, connection_names(connections)));
      continue;
    }
    const auto index = static_cast<model::TagIndex>(i);
    bindings[connection->second].tags.push_back(BoundTag{index, tag.definition.type, source->address});
    sources.emplace(index, TagSource{connection->second, source->address});
  }

  std::set<std::string, std::less<>> commanded;
  for (auto& binding : bindings) {
    for (const auto& command : binding.settings.commands) {
      if (plant.find_unit(command.unit_id) == nullptr) {
        problems.add(fmt::format("modbus connection '{}': commands name unknown unit '{}'",
                                 binding.settings.name, command.unit_id));
        continue;
      }
      if (!commanded.insert(command.unit_id).second) {
        problems.add(fmt::format("unit {} has more than one Modbus commands entry", command.unit_id));
        continue;
      }
      if (auto target = explicit_target(command))
        binding.units.push_back(BoundUnit{command.unit_id, *target});
    }
  }
  for (const auto* unit : plant.units()) {
    if (!commanded.contains(unit->id)) bind_unit_from_tags(plant, *unit, sources, bindings, problems);
  }

  if (!problems.empty()) return make_error(problems.text());
  return bindings;
}

}  // namespace strata::modbus
