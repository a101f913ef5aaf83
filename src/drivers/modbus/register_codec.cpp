#include "drivers/modbus/register_codec.hpp"

#include <fmt/format.h>

#include <bit>
#include <cassert>
#include <limits>

namespace strata::modbus {
namespace {

// ABCD is the reference; the other orders are a word swap, a byte swap, or both.
bool swaps_words(WordOrder order) {
  return order == WordOrder::CDAB || order == WordOrder::DCBA;
}

bool swaps_bytes(WordOrder order) {
  return order == WordOrder::BADC || order == WordOrder::DCBA;
}

std::uint16_t swap_bytes(std::uint16_t word) {
  return static_cast<std::uint16_t>((word << 8) | (word >> 8));
}

template <typename Int>
bool fits(std::int64_t number) {
  if (number < 0) return number >= static_cast<std::int64_t>(std::numeric_limits<Int>::min());
  return static_cast<std::uint64_t>(number) <= static_cast<std::uint64_t>(std::numeric_limits<Int>::max());
}

}  // namespace

std::uint64_t join_registers(std::span<const std::uint16_t> registers, WordOrder order) {
  const auto count = registers.size();
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint16_t word = registers[swaps_words(order) ? count - 1 - i : i];
    if (swaps_bytes(order)) word = swap_bytes(word);
    bits = (bits << 16) | word;
  }
  return bits;
}

void split_registers(std::uint64_t bits, WordOrder order, std::span<std::uint16_t> registers) {
  const auto count = registers.size();
  for (std::size_t i = 0; i < count; ++i) {
    // Word i counted from the most significant one.
    auto word = static_cast<std::uint16_t>(bits >> (16 * (count - 1 - i)));
    if (swaps_bytes(order)) word = swap_bytes(word);
    registers[swaps_words(order) ? count - 1 - i : i] = word;
  }
}

model::Value decode_registers(const ModbusAddress& address, std::span<const std::uint16_t> registers,
                              model::TagType declared) {
  assert(registers.size() == static_cast<std::size_t>(address.width()));
  if (address.bit) return ((registers[0] >> *address.bit) & 1U) != 0;

  const auto bits = join_registers(registers, address.word_order);
  const bool wants_double = declared == model::TagType::Float32 || declared == model::TagType::Float64;
  const auto integer = [wants_double](std::int64_t number) -> model::Value {
    if (wants_double) return static_cast<double>(number);
    return number;
  };
  switch (address.type) {
    case ValueType::Bool:
      return bits != 0;
    case ValueType::Int16:
      return integer(static_cast<std::int16_t>(bits));
    case ValueType::UInt16:
      return integer(static_cast<std::uint16_t>(bits));
    case ValueType::Int32:
      return integer(static_cast<std::int32_t>(bits));
    case ValueType::UInt32:
      return integer(static_cast<std::uint32_t>(bits));
    case ValueType::Int64:
      return integer(static_cast<std::int64_t>(bits));
    case ValueType::Float32:
      return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
    case ValueType::Float64:
      return std::bit_cast<double>(bits);
  }
  return {};
}

Result<void> encode_integer(const ModbusAddress& address, std::int64_t number,
                            std::span<std::uint16_t> registers) {
  assert(registers.size() == static_cast<std::size_t>(address.width()));
  bool in_range = false;
  switch (address.type) {
    case ValueType::Int16:
      in_range = fits<std::int16_t>(number);
      break;
    case ValueType::UInt16:
      in_range = fits<std::uint16_t>(number);
      break;
    case ValueType::Int32:
      in_range = fits<std::int32_t>(number);
      break;
    case ValueType::UInt32:
      in_range = fits<std::uint32_t>(number);
      break;
    case ValueType::Int64:
      in_range = true;
      break;
    default:
      return make_error(fmt::format("{} is not an integer register address", to_string(address)));
  }
  if (address.bit) return make_error(fmt::format("{} is a bit, not an integer register", to_string(address)));
  if (!in_range) return make_error(fmt::format("{} does not fit {}", number, to_string(address)));
  split_registers(static_cast<std::uint64_t>(number), address.word_order, registers);
  return {};
}

bool same_value(const model::Value& a, const model::Value& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<double>(&a)) {
    return std::bit_cast<std::uint64_t>(*x) == std::bit_cast<std::uint64_t>(std::get<double>(b));
  }
  return a == b;
}

}  // namespace strata::modbus
