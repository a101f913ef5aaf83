#include "staging/opcua_stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "drivers/opcua/opcua_address.hpp"
#include "drivers/opcua/value_codec.hpp"
#include "staging/staged_plant.hpp"

namespace strata::staging {
namespace {

using connector::ConnectorState;

// Folders for a variable: the segments of a string identifier ("ns=1;s=filler.Status.StateCurrent" ->
// filler/Status/StateCurrent), else the unit's path and the tag's name.
std::vector<std::string> browse_path_of(std::string_view node_id, std::string_view fallback) {
  std::vector<std::string> path;
  const auto split = [&path](std::string_view text, std::string_view separators) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto end = text.find_first_of(separators, start);
      const auto part =
          text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      if (!part.empty()) path.emplace_back(part);
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  };
  const auto string_id = node_id.find(";s=");
  if (string_id != std::string_view::npos) {
    split(node_id.substr(string_id + 3), "./");
  } else {
    split(fallback, "/.");
  }
  if (path.empty()) path.emplace_back(node_id);
  return path;
}

bool in_own_namespace(std::string_view node_id) {
  return node_id.starts_with("ns=1;");
}

}  // namespace

Result<std::unique_ptr<OpcUaStage>> OpcUaStage::create(const model::Plant& plant, opcua::OpcUaBinding binding,
                                                       std::vector<std::string> connector_argv,
                                                       CommandSink on_command) {
  const auto& connection = binding.connection;
  const auto prefix = fmt::format("opcua connection '{}'", connection.name);
  auto endpoint = parse_endpoint(connection.endpoint);
  if (!endpoint) return make_error(fmt::format("{}: {}", prefix, endpoint.error().message));

  std::unique_ptr<OpcUaStage> stage(new OpcUaStage(connection.name, *endpoint, std::move(on_command)));
  stage->url_ = connection.endpoint;
  stage->connector_argv_ = std::move(connector_argv);
  std::string problems;
  const auto add = [&problems](const std::string& problem) {
    if (!problems.empty()) problems += "; ";
    problems += problem;
  };
  std::map<std::string, std::size_t, std::less<>> handle_of_node;
  const auto node_for = [&](const std::string& node_id, std::string_view fallback_path,
                            std::string_view data_type, std::string_view what) -> std::optional<std::size_t> {
    if (const auto found = handle_of_node.find(node_id); found != handle_of_node.end()) return found->second;
    if (!in_own_namespace(node_id)) {
      add(fmt::format("{}: node id '{}' is not in ns=1, the staged server's own namespace", what, node_id));
      return std::nullopt;
    }
    const auto h = stage->nodes_.size();
    stage->nodes_.push_back(Node{.node_id = node_id,
                                 .browse_path = browse_path_of(node_id, fallback_path),
                                 .data_type = std::string(data_type),
                                 .writable = false,
                                 .value = nullptr});
    handle_of_node.emplace(node_id, h);
    return h;
  };

  for (const auto& item : binding.items) {
    const auto& tag = plant.tags[item.tag];
    const auto h = node_for(item.node_id, tag.id, opcua::data_type_for(item.type), "tag " + tag.id);
    if (!h) continue;
    if (is_simulated(tag)) {
      stage->handle_of_tag_.emplace(item.tag, *h);
      ++stage->simulated_;
    } else {
      stage->nodes_[*h].writable = true;  // plain memory, as on a PLC: holds what clients write
    }
  }
  for (const auto& command : binding.commands) {
    const auto what = "commands of unit " + command.unit_id;
    const auto control = node_for(command.control_command.node_id, command.unit_id + "/Command.CntrlCmd",
                                  command.control_command.data_type, what);
    if (!control) continue;
    CommandNodes nodes{command.unit_id, *control, std::nullopt};
    stage->nodes_[*control].writable = true;
    if (command.change_request) {
      const auto request =
          node_for(command.change_request->node_id, command.unit_id + "/Command.CmdChangeRequest",
                   command.change_request->data_type, what);
      if (!request) continue;
      stage->nodes_[*request].writable = true;
      nodes.change_request = *request;
    }
    stage->commands_.push_back(std::move(nodes));
  }
  // Values the driver reads before the simulator's first publish are the types' zeros, never null.
  for (auto& node : stage->nodes_) {
    if (node.data_type == "Boolean") {
      node.value = false;
    } else if (node.data_type == "String") {
      node.value = "";
    } else {
      node.value = opcua::value_to_json(std::int64_t{0}, node.data_type);
    }
  }
  if (!problems.empty()) return make_error(fmt::format("{}: {}", prefix, problems));
  if (auto free = check_port_free(endpoint->host, endpoint->port); !free) {
    return make_error(fmt::format("{}: {}", prefix, free.error().message));
  }
  return stage;
}

OpcUaStage::OpcUaStage(std::string name, OpcUaEndpoint endpoint, CommandSink on_command)
    : name_(std::move(name)), endpoint_(std::move(endpoint)), on_command_(std::move(on_command)) {}

OpcUaStage::~OpcUaStage() {
  stop();
}

nlohmann::json OpcUaStage::config() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (std::size_t h = 0; h < nodes_.size(); ++h) {
    const auto& node = nodes_[h];
    nodes.push_back({{"h", h},
                     {"node_id", node.node_id},
                     {"browse_path", node.browse_path},
                     {"data_type", node.data_type},
                     {"writable", node.writable},
                     {"value", node.value}});
  }
  return {{"host", endpoint_.host},
          {"port", endpoint_.port},
          {"resource_path", endpoint_.resource_path},
          {"security_modes", {"None"}},
          {"nodes", std::move(nodes)}};
}

void OpcUaStage::start() {
  if (process_) return;
  connector::ConnectorOptions options;
  options.name = name_;
  options.argv = connector_argv_;
  options.role = "server";
  {
    std::lock_guard lock(mutex_);
    options.config = config();
  }
  process_ = std::make_unique<connector::ConnectorProcess>(std::move(options));
  process_->on_message([this](const nlohmann::json& message) { on_message(message); });
  process_->on_state([this](ConnectorState state, const std::string& reason) {
    std::lock_guard lock(mutex_);
    up_ = state == ConnectorState::Up;
    if (state == ConnectorState::Up) {
      // A restarted connector starts from the configuration of its first start: bring it up to date.
      if (auto sent = process_->send(set_all()); !sent)
        spdlog::warn("opcua {}: {}", name_, sent.error().message);
    } else {
      listening_ = false;
      if (state == ConnectorState::Failed) failure_ = reason;
    }
    changed_.notify_all();
  });
  process_->start();
}

void OpcUaStage::stop() {
  if (process_) process_->stop();
}

Result<void> OpcUaStage::wait_until_listening(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return listening_ || !failure_.empty(); })) {
    return make_error(fmt::format("opcua {}: the OPC UA server on {} did not start listening within {} s",
                                  name_, url_, timeout.count() / 1000));
  }
  if (!listening_) return make_error(fmt::format("opcua {}: {}", name_, failure_));
  return {};
}

nlohmann::json OpcUaStage::set_all() const {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t h = 0; h < nodes_.size(); ++h) items.push_back({{"h", h}, {"v", nodes_[h].value}});
  return {{"type", "set"}, {"items", std::move(items)}};
}

void OpcUaStage::publish(const std::vector<model::TagUpdate>& updates) {
  nlohmann::json items = nlohmann::json::array();
  std::lock_guard lock(mutex_);
  for (const auto& update : updates) {
    const auto found = handle_of_tag_.find(update.tag);
    if (found == handle_of_tag_.end()) continue;
    auto& node = nodes_[found->second];
    node.value = opcua::value_to_json(update.value, node.data_type);
    items.push_back({{"h", found->second}, {"v", node.value}, {"t", update.source_time / kMicrosPerMilli}});
  }
  // Under the lock, so a full set sent on a restart never overtakes newer values.
  if (items.empty() || !up_ || !process_) return;
  if (auto sent = process_->send({{"type", "set"}, {"items", std::move(items)}}); !sent) {
    spdlog::warn("opcua {}: values not sent: {}", name_, sent.error().message);
  }
}

void OpcUaStage::on_message(const nlohmann::json& message) {
  const auto type = message.value("type", "");
  if (type == "listening") {
    std::lock_guard lock(mutex_);
    listening_ = true;
    changed_.notify_all();
    return;
  }
  if (type == "written" && message.contains("h") && message["h"].is_number_unsigned()) {
    on_written(message["h"].get<std::size_t>(), message.value("v", nlohmann::json()));
  }
}

void OpcUaStage::on_written(std::size_t h, const nlohmann::json& value) {
  std::lock_guard lock(mutex_);
  if (h >= nodes_.size()) return;
  nodes_[h].value = value;
  for (const auto& unit : commands_) {
    if (unit.change_request) {
      if (*unit.change_request != h || value != true) continue;
      // The PLC takes the command and clears the request, so the next one is seen.
      nodes_[h].value = false;
      if (auto sent = process_->send({{"type", "set"}, {"items", {{{"h", h}, {"v", false}}}}}); !sent) {
        spdlog::warn("opcua {}: cannot clear the change request of unit {}: {}", name_, unit.unit_id,
                     sent.error().message);
      }
    } else if (unit.control != h) {
      continue;  // without a change request, writing CntrlCmd is the command
    }
    command_unit(unit);
  }
}

void OpcUaStage::command_unit(const CommandNodes& unit) {
  const auto number = opcua::value_from_json(nodes_[unit.control].value, model::TagType::Int64);
  const auto* integer = number ? std::get_if<std::int64_t>(&*number) : nullptr;
  const auto command = integer != nullptr ? states::command_from_number(*integer) : std::nullopt;
  if (!command) {
    spdlog::warn("opcua {}: unit {} got CntrlCmd {}, which is no PackML command (1..10)", name_, unit.unit_id,
                 nodes_[unit.control].value.dump());
    return;
  }
  on_command_(UnitCommand{unit.unit_id, *command, "opcua " + name_});
}

std::string OpcUaStage::describe() const {
  return fmt::format("opcua {}: {}, {} simulated tag(s), {} node(s), commands for {} unit(s)", name_, url_,
                     simulated_, nodes_.size(), commands_.size());
}

}  // namespace strata::staging
