// The `connections:` section: Modbus TCP connections as the drivers read them, and positioned errors.
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
  modbus:
    - name: filler-plc
      host: 10.20.0.11
      port: 1502
      unit_id: 3
      poll_interval: 250ms
      response_timeout: 2s
      max_register_gap: 0
      commands:
        - { unit: s/a/L1/filler, control_command: "hr200:int32", change_request: coil12 }
    - name: spare
      host: plc2.local
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: State
        tags:
          - { name: State, type: int32, source: "modbus:filler-plc/hr100" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";

TEST(ConnectionsConfig, ModbusConnectionsLoadWithDefaults) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  const auto& connections = result.plant->modbus_connections;
  ASSERT_EQ(connections.size(), 2U);
  const auto& filler = connections[0];
  EXPECT_EQ(filler.name, "filler-plc");
  EXPECT_EQ(filler.host, "10.20.0.11");
  EXPECT_EQ(filler.port, 1502);
  EXPECT_EQ(filler.unit_id, 3);
  EXPECT_EQ(filler.poll_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(filler.response_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(filler.max_register_gap, 0);
  ASSERT_EQ(filler.commands.size(), 1U);
  EXPECT_EQ(filler.commands[0].unit_id, "s/a/L1/filler");
  EXPECT_EQ(filler.commands[0].control_command, "hr200:int32");
  EXPECT_EQ(filler.commands[0].change_request, std::optional<std::string>("coil12"));
  const auto& spare = connections[1];
  EXPECT_EQ(spare.port, 502) << "the Modbus TCP port by default";
  EXPECT_EQ(spare.unit_id, 1);
  EXPECT_EQ(spare.poll_interval, std::chrono::milliseconds(500));
  EXPECT_TRUE(spare.commands.empty());
  EXPECT_EQ(spare.reconnect.initial, std::chrono::milliseconds(500));
  EXPECT_EQ(spare.reconnect.max, std::chrono::milliseconds(30'000));
}

TEST(ConnectionsConfig, ReconnectBackoffIsConfigurable) {
  std::string yaml = mutate(std::string(kPlant), "      host: plc2.local",
                            "      host: plc2.local\n      reconnect: { initial: 1s, max: 1m }");
  const auto result = load(yaml);
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  EXPECT_EQ(result.plant->modbus_connections[1].reconnect.initial, std::chrono::milliseconds(1000));
  EXPECT_EQ(result.plant->modbus_connections[1].reconnect.max, std::chrono::milliseconds(60'000));
  yaml = mutate(std::string(kPlant), "      host: plc2.local",
                "      host: plc2.local\n      reconnect: { initial: 1m, max: 1s }");
  EXPECT_TRUE(
      has_error(load(yaml), yaml, 16, 18,
                "'max' in 'reconnect' of modbus connection 'spare' must not be shorter than 'initial'", "{"));
}

TEST(ConnectionsConfig, BadValuesAreReportedWhereTheyStand) {
  std::string yaml = mutate(std::string(kPlant), "port: 1502", "port: 70000");
  EXPECT_TRUE(has_error(load(yaml), yaml, 7, 13,
                        "'port' in modbus connection 'filler-plc' must be a whole number 1..65535", "70000"));
  yaml = mutate(std::string(kPlant), "poll_interval: 250ms", "poll_interval: soon");
  EXPECT_TRUE(has_error(load(yaml), yaml, 9, 22, "must be a duration of at least 1ms", "soon"));
  yaml = mutate(std::string(kPlant), "unit: s/a/L1/filler", "unit: s/a/L9/filler");
  EXPECT_TRUE(has_error(load(yaml), yaml, 13, 19, "unknown unit 's/a/L9/filler'", "s/a/L9/filler"));
  yaml = mutate(std::string(kPlant), "    - name: spare", "    - name: filler-plc");
  EXPECT_TRUE(
      has_error(load(yaml), yaml, 14, 7, "duplicate modbus connection 'filler-plc'", "name: filler-plc"));
  yaml = mutate(std::string(kPlant), "      host: plc2.local", "      hots: plc2.local");
  EXPECT_TRUE(has_error(load(yaml), yaml, 15, 7, "unknown key 'hots'", "hots"));
}

}  // namespace
}  // namespace strata::config
