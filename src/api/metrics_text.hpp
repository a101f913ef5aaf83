#pragma once
// The Prometheus text exposition format (version 0.0.4) of the node's counters, for GET /metrics:
// engine throughput, store writer, and every driver connection's health.
#include <optional>
#include <string>
#include <vector>

#include "engine/driver.hpp"
#include "engine/engine.hpp"
#include "store/store_writer.hpp"

namespace strata::api {

struct NodeMetrics {
  engine::EngineStats engine{};
  std::optional<store::WriterStats> store{};
  std::vector<engine::ConnectionMetrics> connections{};
};

[[nodiscard]] std::string render_prometheus(const NodeMetrics& metrics);

}  // namespace strata::api
