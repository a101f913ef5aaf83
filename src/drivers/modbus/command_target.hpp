#pragma once
// The registers a unit's PackML command is written to (PackTags Command.CntrlCmd and
// Command.CmdChangeRequest), checked for being writable in the way the handshake needs.
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "drivers/modbus/modbus_address.hpp"

namespace strata::modbus {

struct CommandTarget {
  ModbusAddress control_command;                // integer holding register: written with the command number
  std::optional<ModbusAddress> change_request;  // coil or holding-register bit: set to 1 afterwards
};

// A holding register of an integer type (no bit): FC6/FC16 can write it.
[[nodiscard]] Result<void> check_control_command_address(const ModbusAddress& address,
                                                         std::string_view context);
// A coil (FC5) or a bit of a holding register (read-modify-write with FC3 + FC6).
[[nodiscard]] Result<void> check_change_request_address(const ModbusAddress& address,
                                                        std::string_view context);

}  // namespace strata::modbus
