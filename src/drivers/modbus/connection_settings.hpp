#pragma once
// How to reach one Modbus TCP server (a PLC or gateway) and how to poll and command it: the plain data
// lives in the model (the plant's `connections: modbus:` section fills it); validate() says what is wrong.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "model/connections.hpp"

namespace strata::modbus {

using CommandWriteSettings = model::ModbusCommandWrite;
using ReconnectBackoff = model::ReconnectPolicy;
using ConnectionSettings = model::ModbusConnection;

// Every problem at once, "; "-separated, each prefixed "modbus connection '<name>': ".
[[nodiscard]] Result<void> validate(const ConnectionSettings& settings);

}  // namespace strata::modbus
