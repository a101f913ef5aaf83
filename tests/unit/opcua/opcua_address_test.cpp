#include "drivers/opcua/opcua_address.hpp"

#include <gtest/gtest.h>

#include "drivers/opcua/value_codec.hpp"

namespace strata::opcua {
namespace {

TEST(OpcUaAddress, ParsesConnectionAndNodeId) {
  const auto source = parse_opcua_source("opcua:filler-plc/ns=2;s=Filler.Status.StateCurrent");
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ(source->connection, "filler-plc");
  EXPECT_EQ(source->node_id, "ns=2;s=Filler.Status.StateCurrent");
}

TEST(OpcUaAddress, StringIdentifiersMayContainSlashesAndSemicolons) {
  const auto source = parse_opcua_source("opcua:plc.1/ns=3;s=Line/1;Speed");
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ(source->connection, "plc.1");
  EXPECT_EQ(source->node_id, "ns=3;s=Line/1;Speed");
}

TEST(OpcUaAddress, AcceptsEveryIdentifierKind) {
  for (const auto* id :
       {"i=85", "ns=0;i=2258", "ns=65535;i=4294967295", "ns=2;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63",
        "ns=1;b=M/RbKBsRVkePCePcx24oRA==", "s=x"}) {
    EXPECT_TRUE(check_node_id(id)) << id;
  }
}

TEST(OpcUaAddress, RejectsMalformedNodeIds) {
  const std::pair<const char*, const char*> cases[] = {
      {"ns=2;x=1", "expected [ns=<n>;]i=<number>"},
      {"ns=70000;i=1", "bad namespace"},
      {"ns=a;i=1", "bad namespace"},
      {"ns=2", "bad namespace"},
      {"ns=2;i=-1", "i must be a number"},
      {"i=4294967296", "i must be a number"},
      {"ns=2;s=", "s must be a non-empty string"},
      {"ns=2;g=1234", "g must be a GUID"},
      {"ns=2;b=abc", "b must be base64"},
      {"Filler.Speed", "expected [ns=<n>;]"},
  };
  for (const auto& [id, message] : cases) {
    const auto checked = check_node_id(id);
    ASSERT_FALSE(checked) << id;
    EXPECT_NE(checked.error().message.find(message), std::string::npos)
        << id << ": " << checked.error().message;
  }
}

TEST(OpcUaAddress, SourceErrorsQuoteTheWholeSource) {
  const std::pair<const char*, const char*> cases[] = {
      {"modbus:plc/hr1", "is not an opcua source"},
      {"opcua:ns=2;s=x", "has no connection"},
      {"opcua:/ns=2;s=x", "has no connection"},
      {"opcua:plc/", "has no node id"},
      {"opcua:p l c/ns=2;s=x", "bad connection name 'p l c'"},
      {"opcua:plc/ns=2;q=x", "bad node id 'opcua:plc/ns=2;q=x'"},
  };
  for (const auto& [source, message] : cases) {
    const auto parsed = parse_opcua_source(source);
    ASSERT_FALSE(parsed) << source;
    EXPECT_NE(parsed.error().message.find(message), std::string::npos)
        << source << ": " << parsed.error().message;
  }
}

TEST(OpcUaAddress, TagErrorsNameTheTag) {
  model::Tag tag;
  tag.id = "s/a/L1/filler/Speed";
  tag.definition.source = "opcua:plc/ns=2;s=";
  const auto parsed = parse_tag_source(tag);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message.rfind("tag s/a/L1/filler/Speed: ", 0), 0U) << parsed.error().message;
}

TEST(OpcUaAddress, DataTypesFollowTagTypes) {
  EXPECT_EQ(data_type_for(model::TagType::Bool), "Boolean");
  EXPECT_EQ(data_type_for(model::TagType::Int32), "Int32");
  EXPECT_EQ(data_type_for(model::TagType::Int64), "Int64");
  EXPECT_EQ(data_type_for(model::TagType::Float32), "Float");
  EXPECT_EQ(data_type_for(model::TagType::Float64), "Double");
  EXPECT_EQ(data_type_for(model::TagType::String), "String");
}

TEST(OpcUaValues, ConvertsJsonPerTagType) {
  using model::TagType;
  using model::Value;
  EXPECT_EQ(value_from_json(true, TagType::Bool), Value{true});
  EXPECT_EQ(value_from_json(1, TagType::Bool), std::nullopt);
  EXPECT_EQ(value_from_json(42, TagType::Int32), Value{std::int64_t{42}});
  EXPECT_EQ(value_from_json(3.0, TagType::Int32), Value{std::int64_t{3}});
  EXPECT_EQ(value_from_json(3.5, TagType::Int32), std::nullopt);
  EXPECT_EQ(value_from_json(4294967295LL, TagType::Int32), std::nullopt);
  EXPECT_EQ(value_from_json("9007199254740993", TagType::Int64), Value{std::int64_t{9007199254740993}});
  EXPECT_EQ(value_from_json("-12", TagType::Int64), Value{std::int64_t{-12}});
  EXPECT_EQ(value_from_json("12x", TagType::Int64), std::nullopt);
  EXPECT_EQ(value_from_json("18446744073709551615", TagType::Int64), std::nullopt);
  EXPECT_EQ(value_from_json(2.5, TagType::Float64), Value{2.5});
  EXPECT_EQ(value_from_json(7, TagType::Float32), Value{7.0});
  EXPECT_EQ(value_from_json("123", TagType::Float64), Value{123.0});
  EXPECT_EQ(value_from_json("abc", TagType::String), Value{std::string("abc")});
  EXPECT_EQ(value_from_json(5, TagType::String), std::nullopt);
  EXPECT_EQ(value_from_json(nullptr, TagType::Float64), std::nullopt);
}

TEST(OpcUaValues, QualityAndWrites) {
  EXPECT_EQ(quality_from_json("good"), model::Quality::Good);
  EXPECT_EQ(quality_from_json("uncertain"), model::Quality::Uncertain);
  EXPECT_EQ(quality_from_json("bad"), model::Quality::Bad);
  EXPECT_EQ(quality_from_json(5), model::Quality::Bad);
  EXPECT_EQ(value_to_json(model::Value{std::int64_t{5}}, "Int32"), nlohmann::json(5));
  EXPECT_EQ(value_to_json(model::Value{std::int64_t{5}}, "Int64"), nlohmann::json("5"));
  EXPECT_EQ(value_to_json(model::Value{true}, "Boolean"), nlohmann::json(true));
}

}  // namespace
}  // namespace strata::opcua
