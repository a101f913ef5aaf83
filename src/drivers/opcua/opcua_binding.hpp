#pragma once
// Assigns the plant's "opcua:" tags and commandable units to its `connections: opcua:` entries,
// checking every source and command target, so a bad configuration fails before anything runs.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "engine/driver.hpp"
#include "model/plant.hpp"

namespace strata::opcua {

// Tag names whose opcua source doubles as the unit's command target when the connection has no
// commands entry for the unit (PackTags names).
using engine::kControlCommandTag;
using engine::kChangeRequestTag;

// One monitored item; its handle `h` is its index in OpcUaBinding::items.
struct BoundItem {
  model::TagIndex tag = 0;
  std::string tag_id{};  // for messages
  model::TagType type = model::TagType::Float64;
  std::string node_id;
  std::chrono::milliseconds sampling_interval{};
  std::chrono::milliseconds publishing_interval{};
};

struct WriteTarget {
  std::string node_id;
  std::string data_type;  // protocol data type written
};

struct BoundCommand {
  std::string unit_id;
  WriteTarget control_command;                // written with the PackML command number
  std::optional<WriteTarget> change_request;  // then set to true
};

struct OpcUaBinding {
  model::OpcUaConnection connection;
  std::vector<BoundItem> items;        // plant order
  std::vector<BoundCommand> commands;  // units commanded through this connection
};

// One binding per connection, in configuration order. Every problem at once, "; "-separated.
[[nodiscard]] Result<std::vector<OpcUaBinding>> bind_plant(const model::Plant& plant);

// hello.config of the client role for a binding; `password` from the connection's password_env.
[[nodiscard]] nlohmann::json client_config(const OpcUaBinding& binding, const std::string& password);

}  // namespace strata::opcua
