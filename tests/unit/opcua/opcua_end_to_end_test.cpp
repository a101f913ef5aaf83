// The OPC UA driver against a real OPC UA server (the connector's server role), through the real
// connector in role client: values, server restarts, commands, security and a missing node.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

#include "drivers/opcua/opcua_driver.hpp"
#include "unit/opcua/opcua_server_support.hpp"

namespace strata::opcua {
namespace {

using test::OpcUaTestServer;
using test::RecordingSink;
using test::tag_index;
namespace fs = std::filesystem;

nlohmann::json filler_nodes() {
  const auto node = [](int h, const char* name, const char* type, nlohmann::json value,
                       bool writable = false) {
    return nlohmann::json{{"h", h},
                          {"node_id", std::string("ns=1;s=Filler.") + name},
                          {"browse_path", {"L1", "Filler", name}},
                          {"data_type", type},
                          {"writable", writable},
                          {"value", std::move(value)}};
  };
  return nlohmann::json::array({node(0, "State", "Int32", 6), node(1, "Speed", "Double", 2.5),
                                node(2, "Count", "Int64", "9007199254740993"),
                                node(3, "Recipe", "String", "A"), node(4, "Running", "Boolean", true),
                                node(5, "CntrlCmd", "Int32", 0, true),
                                node(6, "CmdChangeRequest", "Boolean", false, true)});
}

std::string plant_yaml(int port, const std::string& connection_extra = "") {
  return fmt::format(R"(strata: 1
enterprise: {{ id: acme, name: ACME }}
connections:
  opcua:
    - name: plc
      endpoint: opc.tcp://127.0.0.1:{}/strata
      sampling_interval: 50ms
      publishing_interval: 50ms
      reconnect: {{ initial: 100ms, max: 500ms }}
{}templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: State
        tags:
          - {{ name: State, type: int32, source: "opcua:plc/ns=1;s=Filler.State" }}
          - {{ name: Speed, type: float64, source: "opcua:plc/ns=1;s=Filler.Speed" }}
          - {{ name: Count, type: int64, source: "opcua:plc/ns=1;s=Filler.Count" }}
          - {{ name: Recipe, type: string, source: "opcua:plc/ns=1;s=Filler.Recipe" }}
          - {{ name: Running, type: bool, source: "opcua:plc/ns=1;s=Filler.Running" }}
          - {{ name: Missing, type: float64, source: "opcua:plc/ns=1;s=Filler.Missing" }}
          - {{ name: Command.CntrlCmd, type: int32, source: "opcua:plc/ns=1;s=Filler.CntrlCmd" }}
          - {{ name: Command.CmdChangeRequest, type: bool, source: "opcua:plc/ns=1;s=Filler.CmdChangeRequest" }}
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - {{ id: L1, template: {{ id: line, version: 1.0.0 }} }}
)",
                     port, connection_extra);
}

std::unique_ptr<OpcUaDriver> make_driver(const model::Plant& plant, const Clock& clock) {
  DriverOptions options;
  options.connector_argv = test::opcua_connector_argv();
  auto driver = OpcUaDriver::create(plant, clock, options);
  EXPECT_TRUE(driver) << driver.error().message;
  return driver ? std::move(*driver) : nullptr;
}

nlohmann::json server_config(nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json config{{"resource_path", "/strata"}, {"nodes", filler_nodes()}};
  config.update(extra);
  return config;
}

class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() {
    spdlog::default_logger()->flush();
    return stream_.str();
  }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

TEST(OpcUaEndToEnd, ValuesFlowAndAMissingNodeIsBadAndLogged) {
  LogCapture log;
  const int port = test::free_port();
  OpcUaTestServer server(port, server_config());
  ASSERT_TRUE(server.start());
  const auto plant = test::load_plant(plant_yaml(port));
  ManualClock clock;
  RecordingSink sink;
  auto driver = make_driver(plant, clock);
  ASSERT_TRUE(driver);
  driver->start(sink);

  EXPECT_TRUE(sink.wait_value(tag_index(plant, "State"), model::Value{std::int64_t{6}}));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Speed"), model::Value{2.5}));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Count"), model::Value{std::int64_t{9'007'199'254'740'993}}));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Recipe"), model::Value{std::string("A")}));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Running"), model::Value{true}));

  ASSERT_TRUE(server.set(1, 3.75));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Speed"), model::Value{3.75}));
  ASSERT_TRUE(server.set(2, "-42"));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Count"), model::Value{std::int64_t{-42}}));

  ASSERT_TRUE(test::eventually(
      [&] { return log.text().find("cannot monitor ns=1;s=Filler.Missing") != std::string::npos; }));
  const auto missing = sink.latest(tag_index(plant, "Missing"));
  EXPECT_TRUE(!missing || missing->quality == model::Quality::Bad);
  const auto metrics = driver->metrics().at(0);
  EXPECT_TRUE(metrics.connected);
  EXPECT_GE(metrics.reads, 1U);
  EXPECT_GE(metrics.values, 7U);
  EXPECT_GE(metrics.errors, 1U);
  driver->stop();
}

TEST(OpcUaEndToEnd, TagsGoBadWhileTheServerIsDownAndRecoverWithANewServer) {
  const int port = test::free_port();
  auto server = std::make_unique<OpcUaTestServer>(port, server_config());
  ASSERT_TRUE(server->start());
  const auto plant = test::load_plant(plant_yaml(port));
  ManualClock clock;
  RecordingSink sink;
  auto driver = make_driver(plant, clock);
  ASSERT_TRUE(driver);
  driver->start(sink);
  const auto speed = tag_index(plant, "Speed");
  ASSERT_TRUE(sink.wait_value(speed, model::Value{2.5}));
  ASSERT_TRUE(server->set(1, 9.5));
  ASSERT_TRUE(sink.wait_value(speed, model::Value{9.5}));

  server.reset();  // stops the server connector: the session is lost
  ASSERT_TRUE(sink.wait_quality(speed, model::Quality::Bad));
  EXPECT_TRUE(sink.wait_quality(tag_index(plant, "State"), model::Quality::Bad));
  EXPECT_FALSE(driver->metrics().at(0).connected);

  // A new server process on the same port, with its initial values: subscriptions are re-created.
  OpcUaTestServer again(port, server_config());
  ASSERT_TRUE(again.start());
  EXPECT_TRUE(sink.wait_value(speed, model::Value{2.5}));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "State"), model::Value{std::int64_t{6}}));
  ASSERT_TRUE(again.set(1, 4.0));
  EXPECT_TRUE(sink.wait_value(speed, model::Value{4.0}));
  ASSERT_TRUE(test::eventually([&] { return driver->metrics().at(0).reconnects >= 1; }));
  driver->stop();
}

TEST(OpcUaEndToEnd, CommandsAreWrittenToTheServer) {
  const int port = test::free_port();
  OpcUaTestServer server(port, server_config());
  ASSERT_TRUE(server.start());
  const auto plant = test::load_plant(plant_yaml(port));
  ManualClock clock;
  RecordingSink sink;
  auto driver = make_driver(plant, clock);
  ASSERT_TRUE(driver);
  driver->start(sink);
  ASSERT_TRUE(test::eventually([&] { return driver->metrics().at(0).connected; }));
  const auto* unit = plant.find_unit("s/a/L1/filler");
  ASSERT_NE(unit, nullptr);
  ASSERT_TRUE(driver->send_command(*unit, states::PackMLCommand::Start));
  ASSERT_TRUE(server.wait_written(2));
  const auto written = server.written();
  EXPECT_EQ(written[0]["h"], 5);
  EXPECT_EQ(written[0]["v"], 2);
  EXPECT_EQ(written[1]["h"], 6);
  EXPECT_EQ(written[1]["v"], true);
  ASSERT_TRUE(test::eventually([&] { return driver->metrics().at(0).writes == 1; }));
  // The written values are the variables' values now, so they come back as tag values.
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Command.CntrlCmd"), model::Value{std::int64_t{2}}));
  driver->stop();
}

// Self-signed certificate whose subjectAltName URI is the application URI the connector then uses.
bool make_certificate(const fs::path& dir, const std::string& name, const std::string& uri) {
  const auto command = fmt::format(
      "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 -keyout '{0}/{1}_key.pem' -out "
      "'{0}/{1}_cert.pem' "
      "-subj /CN=strata-{1} -addext 'subjectAltName=URI:{2},DNS:localhost,IP:127.0.0.1' "
      "-addext 'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment' "
      "-addext 'extendedKeyUsage=serverAuth,clientAuth' >/dev/null 2>&1",
      dir.string(), name, uri);
  return std::system(command.c_str()) == 0;  // NOLINT(concurrency-mt-unsafe): test set-up
}

TEST(OpcUaEndToEnd, SignAndEncryptWithCertificatesAndAUser) {
  const auto dir = fs::temp_directory_path() / ("strata-opcua-pki-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "trusted");
  ASSERT_TRUE(make_certificate(dir, "server", "urn:strata:test:server"));
  ASSERT_TRUE(make_certificate(dir, "client", "urn:strata:test:client"));
  fs::copy_file(dir / "server_cert.pem", dir / "trusted" / "server.pem");

  const int port = test::free_port();
  OpcUaTestServer server(port, server_config({{"security_modes", {"SignAndEncrypt"}},
                                              {"certificate_file", (dir / "server_cert.pem").string()},
                                              {"private_key_file", (dir / "server_key.pem").string()},
                                              {"users", {{{"user", "operator"}, {"password", "s3cret"}}}}}));
  ASSERT_TRUE(server.start());
  ::setenv("STRATA_TEST_OPCUA_PASSWORD", "s3cret", 1);
  const auto security = fmt::format(
      "      security_mode: SignAndEncrypt\n      certificate_file: {0}/client_cert.pem\n"
      "      private_key_file: {0}/client_key.pem\n      trusted_certificates_dir: {0}/trusted\n"
      "      user: operator\n      password_env: STRATA_TEST_OPCUA_PASSWORD\n",
      dir.string());
  const auto plant = test::load_plant(plant_yaml(port, security));
  ASSERT_EQ(plant.opcua_connections.size(), 1U);
  ManualClock clock;
  RecordingSink sink;
  auto driver = make_driver(plant, clock);
  ASSERT_TRUE(driver);
  driver->start(sink);
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Speed"), model::Value{2.5}));
  ASSERT_TRUE(server.set(1, 1.25));
  EXPECT_TRUE(sink.wait_value(tag_index(plant, "Speed"), model::Value{1.25}));
  driver->stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace strata::opcua
