#pragma once
// Sparkplug B 3.0 topic names: spBv1.0/<group>/<message type>/<edge node>[/<device>] and
// spBv1.0/STATE/<host id>. Parsing is strict because topics come from the broker (untrusted).
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace strata::sparkplug {

inline constexpr std::string_view kNamespace = "spBv1.0";
// Node metrics every edge node carries (Sparkplug 3.0).
inline constexpr std::string_view kBdSeqMetric = "bdSeq";
inline constexpr std::string_view kRebirthMetric = "Node Control/Rebirth";

enum class MessageType { NBirth, NDeath, NData, NCmd, DBirth, DDeath, DData, DCmd, State };

[[nodiscard]] std::string_view to_string(MessageType type);  // "NBIRTH", ..., "STATE"
[[nodiscard]] std::optional<MessageType> parse_message_type(std::string_view text);
// D* messages name a device; N* and STATE must not.
[[nodiscard]] bool is_device_message(MessageType type);

struct Topic {
  MessageType type = MessageType::NData;
  std::string group_id{};      // empty for STATE
  std::string edge_node_id{};  // empty for STATE
  std::string device_id{};     // set exactly for D* messages
  std::string host_id{};       // set exactly for STATE
};

// A group, edge node, device or host id: non-empty, valid UTF-8 is not checked, and none of '/', '+', '#'
// (they would break the topic structure or act as MQTT wildcards).
[[nodiscard]] Result<void> validate_id(std::string_view id, std::string_view what);

[[nodiscard]] std::string node_topic(std::string_view group_id, MessageType type,
                                     std::string_view edge_node_id);
[[nodiscard]] std::string device_topic(std::string_view group_id, MessageType type,
                                       std::string_view edge_node_id, std::string_view device_id);
[[nodiscard]] std::string state_topic(std::string_view host_id);
// The topic of `topic`'s fields; the ids are assumed valid (see validate_id).
[[nodiscard]] std::string build(const Topic& topic);

[[nodiscard]] Result<Topic> parse_topic(std::string_view text);

}  // namespace strata::sparkplug
