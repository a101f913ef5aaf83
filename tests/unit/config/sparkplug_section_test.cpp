// The `connections: sparkplug:` list: connections as the Sparkplug drivers read them, and positioned errors.
#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace strata::config {
namespace {

using testing::has_error;
using testing::load;
using testing::mutate;

constexpr std::string_view kPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
connections:
  sparkplug:
    - name: uns
      host: broker.local
      port: 8883
      client_id: strata-acme
      username: strata
      password_env: STRATA_MQTT_PW
      keepalive: 20s
      reconnect: { initial: 250ms, max: 10s }
      group_id: bottling
      edge_node_id: strata
      publish_scopes: [s/a/L1]
      store_forward_dir: /var/spool/strata
      store_forward_max_bytes: 64MiB
      host_id: strata-host
      reorder_timeout: 3s
    - name: plain
      host: 127.0.0.1
      group_id: other
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: State
        tags:
          - { name: State, type: int32, source: "sim:state" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
          - { id: L2, template: { id: line, version: 1.0.0 } }
)";

TEST(SparkplugConfig, ConnectionsLoadWithDefaults) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  const auto& connections = result.plant->sparkplug_connections;
  ASSERT_EQ(connections.size(), 2U);
  const auto& uns = connections[0];
  EXPECT_EQ(uns.name, "uns");
  EXPECT_EQ(uns.host, "broker.local");
  EXPECT_EQ(uns.port, 8883);
  EXPECT_EQ(uns.client_id, "strata-acme");
  EXPECT_EQ(uns.username, "strata");
  EXPECT_EQ(uns.password_env, "STRATA_MQTT_PW");
  EXPECT_EQ(uns.keepalive, std::chrono::seconds(20));
  EXPECT_EQ(uns.reconnect.initial, std::chrono::milliseconds(250));
  EXPECT_EQ(uns.reconnect.max, std::chrono::milliseconds(10'000));
  EXPECT_EQ(uns.group_id, "bottling");
  EXPECT_EQ(uns.edge_node_id, "strata");
  EXPECT_EQ(uns.publish_scopes, std::vector<std::string>{"s/a/L1"});
  EXPECT_EQ(uns.store_forward_dir, "/var/spool/strata");
  EXPECT_EQ(uns.store_forward_max_bytes, 64ULL << 20);
  EXPECT_EQ(uns.host_id, "strata-host");
  EXPECT_EQ(uns.reorder_timeout, std::chrono::milliseconds(3000));
  const auto& plain = connections[1];
  EXPECT_EQ(plain.port, 1883) << "the MQTT port by default";
  EXPECT_EQ(plain.client_id, "strata-plain");
  EXPECT_TRUE(plain.edge_node_id.empty()) << "no edge node unless asked for";
  EXPECT_EQ(plain.keepalive, std::chrono::seconds(30));
  EXPECT_EQ(plain.store_forward_max_bytes, 1ULL << 30);
}

TEST(SparkplugConfig, DeviceIdsAreUnitPathsBelowTheSite) {
  EXPECT_EQ(model::sparkplug_device_id("bottling/packaging/L1/filler"), "packaging:L1:filler");
  EXPECT_TRUE(model::is_valid_sparkplug_id("packaging:L1:filler"));
  EXPECT_FALSE(model::is_valid_sparkplug_id("a/b"));
  EXPECT_FALSE(model::is_valid_sparkplug_id("a+"));
  EXPECT_FALSE(model::is_valid_sparkplug_id("#"));
  EXPECT_FALSE(model::is_valid_sparkplug_id(""));
}

TEST(SparkplugConfig, BadValuesAreReportedWhereTheyStand) {
  std::string yaml = mutate(std::string(kPlant), "group_id: bottling", "group_id: bot/tling");
  EXPECT_TRUE(has_error(load(yaml), yaml, 13, 17,
                        "'group_id' in sparkplug connection 'uns' must be a Sparkplug id", "bot/tling"));
  yaml = mutate(std::string(kPlant), "edge_node_id: strata", "edge_node_id: \"edge+\"");
  EXPECT_TRUE(has_error(load(yaml), yaml, 14, 21, "'edge_node_id' in sparkplug connection 'uns' must be",
                        "\"edge+\""));
  yaml = mutate(std::string(kPlant), "port: 8883", "port: 0");
  EXPECT_TRUE(has_error(load(yaml), yaml, 7, 13, "must be a whole number 1..65535", "0"));
  yaml = mutate(std::string(kPlant), "keepalive: 20s", "keepalive: 0s");
  EXPECT_TRUE(has_error(load(yaml), yaml, 11, 18, "'keepalive' in sparkplug connection 'uns' must be", "0s"));
  yaml = mutate(std::string(kPlant), "password_env: STRATA_MQTT_PW", "password_env: hunter2!");
  EXPECT_TRUE(has_error(load(yaml), yaml, 10, 21, "must be an environment variable name", "hunter2!"));
  yaml = mutate(std::string(kPlant), "publish_scopes: [s/a/L1]", "publish_scopes: [s/a/L9]");
  EXPECT_TRUE(has_error(load(yaml), yaml, 15, 24, "unknown equipment 's/a/L9'", "s/a/L9"));
  yaml = mutate(std::string(kPlant), "store_forward_max_bytes: 64MiB", "store_forward_max_bytes: lots");
  EXPECT_TRUE(has_error(load(yaml), yaml, 17, 32, "must be a size of at least 1MiB", "lots"));
  yaml = mutate(std::string(kPlant), "reconnect: { initial: 250ms, max: 10s }",
                "reconnect: { initial: 250ms, maximum: 10s }");
  EXPECT_TRUE(has_error(load(yaml), yaml, 12, 36, "unknown key 'maximum'", "maximum"));
  yaml = mutate(std::string(kPlant), "    - name: plain", "    - name: uns");
  EXPECT_TRUE(has_error(load(yaml), yaml, 20, 7, "duplicate sparkplug connection 'uns'", "name: uns"));
  yaml = mutate(std::string(kPlant), "      group_id: other", "      group_ip: other");
  EXPECT_TRUE(has_error(load(yaml), yaml, 22, 7, "unknown key 'group_ip'", "group_ip"));
}

TEST(SparkplugConfig, EdgeNodeSettingsNeedAnEdgeNode) {
  const std::string yaml = mutate(std::string(kPlant), "      group_id: other",
                                  "      group_id: other\n      publish_scopes: [s]");
  EXPECT_TRUE(has_error(load(yaml), yaml, 23, 7,
                        "'publish_scopes' in sparkplug connection 'plain' needs "
                        "'edge_node_id'",
                        "publish_scopes"));
}

TEST(SparkplugConfig, OneEdgeNodePerGroup) {
  const std::string yaml = mutate(std::string(kPlant), "      group_id: other",
                                  "      group_id: bottling\n      edge_node_id: strata");
  EXPECT_TRUE(
      has_error(load(yaml), yaml, 20, 7, "duplicate sparkplug edge node 'bottling/strata'", "name: plain"));
}

TEST(SparkplugConfig, DeviceIdsMustBeUniqueAcrossSites) {
  std::string yaml = std::string(kPlant) + R"(  - id: t
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";
  yaml = mutate(yaml, "publish_scopes: [s/a/L1]", "publish_scopes: [s/a/L1, t]");
  EXPECT_TRUE(
      has_error(load(yaml), yaml, 15, 23, "would both be Sparkplug device 'a:L1:filler'", "[s/a/L1, t]"));
}

}  // namespace
}  // namespace strata::config
