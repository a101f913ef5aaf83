#include "staging/register_encoding.hpp"

#include <fmt/format.h>

#include <bit>
#include <cmath>

#include "drivers/modbus/register_codec.hpp"

namespace strata::staging {

using modbus::ValueType;

Result<void> encode_registers(const modbus::ModbusAddress& address, const model::Value& value,
                              std::span<std::uint16_t> registers) {
  const auto number = model::as_number(value);
  if (!number) return make_error(fmt::format("{} holds numbers only", modbus::to_string(address)));
  switch (address.type) {
    case ValueType::Float32:
      modbus::split_registers(std::bit_cast<std::uint32_t>(static_cast<float>(*number)), address.word_order,
                              registers);
      return {};
    case ValueType::Float64:
      modbus::split_registers(std::bit_cast<std::uint64_t>(*number), address.word_order, registers);
      return {};
    case ValueType::Bool:
      modbus::split_registers(*number != 0.0 ? 1U : 0U, address.word_order, registers);
      return {};
    default:
      break;
  }
  // Integers travel as int64 and stay exact; only float values are rounded.
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return modbus::encode_integer(address, *integer, registers);
  }
  if (!std::isfinite(*number) || std::abs(*number) > 9.2e18) {
    return make_error(fmt::format("{} does not fit {}", *number, modbus::to_string(address)));
  }
  return modbus::encode_integer(address, std::llround(*number), registers);
}

}  // namespace strata::staging
