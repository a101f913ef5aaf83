// Word-order conversions against register images written out by hand (never produced by the code
// under test), so a symmetric mistake in join and split cannot hide.
#include "drivers/modbus/register_codec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace strata::modbus {
namespace {

using model::TagType;
using model::Value;
using Registers = std::vector<std::uint16_t>;

Value decode(std::string_view address, const Registers& registers, TagType declared) {
  return decode_registers(*parse_modbus_address(address), registers, declared);
}

TEST(RegisterCodec, Float32OnePointFiveInEveryWordOrder) {
  // 1.5f = 0x3FC00000: bytes A=3F B=C0 C=00 D=00.
  EXPECT_EQ(decode("hr0:float32:ABCD", {0x3FC0, 0x0000}, TagType::Float32), Value{1.5});
  EXPECT_EQ(decode("hr0:float32:CDAB", {0x0000, 0x3FC0}, TagType::Float32), Value{1.5});
  EXPECT_EQ(decode("hr0:float32:BADC", {0xC03F, 0x0000}, TagType::Float32), Value{1.5});
  EXPECT_EQ(decode("hr0:float32:DCBA", {0x0000, 0xC03F}, TagType::Float32), Value{1.5});
}

TEST(RegisterCodec, NegativeInt32InEveryWordOrder) {
  // -123456789 = 0xF8A432EB.
  const Value expected{std::int64_t{-123456789}};
  EXPECT_EQ(decode("hr0:int32:ABCD", {0xF8A4, 0x32EB}, TagType::Int32), expected);
  EXPECT_EQ(decode("hr0:int32:CDAB", {0x32EB, 0xF8A4}, TagType::Int32), expected);
  EXPECT_EQ(decode("hr0:int32:BADC", {0xA4F8, 0xEB32}, TagType::Int32), expected);
  EXPECT_EQ(decode("hr0:int32:DCBA", {0xEB32, 0xA4F8}, TagType::Int32), expected);
}

TEST(RegisterCodec, SixtyFourBitValuesSwapAllFourWords) {
  const Value expected{std::int64_t{0x0102030405060708}};
  EXPECT_EQ(decode("hr0:int64:ABCD", {0x0102, 0x0304, 0x0506, 0x0708}, TagType::Int64), expected);
  EXPECT_EQ(decode("hr0:int64:CDAB", {0x0708, 0x0506, 0x0304, 0x0102}, TagType::Int64), expected);
  EXPECT_EQ(decode("hr0:int64:BADC", {0x0201, 0x0403, 0x0605, 0x0807}, TagType::Int64), expected);
  EXPECT_EQ(decode("hr0:int64:DCBA", {0x0807, 0x0605, 0x0403, 0x0201}, TagType::Int64), expected);
  // -2.5 = 0xC004000000000000.
  EXPECT_EQ(decode("hr0:float64", {0xC004, 0, 0, 0}, TagType::Float64), Value{-2.5});
  EXPECT_EQ(decode("hr0:float64:DCBA", {0, 0, 0, 0x04C0}, TagType::Float64), Value{-2.5});
  EXPECT_EQ(decode("hr0:int64", {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE}, TagType::Int64), Value{std::int64_t{-2}});
}

TEST(RegisterCodec, SixteenBitTypesAndSignedness) {
  EXPECT_EQ(decode("hr0", {0xFFFF}, TagType::Int32), Value{std::int64_t{-1}});
  EXPECT_EQ(decode("hr0:uint16", {0xFFFF}, TagType::Int32), Value{std::int64_t{65535}});
  EXPECT_EQ(decode("hr0:int16", {0x8000}, TagType::Int64), Value{std::int64_t{-32768}});
  EXPECT_EQ(decode("hr0:uint32", {0xFFFF, 0xFFFE}, TagType::Int64), Value{std::int64_t{4294967294}});
  EXPECT_EQ(decode("hr0:int32", {0x8000, 0x0000}, TagType::Int64),
            Value{std::int64_t{std::numeric_limits<std::int32_t>::min()}});
}

TEST(RegisterCodec, IntegersFeedingFloatTagsBecomeDoubles) {
  EXPECT_EQ(decode("hr0", {0xFFF6}, TagType::Float64), Value{-10.0});
  EXPECT_EQ(decode("hr0:uint32:CDAB", {0x0000, 0x0001}, TagType::Float32), Value{65536.0});
}

TEST(RegisterCodec, RegisterBitsCountFromTheLeastSignificant) {
  EXPECT_EQ(decode("hr0:bit0", {0x0001}, TagType::Bool), Value{true});
  EXPECT_EQ(decode("hr0:bit1", {0x0001}, TagType::Bool), Value{false});
  EXPECT_EQ(decode("hr0:bit3", {0x0008}, TagType::Bool), Value{true});
  EXPECT_EQ(decode("hr0:bit15", {0x8000}, TagType::Bool), Value{true});
  EXPECT_EQ(decode("hr0:bit15", {0x7FFF}, TagType::Bool), Value{false});
}

TEST(RegisterCodec, SplitIsTheInverseOfJoin) {
  for (const auto order : {WordOrder::ABCD, WordOrder::CDAB, WordOrder::BADC, WordOrder::DCBA}) {
    for (const std::size_t count : {1U, 2U, 4U}) {
      const std::uint64_t bits = count == 1 ? 0xA1B2 : count == 2 ? 0xA1B2C3D4 : 0xA1B2C3D4E5F60718;
      Registers registers(count);
      split_registers(bits, order, registers);
      EXPECT_EQ(join_registers(registers, order), bits) << to_string(order) << " x" << count;
    }
  }
  Registers cdab(2);
  split_registers(0x3FC00000, WordOrder::CDAB, cdab);
  EXPECT_EQ(cdab, (Registers{0x0000, 0x3FC0}));
  Registers badc(2);
  split_registers(0x3FC00000, WordOrder::BADC, badc);
  EXPECT_EQ(badc, (Registers{0xC03F, 0x0000}));
}

TEST(RegisterCodec, EncodesCommandNumbersAndRefusesWhatDoesNotFit) {
  Registers one(1);
  ASSERT_TRUE(encode_integer(*parse_modbus_address("hr0"), 8, one).ok());
  EXPECT_EQ(one, (Registers{8}));
  ASSERT_TRUE(encode_integer(*parse_modbus_address("hr0"), -1, one).ok());
  EXPECT_EQ(one, (Registers{0xFFFF}));
  Registers two(2);
  ASSERT_TRUE(encode_integer(*parse_modbus_address("hr0:int32:CDAB"), 2, two).ok());
  EXPECT_EQ(two, (Registers{2, 0}));

  EXPECT_FALSE(encode_integer(*parse_modbus_address("hr0:int16"), 40000, one).ok());
  EXPECT_FALSE(encode_integer(*parse_modbus_address("hr0:uint16"), -1, one).ok());
  EXPECT_TRUE(encode_integer(*parse_modbus_address("hr0:uint16"), 65535, one).ok());
  EXPECT_FALSE(encode_integer(*parse_modbus_address("hr0:float32"), 1, two).ok());
}

TEST(RegisterCodec, SameValueTreatsARepeatedNanAsNoChange) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(same_value(Value{nan}, Value{nan}));
  EXPECT_FALSE(same_value(Value{1.0}, Value{std::int64_t{1}}));
  EXPECT_FALSE(same_value(Value{0.0}, Value{-0.0}));
  EXPECT_TRUE(same_value(Value{true}, Value{true}));
  EXPECT_FALSE(same_value(Value{}, Value{false}));
}

}  // namespace
}  // namespace strata::modbus
