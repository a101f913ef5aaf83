// encode_registers is the inverse of the driver's decode_registers, for every type and word order.
#include "staging/register_encoding.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "drivers/modbus/register_codec.hpp"

namespace strata::staging {
namespace {

using model::TagType;
using model::Value;

Value round_trip(std::string_view address_text, const Value& value, TagType declared) {
  const auto address = modbus::parse_modbus_address(address_text);
  EXPECT_TRUE(address.ok()) << address_text;
  std::vector<std::uint16_t> registers(static_cast<std::size_t>(address->width()));
  const auto encoded = encode_registers(*address, value, registers);
  EXPECT_TRUE(encoded.ok()) << address_text << ": " << (encoded.ok() ? "" : encoded.error().message);
  return modbus::decode_registers(*address, registers, declared);
}

TEST(EncodeRegisters, RoundTripsEveryTypeAndWordOrder) {
  for (const auto* order : {"ABCD", "CDAB", "BADC", "DCBA"}) {
    const std::string o(order);
    EXPECT_EQ(round_trip("hr0:int32:" + o, std::int64_t{-123456789}, TagType::Int32),
              Value(std::int64_t{-123456789}));
    EXPECT_EQ(round_trip("hr0:uint32:" + o, std::int64_t{4294967294}, TagType::Int64),
              Value(std::int64_t{4294967294}));
    EXPECT_EQ(round_trip("hr0:int64:" + o, std::int64_t{0x0102030405060708}, TagType::Int64),
              Value(std::int64_t{0x0102030405060708}));
    EXPECT_EQ(round_trip("hr0:float32:" + o, 1.5, TagType::Float64), Value(1.5));
    EXPECT_EQ(round_trip("ir0:float64:" + o, -2.25, TagType::Float64), Value(-2.25));
  }
  EXPECT_EQ(round_trip("hr0", std::int64_t{-7}, TagType::Int32), Value(std::int64_t{-7}));
  EXPECT_EQ(round_trip("hr0:uint16", std::int64_t{65535}, TagType::Int32), Value(std::int64_t{65535}));
}

TEST(EncodeRegisters, RoundsFloatsIntoIntegerRegistersAndTakesBools) {
  EXPECT_EQ(round_trip("hr0:int32", 599.6, TagType::Int32), Value(std::int64_t{600}));
  EXPECT_EQ(round_trip("hr0", true, TagType::Int32), Value(std::int64_t{1}));
}

TEST(EncodeRegisters, RefusesValuesThatDoNotFit) {
  const auto address = *modbus::parse_modbus_address("hr0");
  std::vector<std::uint16_t> registers(1);
  EXPECT_FALSE(encode_registers(address, std::int64_t{70000}, registers).ok());
  EXPECT_FALSE(encode_registers(address, std::string("Execute"), registers).ok());
  EXPECT_FALSE(encode_registers(address, 1e300, registers).ok());
}

}  // namespace
}  // namespace strata::staging
