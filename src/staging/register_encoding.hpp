#pragma once
// Values into Modbus registers, the inverse of the modbus module's decode_registers, so a staged
// server holds exactly what the driver will decode.
#include <cstdint>
#include <span>

#include "common/result.hpp"
#include "drivers/modbus/modbus_address.hpp"
#include "model/tag.hpp"

namespace strata::staging {

// Registers (registers.size() == address.width()) holding `value` at a register address that is not a
// bit. Floats are rounded into integer addresses; errors when the value is no number or does not fit.
[[nodiscard]] Result<void> encode_registers(const modbus::ModbusAddress& address, const model::Value& value,
                                            std::span<std::uint16_t> registers);

}  // namespace strata::staging
