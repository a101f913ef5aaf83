#include <gtest/gtest.h>

#include "drivers/sparkplug/host_driver.hpp"
#include "drivers/sparkplug/host_source.hpp"
#include "drivers/sparkplug/host_value.hpp"
#include "host_test_support.hpp"

namespace strata::sparkplug {
namespace {

using model::TagType;
using model::Value;

TEST(SparkplugHostSource, ParsesDeviceAndNodeMetricsWithSlashesInNames) {
  const auto device = parse_source("sparkplug:uns/edge1/filler/Status/StateCurrent");
  ASSERT_TRUE(device.ok()) << device.error().message;
  EXPECT_EQ(*device, (SourceAddress{"uns", "edge1", "filler", "Status/StateCurrent"}));
  const auto node = parse_source("sparkplug:uns/edge1//Node Control/Rebirth");
  ASSERT_TRUE(node.ok());
  EXPECT_EQ(*node, (SourceAddress{"uns", "edge1", "", "Node Control/Rebirth"}));
  EXPECT_EQ(to_source(*node), "sparkplug:uns/edge1//Node Control/Rebirth");
  EXPECT_EQ(to_source(*device), "sparkplug:uns/edge1/filler/Status/StateCurrent");
}

TEST(SparkplugHostSource, RejectsIncompleteOrInvalidSources) {
  for (const char* bad :
       {"sparkplug:", "sparkplug:uns", "sparkplug:uns/edge1", "sparkplug:uns/edge1/filler",
        "sparkplug:uns/edge1/filler/", "sparkplug:/edge1/filler/m", "sparkplug:uns//filler/m",
        "sparkplug:uns/edge+/filler/m", "sparkplug:uns/edge1/fil#ler/m", "modbus:uns/e/d/m"}) {
    EXPECT_FALSE(parse_source(bad).ok()) << bad;
  }
}

TEST(SparkplugHostValue, ConvertsToTheTagType) {
  EXPECT_EQ(to_tag_value(std::int64_t{-3}, TagType::Int32), Value{std::int64_t{-3}});
  EXPECT_EQ(to_tag_value(std::uint64_t{7}, TagType::Int64), Value{std::int64_t{7}});
  EXPECT_EQ(to_tag_value(2.6, TagType::Int64), Value{std::int64_t{3}});
  EXPECT_EQ(to_tag_value(1.5F, TagType::Float64), Value{1.5});
  EXPECT_EQ(to_tag_value(true, TagType::Int32), Value{std::int64_t{1}});
  EXPECT_EQ(to_tag_value(std::int64_t{0}, TagType::Bool), Value{false});
  EXPECT_EQ(to_tag_value(std::int64_t{42}, TagType::String), Value{std::string("42")});
  EXPECT_EQ(to_tag_value(std::string("x"), TagType::String), Value{std::string("x")});
  EXPECT_FALSE(to_tag_value(std::string("x"), TagType::Float64).has_value());
  EXPECT_FALSE(to_tag_value(std::int64_t{1} << 40, TagType::Int32).has_value());
  EXPECT_FALSE(to_tag_value(std::uint64_t{1} << 63, TagType::Int64).has_value());
  EXPECT_FALSE(to_tag_value(std::numeric_limits<double>::infinity(), TagType::Int64).has_value());
  EXPECT_FALSE(to_tag_value(std::monostate{}, TagType::Float64).has_value());
}

TEST(SparkplugHostDriverValidate, AcceptsAValidPlantAndReportsEveryProblemAtOnce) {
  auto good =
      test::make_plant({{"Speed", TagType::Float64, "sparkplug:uns/edge1/filler/Speed"},
                        {"Command.CntrlCmd", TagType::Int32, "sparkplug:uns/edge1/filler/Cmd"},
                        {"Command.CmdChangeRequest", TagType::Bool, "sparkplug:uns/edge1/filler/Req"}},
                       1883);
  EXPECT_TRUE(SparkplugHostDriver::validate(good).ok());
  EXPECT_TRUE(SparkplugHostDriver::used_by(good));

  auto bad = test::make_plant({{"A", TagType::Float64, "sparkplug:nowhere/edge1/filler/Speed"},
                               {"B", TagType::Float64, "sparkplug:uns/edge1"},
                               {"Command.CntrlCmd", TagType::Int32, "sparkplug:uns/edge1/filler/Cmd"},
                               {"Command.CmdChangeRequest", TagType::Bool, "sparkplug:uns/edge1/other/Req"}},
                              1883);
  bad.sparkplug_connections[0].host_id = "bad/host";
  const auto result = SparkplugHostDriver::validate(bad);
  ASSERT_FALSE(result.ok());
  const auto& message = result.error().message;
  EXPECT_NE(message.find("nowhere"), std::string::npos) << message;
  EXPECT_NE(message.find("too few fields"), std::string::npos) << message;
  EXPECT_NE(message.find("same sparkplug device"), std::string::npos) << message;
  EXPECT_NE(message.find("host id"), std::string::npos) << message;

  auto no_group = good;
  no_group.sparkplug_connections[0].group_id.clear();
  EXPECT_FALSE(SparkplugHostDriver::validate(no_group).ok());

  model::Plant empty;
  EXPECT_FALSE(SparkplugHostDriver::used_by(empty));
  EXPECT_TRUE(SparkplugHostDriver::validate(empty).ok());
}

}  // namespace
}  // namespace strata::sparkplug
