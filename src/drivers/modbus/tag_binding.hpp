#pragma once
// Assigns the plant's "modbus:" tags and its commandable units to the configured connections,
// checking every address and type on the way, so a bad configuration fails before anything runs.
#include <string>
#include <vector>

#include "common/result.hpp"
#include "drivers/modbus/command_target.hpp"
#include "drivers/modbus/connection_settings.hpp"
#include "drivers/modbus/modbus_address.hpp"
#include "engine/driver.hpp"
#include "model/plant.hpp"

namespace strata::modbus {

// Tag names whose modbus source doubles as the unit's command target when the connection settings
// have no commands entry for the unit (PackTags names).
using engine::kControlCommandTag;
using engine::kChangeRequestTag;

struct BoundTag {
  model::TagIndex index = 0;
  model::TagType type = model::TagType::Int64;
  ModbusAddress address;
};

struct BoundUnit {
  std::string unit_id;
  CommandTarget target;
};

struct ConnectionBinding {
  ConnectionSettings settings;
  std::vector<BoundTag> tags;    // plant order
  std::vector<BoundUnit> units;  // commanded through this connection
};

// One binding per connection, in the given order. Every problem at once, "; "-separated: invalid
// settings, duplicate connection names, bad tag sources, unknown connections, unknown units, and
// command targets that cannot be written.
[[nodiscard]] Result<std::vector<ConnectionBinding>> bind_plant(
    const model::Plant& plant, const std::vector<ConnectionSettings>& connections);

}  // namespace strata::modbus
