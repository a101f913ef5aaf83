#include "drivers/connector/connector_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "unit/connector/connector_test_support.hpp"

namespace strata::connector {
namespace {

using test::fixture_options;
using test::kGuard;
using test::Recorder;

// Captures Strata's log while a test runs.
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

TEST(ConnectorProcess, SaysHelloAndBecomesUp) {
  auto options = fixture_options("echo.mjs");
  options.role = "server";
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(options);
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(process.wait_until_up(kGuard));
  EXPECT_EQ(process.state(), ConnectorState::Up);
  ASSERT_TRUE(recorder.wait_message("hello_seen"));
  const auto hello = recorder.messages().front()["hello"];
  EXPECT_EQ(hello["protocol"], 1);
  EXPECT_EQ(hello["role"], "server");
  EXPECT_EQ(hello["name"], "fixture");
  EXPECT_EQ(hello["config"]["endpoint"], "opc.tcp://127.0.0.1:1");
  EXPECT_EQ(process.stats().connector_version, "0.0.1");
  EXPECT_GT(process.pid(), 0);
  process.stop();
  EXPECT_EQ(process.state(), ConnectorState::Stopped);
  EXPECT_EQ(process.pid(), 0);
  EXPECT_EQ(process.stats().restarts, 0U);
  const auto states = recorder.states();
  ASSERT_GE(states.size(), 3U);
  EXPECT_EQ(states[0], ConnectorState::Starting);
  EXPECT_EQ(states[1], ConnectorState::Up);
  EXPECT_EQ(states.back(), ConnectorState::Stopped);
}

TEST(ConnectorProcess, RequestsResolveWithTheirResult) {
  ConnectorProcess process(fixture_options("echo.mjs"));
  process.start();
  ASSERT_TRUE(process.wait_until_up(kGuard));
  std::vector<std::future<Result<nlohmann::json>>> replies;
  for (int i = 0; i < 50; ++i) replies.push_back(process.request({{"type", "echo"}, {"n", i}}));
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(replies[i].wait_for(kGuard), std::future_status::ready);
    auto reply = replies[i].get();
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ((*reply)["echo"]["n"], i);
    EXPECT_TRUE((*reply)["echo"]["id"].is_number_integer());
  }
  auto refused = process.request({{"type", "fail"}});
  ASSERT_EQ(refused.wait_for(kGuard), std::future_status::ready);
  auto result = refused.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "refused");
  EXPECT_GE(process.stats().frames_out, 52U);  // hello + requests (+ pings)
  EXPECT_GE(process.stats().frames_in, 52U);
}

TEST(ConnectorProcess, MessagesReachTheHandlerAndLogFramesTheLog) {
  LogCapture log;
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("echo.mjs"));
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(process.wait_until_up(kGuard));
  ASSERT_TRUE(process.send(
      {{"type", "emit"}, {"message", {{"type", "values"}, {"items", nlohmann::json::array()}}}}));
  ASSERT_TRUE(process.send(
      {{"type", "emit"}, {"message", {{"type", "log"}, {"level", "warn"}, {"message", "careful"}}}}));
  ASSERT_TRUE(process.send({{"type", "stderr"}, {"text", "line one\nline two\n"}}));
  ASSERT_TRUE(process.send({{"type", "emit"}, {"message", {{"type", "marker"}}}}));
  ASSERT_TRUE(recorder.wait_message("marker"));
  EXPECT_TRUE(recorder.wait_message("values"));
  for (const auto& message : recorder.messages()) EXPECT_NE(message["type"], "log");
  process.stop();  // stderr is drained by the time the process has ended
  const auto text = log.text();
  EXPECT_NE(text.find("[fixture] careful"), std::string::npos) << text;
  EXPECT_NE(text.find("[fixture] line one"), std::string::npos) << text;
  EXPECT_NE(text.find("[fixture] line two"), std::string::npos) << text;
}

TEST(ConnectorProcess, SendAndRequestFailWhenNotUp) {
  ConnectorProcess process(fixture_options("echo.mjs"));
  EXPECT_FALSE(process.send({{"type", "echo"}}));
  auto reply = process.request({{"type", "echo"}});
  ASSERT_EQ(reply.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  auto result = reply.get();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("stopped"), std::string::npos);
}

TEST(ConnectorProcess, RestartsAfterACrashAndFailsOutstandingRequests) {
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("echo.mjs"));
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(process.wait_until_up(kGuard));
  auto unanswered = process.request({{"type", "never"}});
  ASSERT_TRUE(process.send({{"type", "exit"}, {"code", 3}}));
  ASSERT_EQ(unanswered.wait_for(kGuard), std::future_status::ready);
  auto result = unanswered.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "connector restarted");
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Up, 2));
  EXPECT_EQ(recorder.count(ConnectorState::Down), 1U);
  const auto stats = process.stats();
  EXPECT_EQ(stats.restarts, 1U);
  EXPECT_EQ(stats.starts, 2U);
  EXPECT_NE(stats.last_error.find("exited with status 3"), std::string::npos) << stats.last_error;
  // The new run answers requests again.
  auto reply = process.request({{"type", "echo"}});
  ASSERT_EQ(reply.wait_for(kGuard), std::future_status::ready);
  EXPECT_TRUE(reply.get());
}

TEST(ConnectorProcess, RestartsAConnectorKilledFromOutside) {
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("echo.mjs"));
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Up, 1));
  const int pid = process.pid();
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Up, 2));
  EXPECT_NE(process.stats().last_error.find("killed by signal 9"), std::string::npos);
}

TEST(ConnectorProcess, KeepsRestartingACrashingConnectorAndLogsItsStderr) {
  LogCapture log;
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("crash.mjs"));
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Down, 3));
  EXPECT_GE(process.stats().restarts, 2U);
  process.stop();
  EXPECT_NE(log.text().find("crash fixture: boom"), std::string::npos);
}

TEST(ConnectorProcess, KillsAndRestartsAConnectorThatMissesHeartbeats) {
  auto options = fixture_options("hang.mjs");
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(options);
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Up, 2));
  const auto stats = process.stats();
  EXPECT_GE(stats.protocol_errors, 1U);
  EXPECT_GE(stats.restarts, 1U);
  const auto reasons = recorder.reasons();
  const auto states = recorder.states();
  bool missed = false;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i] == ConnectorState::Down)
      missed = missed || reasons[i].find("no pong within 400 ms") != std::string::npos;
  }
  EXPECT_TRUE(missed);
}

TEST(ConnectorProcess, RestartsAConnectorThatNeverGetsReady) {
  auto options = fixture_options("silent.mjs");
  options.timings.ready_timeout = std::chrono::milliseconds{300};
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(options);
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Down, 2));
  EXPECT_EQ(recorder.count(ConnectorState::Up), 0U);
  EXPECT_NE(recorder.reasons().at(1).find("no ready within 300 ms"), std::string::npos)
      << recorder.reasons().at(1);
  EXPECT_GE(process.stats().restarts, 1U);
}

TEST(ConnectorProcess, RestartsAfterAFramingError) {
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("garbage.mjs"));
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Down, 1));
  EXPECT_GE(process.stats().protocol_errors, 1U);
  EXPECT_NE(recorder.reasons().at(2).find("protocol error: frame length 4294967295"), std::string::npos)
      << recorder.reasons().at(2);
}

TEST(ConnectorProcess, AFatalConnectorIsNotRestartedUntilItsConfigurationChanges) {
  LogCapture log;
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("fatal.mjs"));
  recorder.attach(process);
  process.start();
  auto up = process.wait_until_up(kGuard);
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().message, "cannot use endpoint opc.tcp://127.0.0.1:1");
  EXPECT_EQ(process.state(), ConnectorState::Failed);
  EXPECT_EQ(process.stats().starts, 1U);
  EXPECT_NE(log.text().find("cannot use endpoint opc.tcp://127.0.0.1:1"), std::string::npos);

  process.set_config({{"endpoint", "opc.tcp://127.0.0.1:2"}});
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Failed, 2));
  EXPECT_EQ(process.stats().starts, 2U);
  EXPECT_EQ(process.stats().last_error, "cannot use endpoint opc.tcp://127.0.0.1:2");
}

TEST(ConnectorProcess, AMissingExecutableFails) {
  auto options = fixture_options("echo.mjs");
  options.argv = {"/nonexistent/node", "x.mjs"};
  ConnectorProcess process(options);
  process.start();
  auto up = process.wait_until_up(kGuard);
  ASSERT_FALSE(up);
  EXPECT_NE(up.error().message.find("/nonexistent/node"), std::string::npos);
  EXPECT_EQ(process.state(), ConnectorState::Failed);
}

TEST(ConnectorProcess, StopEscalatesToSigkillForAConnectorThatIgnoresEverything) {
  auto options = fixture_options("hang.mjs");
  options.timings.pong_timeout = std::chrono::hours(1);
  options.timings.stdin_close_grace = std::chrono::milliseconds(200);
  options.timings.term_grace = std::chrono::milliseconds(200);
  LogCapture log;
  ConnectorProcess process(options);
  process.start();
  ASSERT_TRUE(process.wait_until_up(kGuard));
  const int pid = process.pid();
  process.stop();
  EXPECT_EQ(process.state(), ConnectorState::Stopped);
  EXPECT_NE(::kill(pid, 0), 0);  // reaped: no such process
  const auto text = log.text();
  EXPECT_NE(text.find("SIGTERM"), std::string::npos) << text;
  EXPECT_NE(text.find("SIGKILL"), std::string::npos) << text;
}

TEST(ConnectorProcess, RestartKillsAndStartsAgainWithTheNewConfiguration) {
  Recorder recorder;  // outlives the process, whose last state change it records
  ConnectorProcess process(fixture_options("echo.mjs"));
  recorder.attach(process);
  process.start();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Up, 1));
  process.set_config({{"endpoint", "second"}});
  process.restart();
  ASSERT_TRUE(recorder.wait_count(ConnectorState::Up, 2));
  std::vector<std::string> endpoints;
  for (const auto& message : recorder.messages()) {
    if (message["type"] == "hello_seen") endpoints.push_back(message["hello"]["config"]["endpoint"]);
  }
  ASSERT_EQ(endpoints.size(), 2U);
  EXPECT_EQ(endpoints[1], "second");
}

TEST(ConnectorProcess, StopAndDestructionAreIdempotent) {
  ConnectorProcess process(fixture_options("echo.mjs"));
  process.stop();
  process.start();
  process.start();
  ASSERT_TRUE(process.wait_until_up(kGuard));
  process.stop();
  process.stop();
  EXPECT_EQ(process.stats().starts, 1U);
}

}  // namespace
}  // namespace strata::connector
