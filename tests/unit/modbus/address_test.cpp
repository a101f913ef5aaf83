// Tag source syntax "modbus:<connection>/<table><offset>[:<type>][:<word order>]" and its checks
// against the tag's declared type.
#include <gtest/gtest.h>

#include "drivers/modbus/modbus_address.hpp"

namespace strata::modbus {
namespace {

using model::TagType;

ModbusSource parsed(std::string_view source) {
  auto result = parse_modbus_source(source);
  EXPECT_TRUE(result.ok()) << source << ": " << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : ModbusSource{};
}

std::string error_of(std::string_view source) {
  auto result = parse_modbus_source(source);
  return result.ok() ? "(accepted)" : result.error().message;
}

TEST(ModbusAddress, ParsesConnectionTableOffsetTypeAndWordOrder) {
  const auto source = parsed("modbus:filler-plc/hr100:float32:CDAB");
  EXPECT_EQ(source.connection, "filler-plc");
  EXPECT_EQ(source.address.table, Table::HoldingRegister);
  EXPECT_EQ(source.address.offset, 100);
  EXPECT_EQ(source.address.type, ValueType::Float32);
  EXPECT_EQ(source.address.word_order, WordOrder::CDAB);
  EXPECT_FALSE(source.address.bit.has_value());
  EXPECT_EQ(source.address.width(), 2);
}

TEST(ModbusAddress, DefaultsToBoolForBitTablesAndInt16BigEndianForRegisters) {
  const auto coil = parsed("modbus:filler-plc/coil12").address;
  EXPECT_EQ(coil.table, Table::Coil);
  EXPECT_EQ(coil.type, ValueType::Bool);
  EXPECT_EQ(coil.width(), 1);

  const auto input = parsed("modbus:filler-plc/di0").address;
  EXPECT_EQ(input.table, Table::DiscreteInput);

  const auto plain = parsed("modbus:plc/hr5").address;
  EXPECT_EQ(plain.type, ValueType::Int16);

  const auto int32 = parsed("modbus:filler-plc/ir30:int32").address;
  EXPECT_EQ(int32.table, Table::InputRegister);
  EXPECT_EQ(int32.type, ValueType::Int32);
  EXPECT_EQ(int32.word_order, WordOrder::ABCD);
}

TEST(ModbusAddress, ParsesRegisterBits) {
  const auto address = parsed("modbus:plc/hr7:bit3").address;
  EXPECT_EQ(address.type, ValueType::Bool);
  EXPECT_EQ(address.bit, 3);
  EXPECT_EQ(address.width(), 1);
  EXPECT_EQ(parsed("modbus:plc/ir0:bit15").address.bit, 15);
}

TEST(ModbusAddress, WidthsFollowTheType) {
  EXPECT_EQ(parsed("modbus:plc/hr0:uint16").address.width(), 1);
  EXPECT_EQ(parsed("modbus:plc/hr0:uint32").address.width(), 2);
  EXPECT_EQ(parsed("modbus:plc/hr0:int64").address.width(), 4);
  EXPECT_EQ(parsed("modbus:plc/hr0:float64:DCBA").address.width(), 4);
}

TEST(ModbusAddress, NamesAreCaseInsensitive) {
  const auto address = parsed("modbus:plc/HR100:FLOAT32:cdab").address;
  EXPECT_EQ(address.table, Table::HoldingRegister);
  EXPECT_EQ(address.type, ValueType::Float32);
  EXPECT_EQ(address.word_order, WordOrder::CDAB);
}

TEST(ModbusAddress, PrintsCanonically) {
  EXPECT_EQ(to_string(parsed("modbus:plc/HR100:float32:cdab").address), "hr100:float32:CDAB");
  EXPECT_EQ(to_string(parsed("modbus:plc/hr7:bit3").address), "hr7:bit3");
  EXPECT_EQ(to_string(parsed("modbus:plc/coil12:bool").address), "coil12");
  EXPECT_EQ(to_string(parsed("modbus:plc/ir3").address), "ir3:int16");
  for (const auto* text :
       {"hr100:float32:CDAB", "hr7:bit3", "coil12", "ir3:int16", "di9", "hr1:int64:BADC"}) {
    EXPECT_EQ(to_string(*parse_modbus_address(text)), text);
  }
}

TEST(ModbusAddress, AcceptsTheLastAddress) {
  EXPECT_EQ(parsed("modbus:plc/hr65535").address.offset, 65535);
  EXPECT_EQ(parsed("modbus:plc/hr65534:float32").address.offset, 65534);
}

TEST(ModbusAddress, RejectsBadSourcesWithPreciseMessages) {
  EXPECT_EQ(error_of("modbus:plc/hx1"),
            "unknown Modbus table 'hx' in 'modbus:plc/hx1' (expected coil, di, ir, hr)");
  EXPECT_EQ(error_of("sim:state"),
            "'sim:state' is not a Modbus source (expected "
            "modbus:<connection>/<table><offset>[:<type>][:<word order>])");
  EXPECT_NE(error_of("modbus://10.0.0.5/hr1").find("names a host"), std::string::npos);
  EXPECT_NE(error_of("modbus:plc").find("missing '/<table><offset>'"), std::string::npos);
  EXPECT_NE(error_of("modbus:/hr1").find("invalid connection name ''"), std::string::npos);
  EXPECT_NE(error_of("modbus:my plc/hr1").find("invalid connection name 'my plc'"), std::string::npos);
  EXPECT_NE(error_of("modbus:plc/100").find("missing Modbus table"), std::string::npos);
  EXPECT_EQ(error_of("modbus:plc/hr"), "missing offset after 'hr' in 'modbus:plc/hr' (e.g. hr100)");
  EXPECT_EQ(error_of("modbus:plc/hr1a"),
            "invalid offset '1a' in 'modbus:plc/hr1a' (expected a number 0..65535)");
  EXPECT_EQ(error_of("modbus:plc/hr70000"),
            "offset 70000 out of range in 'modbus:plc/hr70000' (expected 0..65535)");
  EXPECT_NE(error_of("modbus:plc/hr1:real").find("unknown Modbus type 'real'"), std::string::npos);
  EXPECT_NE(error_of("modbus:plc/hr1:").find("unknown Modbus type ''"), std::string::npos);
  EXPECT_EQ(error_of("modbus:plc/hr1:bit16"),
            "bit number out of range in 'modbus:plc/hr1:bit16' (expected bit0..bit15)");
  EXPECT_EQ(error_of("modbus:plc/hr1:float32:ABDC"),
            "unknown word order 'ABDC' in 'modbus:plc/hr1:float32:ABDC' (expected ABCD, CDAB, BADC, DCBA)");
  EXPECT_EQ(error_of("modbus:plc/hr1:int16:CDAB"),
            "word order CDAB in 'modbus:plc/hr1:int16:CDAB' applies only to 32- and 64-bit types, not int16");
  EXPECT_NE(error_of("modbus:plc/hr1:bit2:CDAB").find("not a register bit"), std::string::npos);
  EXPECT_EQ(
      error_of("modbus:plc/hr1:CDAB"),
      "word order 'CDAB' in 'modbus:plc/hr1:CDAB' must follow a 32- or 64-bit type, e.g. hr1:float32:CDAB");
  EXPECT_NE(error_of("modbus:plc/coil1:int16").find("coil addresses hold single bits"), std::string::npos);
  EXPECT_NE(error_of("modbus:plc/di1:bit1").find("single bits already"), std::string::npos);
  EXPECT_EQ(error_of("modbus:plc/hr7:bool"),
            "a register bit needs its number in 'modbus:plc/hr7:bool': use bitN, e.g. hr7:bit0");
  EXPECT_NE(error_of("modbus:plc/hr1:int32:ABCD:x").find("too many ':' parts"), std::string::npos);
  EXPECT_EQ(error_of("modbus:plc/hr65535:float32"),
            "'modbus:plc/hr65535:float32' runs past the last address 65535 (float32 needs 2 registers)");
}

TEST(ModbusAddress, AddressesWithinAConnectionNameThemselvesInMessages) {
  auto result = parse_modbus_address("hx200");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "unknown Modbus table 'hx' in 'hx200' (expected coil, di, ir, hr)");
}

TEST(ModbusAddress, ChecksTheDeclaredTagType) {
  const auto check = [](std::string_view address, TagType type) {
    return check_tag_type(*parse_modbus_address(address), type).ok();
  };
  EXPECT_TRUE(check("coil1", TagType::Bool));
  EXPECT_TRUE(check("hr1:bit4", TagType::Bool));
  EXPECT_FALSE(check("hr1", TagType::Bool));
  EXPECT_FALSE(check("coil1", TagType::Int32));
  EXPECT_FALSE(check("coil1", TagType::Float64));

  EXPECT_TRUE(check("hr1:int16", TagType::Int32));
  EXPECT_TRUE(check("hr1:uint16", TagType::Int32));
  EXPECT_TRUE(check("hr1:int32", TagType::Int32));
  EXPECT_FALSE(check("hr1:uint32", TagType::Int32));
  EXPECT_FALSE(check("hr1:int64", TagType::Int32));
  EXPECT_TRUE(check("hr1:uint32", TagType::Int64));
  EXPECT_TRUE(check("hr1:int64", TagType::Int64));
  EXPECT_FALSE(check("hr1:float32", TagType::Int64));

  EXPECT_TRUE(check("hr1:float32", TagType::Float32));
  EXPECT_TRUE(check("hr1:float64", TagType::Float32));
  EXPECT_TRUE(check("hr1:int16", TagType::Float64));
  EXPECT_FALSE(check("hr1", TagType::String));
}

TEST(ModbusAddress, TagSourceErrorsNameTheTag) {
  model::Tag tag{"L1/filler/Speed", "L1/filler", {"Speed", TagType::Float64, "", "modbus:plc/hx1", ""}};
  auto bad_table = parse_tag_source(tag);
  ASSERT_FALSE(bad_table.ok());
  EXPECT_EQ(bad_table.error().message,
            "tag L1/filler/Speed: unknown Modbus table 'hx' in 'modbus:plc/hx1' (expected coil, di, ir, hr)");

  tag.definition.type = TagType::Int32;
  tag.definition.source = "modbus:plc/hr1:uint32";
  auto too_narrow = parse_tag_source(tag);
  ASSERT_FALSE(too_narrow.ok());
  EXPECT_EQ(too_narrow.error().message,
            "tag L1/filler/Speed: uint32 values at hr1:uint32:ABCD do not all fit an int32 tag; declare the "
            "tag int64");

  tag.definition.type = TagType::Bool;
  tag.definition.source = "modbus:plc/hr1";
  auto not_a_bit = parse_tag_source(tag);
  ASSERT_FALSE(not_a_bit.ok());
  EXPECT_NE(not_a_bit.error().message.find("a bool tag needs a bit address"), std::string::npos);

  tag.definition.source = "modbus:plc/hr1:bit0";
  EXPECT_TRUE(parse_tag_source(tag).ok());
}

}  // namespace
}  // namespace strata::modbus
