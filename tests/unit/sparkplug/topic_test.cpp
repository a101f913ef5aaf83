#include "drivers/sparkplug/topic.hpp"

#include <gtest/gtest.h>

namespace strata::sparkplug {
namespace {

TEST(SparkplugTopic, BuildsNodeDeviceAndStateTopics) {
  EXPECT_EQ(node_topic("plant", MessageType::NBirth, "edge1"), "spBv1.0/plant/NBIRTH/edge1");
  EXPECT_EQ(node_topic("plant", MessageType::NCmd, "edge1"), "spBv1.0/plant/NCMD/edge1");
  EXPECT_EQ(device_topic("plant", MessageType::DData, "edge1", "filler"), "spBv1.0/plant/DDATA/edge1/filler");
  EXPECT_EQ(state_topic("scada"), "spBv1.0/STATE/scada");
  EXPECT_EQ(build(Topic{.type = MessageType::DCmd, .group_id = "g", .edge_node_id = "e", .device_id = "d"}),
            "spBv1.0/g/DCMD/e/d");
  EXPECT_EQ(build(Topic{.type = MessageType::State, .host_id = "h"}), "spBv1.0/STATE/h");
}

TEST(SparkplugTopic, ParsesEveryMessageType) {
  for (const auto type : {MessageType::NBirth, MessageType::NDeath, MessageType::NData, MessageType::NCmd}) {
    const auto parsed = parse_topic(node_topic("g", type, "e"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, type);
    EXPECT_EQ(parsed->group_id, "g");
    EXPECT_EQ(parsed->edge_node_id, "e");
    EXPECT_TRUE(parsed->device_id.empty());
  }
  for (const auto type : {MessageType::DBirth, MessageType::DDeath, MessageType::DData, MessageType::DCmd}) {
    const auto parsed = parse_topic(device_topic("g", type, "e", "d"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, type);
    EXPECT_EQ(parsed->device_id, "d");
  }
  const auto state = parse_topic("spBv1.0/STATE/host-1");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->type, MessageType::State);
  EXPECT_EQ(state->host_id, "host-1");
}

TEST(SparkplugTopic, RejectsMalformedTopics) {
  for (const char* bad :
       {"", "spBv1.0", "spBv1.0/g", "spBv1.0/g/NDATA", "spAv1.0/g/NDATA/e", "spBv1.0/g/XDATA/e",
        "spBv1.0/g/NDATA/e/d", "spBv1.0/g/DDATA/e", "spBv1.0/g/DDATA/e/d/x", "spBv1.0//NDATA/e",
        "spBv1.0/g/NDATA/", "spBv1.0/g/DDATA/e/", "spBv1.0/STATE", "spBv1.0/STATE/h/x", "spBv1.0/STATE/",
        "spBv1.0/g/STATE/e", "spBv1.0/g+/NDATA/e", "spBv1.0/g/NDATA/#"}) {
    EXPECT_FALSE(parse_topic(bad).ok()) << bad;
  }
}

TEST(SparkplugTopic, ValidatesIds) {
  EXPECT_TRUE(validate_id("Edge Node-1.a", "edge node id").ok());
  EXPECT_FALSE(validate_id("", "edge node id").ok());
  EXPECT_FALSE(validate_id("a/b", "edge node id").ok());
  EXPECT_FALSE(validate_id("a+", "group id").ok());
  EXPECT_FALSE(validate_id("#", "device id").ok());
}

TEST(SparkplugTopic, MessageTypeNamesRoundTrip) {
  for (const auto type :
       {MessageType::NBirth, MessageType::NDeath, MessageType::NData, MessageType::NCmd, MessageType::DBirth,
        MessageType::DDeath, MessageType::DData, MessageType::DCmd, MessageType::State}) {
    EXPECT_EQ(parse_message_type(to_string(type)), type);
  }
  EXPECT_FALSE(parse_message_type("ndata").has_value());
}

}  // namespace
}  // namespace strata::sparkplug
