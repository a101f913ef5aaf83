#include "drivers/sparkplug/topic.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>
#include <vector>

namespace strata::sparkplug {
namespace {

constexpr std::array<std::pair<MessageType, std::string_view>, 9> kTypeNames{{
    {MessageType::NBirth, "NBIRTH"},
    {MessageType::NDeath, "NDEATH"},
    {MessageType::NData, "NDATA"},
    {MessageType::NCmd, "NCMD"},
    {MessageType::DBirth, "DBIRTH"},
    {MessageType::DDeath, "DDEATH"},
    {MessageType::DData, "DDATA"},
    {MessageType::DCmd, "DCMD"},
    {MessageType::State, "STATE"},
}};

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

std::string_view to_string(MessageType type) {
  for (const auto& [value, name] : kTypeNames) {
    if (value == type) return name;
  }
  return "?";
}

std::optional<MessageType> parse_message_type(std::string_view text) {
  for (const auto& [value, name] : kTypeNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_device_message(MessageType type) {
  return type == MessageType::DBirth || type == MessageType::DDeath || type == MessageType::DData ||
         type == MessageType::DCmd;
}

Result<void> validate_id(std::string_view id, std::string_view what) {
  if (id.empty()) return make_error(fmt::format("sparkplug {} must not be empty", what));
  if (id.find_first_of("/+#") != std::string_view::npos) {
    return make_error(fmt::format("sparkplug {} '{}' must not contain '/', '+' or '#'", what, id));
  }
  return {};
}

std::string node_topic(std::string_view group_id, MessageType type, std::string_view edge_node_id) {
  return fmt::format("{}/{}/{}/{}", kNamespace, group_id, to_string(type), edge_node_id);
}

std::string device_topic(std::string_view group_id, MessageType type, std::string_view edge_node_id,
                         std::string_view device_id) {
  return fmt::format("{}/{}/{}/{}/{}", kNamespace, group_id, to_string(type), edge_node_id, device_id);
}

std::string state_topic(std::string_view host_id) {
  return fmt::format("{}/STATE/{}", kNamespace, host_id);
}

std::string build(const Topic& topic) {
  if (topic.type == MessageType::State) return state_topic(topic.host_id);
  if (is_device_message(topic.type)) {
    return device_topic(topic.group_id, topic.type, topic.edge_node_id, topic.device_id);
  }
  return node_topic(topic.group_id, topic.type, topic.edge_node_id);
}

Result<Topic> parse_topic(std::string_view text) {
  const auto parts = split(text);
  if (parts.size() < 3 || parts[0] != kNamespace) {
    return make_error(fmt::format("'{}' is not a Sparkplug B topic", text));
  }
  Topic topic;
  if (parts[1] == "STATE") {
    if (parts.size() != 3)
      return make_error(fmt::format("STATE topic '{}' must be spBv1.0/STATE/<host id>", text));
    if (auto ok = validate_id(parts[2], "host id"); !ok) return ok.error();
    topic.type = MessageType::State;
    topic.host_id = std::string(parts[2]);
    return topic;
  }
  if (parts.size() < 4) return make_error(fmt::format("'{}' is not a Sparkplug B topic", text));
  const auto type = parse_message_type(parts[2]);
  if (!type || *type == MessageType::State) {
    return make_error(fmt::format("'{}': unknown Sparkplug message type '{}'", text, parts[2]));
  }
  const std::size_t expected = is_device_message(*type) ? 5 : 4;
  if (parts.size() != expected) {
    return make_error(fmt::format("'{}': {} topics have {} levels", text, parts[2], expected));
  }
  if (auto ok = validate_id(parts[1], "group id"); !ok) return ok.error();
  if (auto ok = validate_id(parts[3], "edge node id"); !ok) return ok.error();
  topic.type = *type;
  topic.group_id = std::string(parts[1]);
  topic.edge_node_id = std::string(parts[3]);
  if (expected == 5) {
    if (auto ok = validate_id(parts[4], "device id"); !ok) return ok.error();
    topic.device_id = std::string(parts[4]);
  }
  return topic;
}

}  // namespace strata::sparkplug
