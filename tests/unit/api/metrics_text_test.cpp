#include "api/metrics_text.hpp"

#include <gtest/gtest.h>

namespace strata::api {
namespace {

TEST(MetricsText, EveryConnectionIsOneLabelledSampleOfEachFamily) {
  NodeMetrics metrics;
  metrics.engine.updates_applied = 12;
  metrics.store =
      store::WriterStats{.history_values_written = 10, .events_written = 2, .transactions = 3, .errors = 0};
  metrics.connections.push_back(engine::ConnectionMetrics{.driver = "modbus",
                                                          .connection = "filler-plc",
                                                          .connected = true,
                                                          .reads = 40,
                                                          .values = 7,
                                                          .errors = 1,
                                                          .reconnects = 0,
                                                          .writes = 2,
                                                          .write_errors = 0,
                                                          .latency_seconds_sum = 0.25,
                                                          .latency_count = 40,
                                                          .last_error = "timeout"});
  metrics.connections.push_back(
      engine::ConnectionMetrics{.driver = "opcua", .connection = "odd \"name\"\\\n"});
  const auto text = render_prometheus(metrics);
  EXPECT_NE(text.find("strata_engine_updates_applied_total 12\n"), std::string::npos);
  EXPECT_NE(text.find("strata_store_history_values_written_total 10\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE strata_connection_up gauge\n"
                      "strata_connection_up{driver=\"modbus\",connection=\"filler-plc\"} 1\n"
                      "strata_connection_up{driver=\"opcua\",connection=\"odd \\\"name\\\"\\\\\\n\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("strata_connection_reads_total{driver=\"modbus\",connection=\"filler-plc\"} 40\n"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          "strata_connection_read_latency_seconds_sum{driver=\"modbus\",connection=\"filler-plc\"} 0.25\n"),
      std::string::npos);
  EXPECT_NE(
      text.find(
          "strata_connection_read_latency_seconds_count{driver=\"modbus\",connection=\"filler-plc\"} 40\n"),
      std::string::npos);
  // Every family is announced once, before its samples.
  EXPECT_EQ(text.find("# TYPE strata_connection_errors_total counter"),
            text.rfind("# TYPE strata_connection_errors_total counter"));
}

TEST(MetricsText, WithoutConnectionsOrStoreOnlyTheEngineFamiliesAppear) {
  const auto text = render_prometheus(NodeMetrics{});
  EXPECT_NE(text.find("strata_engine_ticks_total 0\n"), std::string::npos);
  EXPECT_EQ(text.find("strata_connection"), std::string::npos);
  EXPECT_EQ(text.find("strata_store"), std::string::npos);
}

}  // namespace
}  // namespace strata::api
