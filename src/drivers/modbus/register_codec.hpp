#pragma once
// Converts between Modbus registers and values, honouring the word order. Written by hand because
// libmodbus' modbus_get_float_* helpers disagree between versions about which order they mean.
#include <cstdint>
#include <span>

#include "common/result.hpp"
#include "drivers/modbus/modbus_address.hpp"
#include "model/tag.hpp"

namespace strata::modbus {

// The raw bits of a 1-, 2- or 4-register value (most significant byte A first), from its registers
// in address order.
[[nodiscard]] std::uint64_t join_registers(std::span<const std::uint16_t> registers, WordOrder order);
// The inverse: lays `bits` out over registers.size() registers in address order.
void split_registers(std::uint64_t bits, WordOrder order, std::span<std::uint16_t> registers);

// The value of a register address (registers.size() == address.width()), as the engine carries it
// for a tag of `declared` type: bool, int64 for integers, double for floats and for numbers feeding
// float tags. The pairing was checked by check_tag_type.
[[nodiscard]] model::Value decode_registers(const ModbusAddress& address,
                                            std::span<const std::uint16_t> registers,
                                            model::TagType declared);

// Registers holding integer `number` at an integer register address (int16..int64, not a bit);
// errors when the number does not fit the address' type.
[[nodiscard]] Result<void> encode_integer(const ModbusAddress& address, std::int64_t number,
                                          std::span<std::uint16_t> registers);

// Value equality for change detection: doubles compare by bits, so a NaN that stays NaN is no change.
[[nodiscard]] bool same_value(const model::Value& a, const model::Value& b);

}  // namespace strata::modbus
