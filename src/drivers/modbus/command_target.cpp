#include "drivers/modbus/command_target.hpp"

#include <fmt/format.h>

namespace strata::modbus {

Result<void> check_control_command_address(const ModbusAddress& address, std::string_view context) {
  const bool integer = address.type == ValueType::Int16 || address.type == ValueType::UInt16 ||
                       address.type == ValueType::Int32 || address.type == ValueType::UInt32 ||
                       address.type == ValueType::Int64;
  if (address.table != Table::HoldingRegister || !integer || address.bit) {
    return make_error(fmt::format(
        "Command.CntrlCmd at '{}' must be an integer holding register (e.g. hr200 or hr200:int32), not {}",
        context, to_string(address)));
  }
  return {};
}

Result<void> check_change_request_address(const ModbusAddress& address, std::string_view context) {
  const bool register_bit = address.table == Table::HoldingRegister && address.bit.has_value();
  if (address.table != Table::Coil && !register_bit) {
    return make_error(
        fmt::format("Command.CmdChangeRequest at '{}' must be a coil or a holding-register bit (e.g. coil12 "
                    "or hr201:bit0), "
                    "not {}",
                    context, to_string(address)));
  }
  return {};
}

}  // namespace strata::modbus
