#include "api/metrics_text.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <functional>

namespace strata::api {
namespace {

// Label values may hold any text; the format reserves backslash, double quote and newline.
std::string escape_label(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void sample(std::string& out, const char* name, std::uint64_t value) {
  fmt::format_to(std::back_inserter(out), "{} {}\n", name, value);
}

template <typename Value>
void per_connection(std::string& out, const std::vector<engine::ConnectionMetrics>& connections,
                    const char* name, const char* type, const char* help,
                    const std::function<Value(const engine::ConnectionMetrics&)>& value_of) {
  if (connections.empty()) return;
  family(out, name, type, help);
  for (const auto& connection : connections) {
    fmt::format_to(std::back_inserter(out), "{}{{driver=\"{}\",connection=\"{}\"}} {}\n", name,
                   escape_label(connection.driver), escape_label(connection.connection),
                   value_of(connection));
  }
}

}  // namespace

std::string render_prometheus(const NodeMetrics& metrics) {
  std::string out;
  family(out, "strata_engine_updates_applied_total", "counter", "Tag updates applied by the engine.");
  sample(out, "strata_engine_updates_applied_total", metrics.engine.updates_applied);
  family(out, "strata_engine_updates_rejected_total", "counter", "Tag updates for unknown tags.");
  sample(out, "strata_engine_updates_rejected_total", metrics.engine.updates_rejected);
  family(out, "strata_engine_ticks_total", "counter", "Engine ticks (history, journal and listeners fed).");
  sample(out, "strata_engine_ticks_total", metrics.engine.ticks);
  if (metrics.store) {
    family(out, "strata_store_history_values_written_total", "counter", "Tag values committed to history.");
    sample(out, "strata_store_history_values_written_total", metrics.store->history_values_written);
    family(out, "strata_store_events_written_total", "counter", "Journal events committed.");
    sample(out, "strata_store_events_written_total", metrics.store->events_written);
    family(out, "strata_store_transactions_total", "counter", "Store transactions committed.");
    sample(out, "strata_store_transactions_total", metrics.store->transactions);
    family(out, "strata_store_errors_total", "counter", "Failed store transactions.");
    sample(out, "strata_store_errors_total", metrics.store->errors);
  }
  using Metrics = engine::ConnectionMetrics;
  const auto& connections = metrics.connections;
  per_connection<int>(out, connections, "strata_connection_up", "gauge",
                      "1 while the connection to the PLC, broker or connector is established.",
                      [](const Metrics& m) { return m.connected ? 1 : 0; });
  const auto counter = [&](const char* name, const char* help, std::uint64_t Metrics::*field) {
    per_connection<std::uint64_t>(out, connections, name, "counter", help,
                                  [field](const Metrics& m) { return m.*field; });
  };
  counter("strata_connection_reads_total", "Read requests answered, or notifications and messages received.",
          &Metrics::reads);
  counter("strata_connection_values_total", "Tag values handed to the engine, or published by an edge node.",
          &Metrics::values);
  counter("strata_connection_errors_total",
          "Failed requests, refused connection attempts, undecodable input.", &Metrics::errors);
  counter("strata_connection_reconnects_total", "Connections re-established after a loss.",
          &Metrics::reconnects);
  counter("strata_connection_writes_total", "Writes (commands, parameters) completed.", &Metrics::writes);
  counter("strata_connection_write_errors_total", "Writes refused or lost.", &Metrics::write_errors);
  if (!connections.empty()) {
    family(out, "strata_connection_read_latency_seconds", "summary", "Round trip of answered read requests.");
    for (const auto& connection : connections) {
      const auto labels = fmt::format("driver=\"{}\",connection=\"{}\"", escape_label(connection.driver),
                                      escape_label(connection.connection));
      fmt::format_to(std::back_inserter(out), "strata_connection_read_latency_seconds_sum{{{}}} {}\n", labels,
                     connection.latency_seconds_sum);
      fmt::format_to(std::back_inserter(out), "strata_connection_read_latency_seconds_count{{{}}} {}\n",
                     labels, connection.latency_count);
    }
  }
  return out;
}

}  // namespace strata::api
