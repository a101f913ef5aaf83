#include "drivers/opcua/opcua_binding.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "common/problems.hpp"
#include "drivers/opcua/opcua_address.hpp"

namespace strata::opcua {
namespace {

// PackTags types: CntrlCmd is a 32-bit integer, CmdChangeRequest a BOOL.
constexpr std::string_view kControlCommandType = "Int32";
constexpr std::string_view kChangeRequestType = "Boolean";

std::string connection_names(const model::Plant& plant) {
  if (plant.opcua_connections.empty()) return "none configured";
  std::string names;
  for (const auto& connection : plant.opcua_connections) {
    if (!names.empty()) names += ", ";
    names += connection.name;
  }
  return "configured: " + names;
}

std::chrono::milliseconds interval(Timestamp micros, std::chrono::milliseconds fallback) {
  if (micros <= 0) return fallback;
  return std::chrono::milliseconds(std::max<Timestamp>(1, micros / kMicrosPerMilli));
}

struct TagSource {
  std::size_t connection = 0;
  std::string node_id;
};

void bind_unit_from_tags(const model::Plant& plant, const model::WorkUnit& unit,
                         const std::map<model::TagIndex, TagSource>& sources,
                         std::vector<OpcUaBinding>& bindings, Problems& problems) {
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
  const auto control_type = plant.tags[control->first].definition.type;
  if (control_type != model::TagType::Int32 && control_type != model::TagType::Int64) {
    problems.add(
        fmt::format("unit {}: {} must be an int32 or int64 tag to be written with the command number",
                    unit.id, kControlCommandTag));
    return;
  }
  BoundCommand command{
      unit.id, {control->second.node_id, std::string(data_type_for(control_type))}, std::nullopt};
  if (request != nullptr) {
    if (request->second.connection != control->second.connection) {
      problems.add(fmt::format("unit {}: {} and {} must be on the same OPC UA connection", unit.id,
                               kControlCommandTag, kChangeRequestTag));
      return;
    }
    if (plant.tags[request->first].definition.type != model::TagType::Bool) {
      problems.add(fmt::format("unit {}: {} must be a bool tag", unit.id, kChangeRequestTag));
      return;
    }
    command.change_request = WriteTarget{request->second.node_id, std::string(kChangeRequestType)};
  }
  bindings[control->second.connection].commands.push_back(std::move(command));
}

}  // namespace

Result<std::vector<OpcUaBinding>> bind_plant(const model::Plant& plant) {
  Problems problems;
  std::vector<OpcUaBinding> bindings;
  std::map<std::string, std::size_t, std::less<>> by_name;
  for (const auto& connection : plant.opcua_connections) {
    if (!by_name.emplace(connection.name, bindings.size()).second) {
      problems.add(fmt::format("opcua connection '{}' is defined twice", connection.name));
    }
    bindings.push_back(OpcUaBinding{connection, {}, {}});
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
      problems.add(fmt::format("tag {}: unknown OPC UA connection '{}' in '{}' ({})", tag.id,
                               source->connection, tag.definition.source, connection_names(plant)));
      continue;
    }
    auto& binding = bindings[connection->second];
    const auto index = static_cast<model::TagIndex>(i);
    binding.items.push_back(
        BoundItem{index, tag.id, tag.definition.type, source->node_id,
                  interval(tag.definition.sampling_interval, binding.connection.sampling_interval),
                  interval(tag.definition.publishing_interval, binding.connection.publishing_interval)});
    sources.emplace(index, TagSource{connection->second, source->node_id});
  }

  std::set<std::string, std::less<>> commanded;
  for (auto& binding : bindings) {
    for (const auto& entry : binding.connection.commands) {
      const auto what =
          fmt::format("opcua connection '{}', commands of unit {}", binding.connection.name, entry.unit_id);
      if (plant.find_unit(entry.unit_id) == nullptr) {
        problems.add(fmt::format("opcua connection '{}': commands name unknown unit '{}'",
                                 binding.connection.name, entry.unit_id));
        continue;
      }
      if (!commanded.insert(entry.unit_id).second) {
        problems.add(fmt::format("unit {} has more than one OPC UA commands entry", entry.unit_id));
        continue;
      }
      auto control = check_node_id(entry.control_command);
      if (!control) {
        problems.add(fmt::format("{}: control_command: {}", what, control.error().message));
        continue;
      }
      BoundCommand command{
          entry.unit_id, {entry.control_command, std::string(kControlCommandType)}, std::nullopt};
      if (entry.change_request) {
        if (auto request = check_node_id(*entry.change_request); !request) {
          problems.add(fmt::format("{}: change_request: {}", what, request.error().message));
          continue;
        }
        command.change_request = WriteTarget{*entry.change_request, std::string(kChangeRequestType)};
      }
      binding.commands.push_back(std::move(command));
    }
  }
  for (const auto* unit : plant.units()) {
    if (!commanded.contains(unit->id)) bind_unit_from_tags(plant, *unit, sources, bindings, problems);
  }

  if (!problems.empty()) return make_error(problems.text());
  return bindings;
}

nlohmann::json client_config(const OpcUaBinding& binding, const std::string& password) {
  const auto& connection = binding.connection;
  nlohmann::json config{
      {"endpoint", connection.endpoint},
      {"security_mode", to_string(connection.security_mode)},
      {"security_policy", to_string(connection.security_policy)},
      {"session_timeout_ms", connection.session_timeout.count()},
      {"reconnect",
       {{"initial_ms", connection.reconnect.initial.count()}, {"max_ms", connection.reconnect.max.count()}}},
  };
  if (!connection.certificate_file.empty()) config["certificate_file"] = connection.certificate_file;
  if (!connection.private_key_file.empty()) config["private_key_file"] = connection.private_key_file;
  if (!connection.trusted_certificates_dir.empty()) {
    config["trusted_certificates_dir"] = connection.trusted_certificates_dir;
  }
  if (!connection.user.empty()) {
    config["user"] = connection.user;
    config["password"] = password;
  }
  auto items = nlohmann::json::array();
  for (std::size_t h = 0; h < binding.items.size(); ++h) {
    const auto& item = binding.items[h];
    items.push_back({{"h", h},
                     {"node_id", item.node_id},
                     {"data_type", data_type_for(item.type)},
                     {"sampling_interval_ms", item.sampling_interval.count()},
                     {"publishing_interval_ms", item.publishing_interval.count()}});
  }
  config["items"] = std::move(items);
  return config;
}

}  // namespace strata::opcua
