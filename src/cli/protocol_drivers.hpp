#pragma once
// The protocol drivers a plant needs (Modbus TCP, OPC UA, Sparkplug B host), decided from its connections
// and tag sources: checked by `strata check`, started by `strata serve`.
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "drivers/sparkplug/edge_node.hpp"
#include "engine/driver.hpp"
#include "engine/engine.hpp"
#include "model/plant.hpp"

namespace strata::cli {

// Every protocol problem of the plant, one per line, without touching the network or the environment.
[[nodiscard]] Result<void> validate_protocol_drivers(const model::Plant& plant);

// The drivers to add to the engine; the first failure comes back as an error. program_path (argv[0]) locates
// the connector processes.
[[nodiscard]] Result<std::vector<std::unique_ptr<engine::Driver>>> create_protocol_drivers(
    const model::Plant& plant, const Clock& clock, const std::string& program_path);

// One Sparkplug B edge node per connection with an edge_node_id, each added to the engine as a listener
// (call before Engine::start, then start() each). Store-and-forward folders default to
// <data_dir>/sparkplug-<connection>.
[[nodiscard]] Result<std::vector<std::unique_ptr<sparkplug::EdgeNode>>> create_edge_nodes(
    const model::Plant& plant, engine::Engine& engine, const Clock& clock, const std::string& data_dir);

}  // namespace strata::cli
