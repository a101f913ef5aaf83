// The `connections: opcua:` section, positioned errors, and the driver's binding checks.
#include <gtest/gtest.h>

#include "drivers/opcua/opcua_binding.hpp"
#include "drivers/opcua/opcua_driver.hpp"
#include "unit/config/test_support.hpp"

namespace strata::opcua {
namespace {

using config::testing::has_error;
using config::testing::load;
using config::testing::mutate;

constexpr std::string_view kPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
connections:
  opcua:
    - name: filler-plc
      endpoint: opc.tcp://10.20.0.12:4840/plc
      security_mode: SignAndEncrypt
      certificate_file: pki/strata.pem
      private_key_file: pki/strata.key
      trusted_certificates_dir: pki/trusted
      user: operator
      password_env: STRATA_OPCUA_PASSWORD
      session_timeout: 30s
      sampling_interval: 100ms
      publishing_interval: 1s
      reconnect: { initial: 1s, max: 10s }
      commands:
        - { unit: s/a/L1/filler, control_command: "ns=2;s=Filler.Cmd.CntrlCmd", change_request: "ns=2;s=Filler.Cmd.CmdChangeRequest" }
    - name: spare
      endpoint: opc.tcp://plc2.local:4840
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: State
        tags:
          - { name: State, type: int32, source: "opcua:filler-plc/ns=2;s=Filler.Status.StateCurrent" }
          - { name: Speed, type: float64, source: "opcua:filler-plc/ns=2;s=Filler.Speed", sampling_interval: 50ms, publishing_interval: 200ms }
          - { name: Count, type: int64, source: "opcua:spare/ns=2;i=1001" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";

TEST(OpcUaConfig, ConnectionsLoadWithDefaults) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  const auto& connections = result.plant->opcua_connections;
  ASSERT_EQ(connections.size(), 2U);
  const auto& filler = connections[0];
  EXPECT_EQ(filler.name, "filler-plc");
  EXPECT_EQ(filler.endpoint, "opc.tcp://10.20.0.12:4840/plc");
  EXPECT_EQ(filler.security_mode, model::OpcUaSecurityMode::SignAndEncrypt);
  EXPECT_EQ(filler.security_policy, model::OpcUaSecurityPolicy::Basic256Sha256) << "implied by the mode";
  EXPECT_EQ(filler.certificate_file, "pki/strata.pem");
  EXPECT_EQ(filler.private_key_file, "pki/strata.key");
  EXPECT_EQ(filler.trusted_certificates_dir, "pki/trusted");
  EXPECT_EQ(filler.user, "operator");
  EXPECT_EQ(filler.password_env, "STRATA_OPCUA_PASSWORD");
  EXPECT_EQ(filler.session_timeout, std::chrono::seconds(30));
  EXPECT_EQ(filler.sampling_interval, std::chrono::milliseconds(100));
  EXPECT_EQ(filler.publishing_interval, std::chrono::seconds(1));
  EXPECT_EQ(filler.reconnect.initial, std::chrono::seconds(1));
  EXPECT_EQ(filler.reconnect.max, std::chrono::seconds(10));
  ASSERT_EQ(filler.commands.size(), 1U);
  EXPECT_EQ(filler.commands[0].unit_id, "s/a/L1/filler");
  EXPECT_EQ(filler.commands[0].control_command, "ns=2;s=Filler.Cmd.CntrlCmd");
  EXPECT_EQ(filler.commands[0].change_request,
            std::optional<std::string>("ns=2;s=Filler.Cmd.CmdChangeRequest"));
  const auto& spare = connections[1];
  EXPECT_EQ(spare.security_mode, model::OpcUaSecurityMode::None);
  EXPECT_EQ(spare.security_policy, model::OpcUaSecurityPolicy::None);
  EXPECT_EQ(spare.sampling_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(spare.publishing_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(spare.session_timeout, std::chrono::seconds(60));
  EXPECT_TRUE(spare.user.empty());
}

TEST(OpcUaConfig, BadValuesAreReportedWhereTheyStand) {
  std::string yaml =
      mutate(std::string(kPlant), "endpoint: opc.tcp://plc2.local:4840", "endpoint: http://plc2");
  EXPECT_TRUE(has_error(load(yaml), yaml, 20, 17,
                        "'endpoint' in opcua connection 'spare' must be an opc.tcp:// URL", "http://plc2"));
  yaml = mutate(std::string(kPlant), "security_mode: SignAndEncrypt", "security_mode: Encrypt");
  EXPECT_TRUE(has_error(load(yaml), yaml, 7, 22, "must be None, Sign or SignAndEncrypt", "Encrypt"));
  yaml = mutate(std::string(kPlant), "session_timeout: 30s", "session_timeout: soon");
  EXPECT_TRUE(has_error(load(yaml), yaml, 13, 24, "must be a duration of at least 1ms", "soon"));
  yaml = mutate(std::string(kPlant), "{ initial: 1s, max: 10s }", "{ initial: 10s, max: 1s }");
  EXPECT_TRUE(has_error(load(yaml), yaml, 16, 18,
                        "'max' in 'reconnect' of opcua connection 'filler-plc' must not be shorter",
                        "{ initial"));
  yaml = mutate(std::string(kPlant), "unit: s/a/L1/filler", "unit: s/a/L9/filler");
  EXPECT_TRUE(has_error(load(yaml), yaml, 18, 19, "unknown unit 's/a/L9/filler'", "s/a/L9/filler"));
  yaml = mutate(std::string(kPlant), "    - name: spare", "    - name: filler-plc");
  EXPECT_TRUE(
      has_error(load(yaml), yaml, 19, 7, "duplicate opcua connection 'filler-plc'", "name: filler-plc"));
  yaml = mutate(std::string(kPlant), "      endpoint: opc.tcp://plc2.local:4840",
                "      endpont: opc.tcp://plc2.local:4840");
  EXPECT_TRUE(has_error(load(yaml), yaml, 20, 7, "unknown key 'endpont'", "endpont"));
  yaml = mutate(std::string(kPlant), "password_env: STRATA_OPCUA_PASSWORD", "password_env: 1PASSWORD");
  EXPECT_TRUE(has_error(load(yaml), yaml, 12, 21, "must be an environment variable name", "1PASSWORD"));
  yaml =
      mutate(std::string(kPlant), "      password_env: STRATA_OPCUA_PASSWORD\n", "      password: secret\n");
  EXPECT_TRUE(has_error(load(yaml), yaml, 12, 7, "unknown key 'password'", "password"));
}

TEST(OpcUaConfig, SecuritySettingsMustBeCoherent) {
  std::string yaml = mutate(std::string(kPlant), "      certificate_file: pki/strata.pem\n", "");
  EXPECT_TRUE(has_error(load(yaml), yaml, 7, 22,
                        "needs 'certificate_file' when security_mode is SignAndEncrypt", "SignAndEncrypt"));
  yaml = mutate(std::string(kPlant), "      security_mode: SignAndEncrypt\n",
                "      security_mode: Sign\n      security_policy: None\n");
  EXPECT_TRUE(
      has_error(load(yaml), yaml, 8, 24, "must be Basic256Sha256 when security_mode is Sign", "None"));
  yaml = mutate(std::string(kPlant), "      endpoint: opc.tcp://plc2.local:4840",
                "      endpoint: opc.tcp://plc2.local:4840\n      security_policy: Basic256Sha256");
  EXPECT_TRUE(has_error(load(yaml), yaml, 21, 24, "needs a security_mode of Sign or SignAndEncrypt",
                        "Basic256Sha256"));
  yaml = mutate(std::string(kPlant), "      user: operator\n", "");
  EXPECT_TRUE(has_error(load(yaml), yaml, 11, 7,
                        "'password_env' in opcua connection 'filler-plc' needs a 'user'", "password_env"));
}

TEST(OpcUaBinding, BindsTagsWithIntervalsAndCommands) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  const auto bindings = bind_plant(*result.plant);
  ASSERT_TRUE(bindings) << bindings.error().message;
  ASSERT_EQ(bindings->size(), 2U);
  const auto& filler = (*bindings)[0];
  ASSERT_EQ(filler.items.size(), 2U);
  EXPECT_EQ(filler.items[0].node_id, "ns=2;s=Filler.Status.StateCurrent");
  EXPECT_EQ(filler.items[0].sampling_interval, std::chrono::milliseconds(100)) << "the connection's default";
  EXPECT_EQ(filler.items[0].publishing_interval, std::chrono::seconds(1));
  EXPECT_EQ(filler.items[1].sampling_interval, std::chrono::milliseconds(50)) << "the tag's own";
  EXPECT_EQ(filler.items[1].publishing_interval, std::chrono::milliseconds(200));
  ASSERT_EQ(filler.commands.size(), 1U);
  EXPECT_EQ(filler.commands[0].control_command.data_type, "Int32");
  EXPECT_EQ(filler.commands[0].change_request->data_type, "Boolean");
  ASSERT_EQ((*bindings)[1].items.size(), 1U);

  const auto config = client_config(filler, "secret");
  EXPECT_EQ(config["endpoint"], "opc.tcp://10.20.0.12:4840/plc");
  EXPECT_EQ(config["security_mode"], "SignAndEncrypt");
  EXPECT_EQ(config["security_policy"], "Basic256Sha256");
  EXPECT_EQ(config["user"], "operator");
  EXPECT_EQ(config["password"], "secret");
  EXPECT_EQ(config["session_timeout_ms"], 30000);
  EXPECT_EQ(config["reconnect"]["initial_ms"], 1000);
  ASSERT_EQ(config["items"].size(), 2U);
  EXPECT_EQ(config["items"][1]["h"], 1);
  EXPECT_EQ(config["items"][1]["data_type"], "Double");
  EXPECT_EQ(config["items"][1]["sampling_interval_ms"], 50);
  EXPECT_EQ(config["items"][1]["publishing_interval_ms"], 200);
}

TEST(OpcUaBinding, ProblemsNameTheTagOrUnit) {
  auto yaml = mutate(std::string(kPlant), "opcua:spare/ns=2;i=1001", "opcua:nowhere/ns=2;i=1001");
  auto result = load(yaml);
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  auto checked = OpcUaDriver::validate(*result.plant);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("tag s/a/L1/filler/Count: unknown OPC UA connection 'nowhere'"),
            std::string::npos)
      << checked.error().message;
  EXPECT_NE(checked.error().message.find("configured: filler-plc, spare"), std::string::npos);

  yaml = mutate(std::string(kPlant), "opcua:spare/ns=2;i=1001", "opcua:spare/ns=2;i=x");
  result = load(yaml);
  ASSERT_TRUE(result.plant);
  checked = OpcUaDriver::validate(*result.plant);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("tag s/a/L1/filler/Count: bad node id 'opcua:spare/ns=2;i=x'"),
            std::string::npos)
      << checked.error().message;

  yaml = mutate(std::string(kPlant), "control_command: \"ns=2;s=Filler.Cmd.CntrlCmd\"",
                "control_command: \"Filler\"");
  result = load(yaml);
  ASSERT_TRUE(result.plant);
  checked = OpcUaDriver::validate(*result.plant);
  ASSERT_FALSE(checked);
  EXPECT_NE(
      checked.error().message.find("commands of unit s/a/L1/filler: control_command: bad node id 'Filler'"),
      std::string::npos)
      << checked.error().message;
}

TEST(OpcUaBinding, CommandTagsMustHaveHandshakeTypes) {
  auto yaml = mutate(
      std::string(kPlant),
      "        - { unit: s/a/L1/filler, control_command: \"ns=2;s=Filler.Cmd.CntrlCmd\", change_request: "
      "\"ns=2;s=Filler.Cmd.CmdChangeRequest\" }\n",
      "");
  yaml = mutate(yaml, "      commands:\n", "");
  yaml =
      mutate(yaml, "          - { name: Count,",
             "          - { name: Command.CntrlCmd, type: float64, source: \"opcua:filler-plc/ns=2;s=C\" }\n"
             "          - { name: Count,");
  auto result = load(yaml);
  ASSERT_TRUE(result.plant) << to_string(result.diagnostics);
  auto checked = OpcUaDriver::validate(*result.plant);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("Command.CntrlCmd must be an int32 or int64 tag"), std::string::npos)
      << checked.error().message;

  yaml = mutate(yaml, "Command.CntrlCmd, type: float64", "Command.CntrlCmd, type: int32");
  result = load(yaml);
  ASSERT_TRUE(result.plant);
  auto bindings = bind_plant(*result.plant);
  ASSERT_TRUE(bindings) << bindings.error().message;
  ASSERT_EQ((*bindings)[0].commands.size(), 1U);
  EXPECT_EQ((*bindings)[0].commands[0].control_command.node_id, "ns=2;s=C");
  EXPECT_FALSE((*bindings)[0].commands[0].change_request);
}

TEST(OpcUaDriverCreate, AMissingPasswordVariableIsAnError) {
  const auto result = load(std::string(kPlant));
  ASSERT_TRUE(result.plant);
  ::unsetenv("STRATA_OPCUA_PASSWORD");
  ManualClock clock;
  auto driver = OpcUaDriver::create(*result.plant, clock, {.connector_argv = {"/bin/true"}});
  ASSERT_FALSE(driver);
  EXPECT_NE(driver.error().message.find(
                "environment variable STRATA_OPCUA_PASSWORD (the password of user 'operator') "
                "is not set"),
            std::string::npos)
      << driver.error().message;
}

}  // namespace
}  // namespace strata::opcua
