#include "drivers/sparkplug/host_driver.hpp"

#include <fmt/format.h>

#include "common/problems.hpp"
#include "drivers/sparkplug/host_source.hpp"
#include "drivers/sparkplug/topic.hpp"

namespace strata::sparkplug {

namespace {

bool is_sparkplug_source(const model::Tag& tag) {
  return model::source_scheme(tag.definition.source) == kHostScheme;
}

}  // namespace

struct SparkplugHostDriver::Binding {
  std::vector<std::size_t> connections;             // indices into plant.sparkplug_connections
  std::vector<std::vector<MetricBinding>> metrics;  // per entry of `connections`
  std::map<std::string, CommandRoute, std::less<>> routes;
};

bool SparkplugHostDriver::used_by(const model::Plant& plant) {
  for (const auto& connection : plant.sparkplug_connections) {
    if (!connection.host_id.empty()) return true;
  }
  for (const auto& tag : plant.tags) {
    if (is_sparkplug_source(tag)) return true;
  }
  return false;
}

Result<SparkplugHostDriver::Binding> SparkplugHostDriver::bind(const model::Plant& plant) {
  Problems problems;
  Binding binding;
  std::map<std::string, std::size_t, std::less<>> slot_of;  // connection name -> index into binding
  const auto slot = [&](std::size_t index) {
    const auto& name = plant.sparkplug_connections[index].name;
    const auto [it, inserted] = slot_of.emplace(name, binding.connections.size());
    if (inserted) {
      binding.connections.push_back(index);
      binding.metrics.emplace_back();
    }
    return it->second;
  };
  const auto find_connection = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < plant.sparkplug_connections.size(); ++i) {
      if (plant.sparkplug_connections[i].name == name) return i;
    }
    return std::nullopt;
  };

  for (std::size_t i = 0; i < plant.sparkplug_connections.size(); ++i) {
    const auto& connection = plant.sparkplug_connections[i];
    if (!connection.host_id.empty()) {
      if (auto ok = validate_id(connection.host_id, "host id"); !ok) {
        problems.add(fmt::format("sparkplug connection {}: {}", connection.name, ok.error().message));
      }
      (void)slot(i);
    }
  }
  for (std::size_t index = 0; index < plant.tags.size(); ++index) {
    const auto& tag = plant.tags[index];
    if (!is_sparkplug_source(tag)) continue;
    auto address = parse_source(tag.definition.source);
    if (!address) {
      problems.add(fmt::format("tag {}: {}", tag.id, address.error().message));
      continue;
    }
    const auto connection = find_connection(address->connection);
    if (!connection) {
      problems.add(fmt::format("tag {}: no sparkplug connection named '{}'", tag.id, address->connection));
      continue;
    }
    const auto& settings = plant.sparkplug_connections[*connection];
    if (auto ok = validate_id(settings.group_id, "group id"); !ok) {
      problems.add(fmt::format("sparkplug connection {}: {}", settings.name, ok.error().message));
      continue;
    }
    binding.metrics[slot(*connection)].push_back(MetricBinding{.tag = static_cast<model::TagIndex>(index),
                                                               .type = tag.definition.type,
                                                               .edge_node_id = address->edge_node_id,
                                                               .device_id = address->device_id,
                                                               .metric = address->metric});
  }

  for (const auto* unit : plant.units()) {
    std::optional<SourceAddress> control;
    std::optional<SourceAddress> change;
    for (const auto index : unit->tags) {
      const auto& tag = plant.tags[index];
      if (!is_sparkplug_source(tag)) continue;
      auto address = parse_source(tag.definition.source);
      if (!address) continue;  // reported above
      if (tag.definition.name == kControlCommandTag) control = *address;
      if (tag.definition.name == kChangeRequestTag) change = *address;
    }
    if (!control) continue;
    const auto connection = find_connection(control->connection);
    if (!connection) continue;  // reported above
    if (change &&
        (change->connection != control->connection || change->edge_node_id != control->edge_node_id ||
         change->device_id != control->device_id)) {
      problems.add(fmt::format("unit {}: {} and {} must be metrics of the same sparkplug device", unit->id,
                               kControlCommandTag, kChangeRequestTag));
      continue;
    }
    binding.routes[unit->id] = CommandRoute{
        .connection = slot(*connection),
        .edge_node_id = control->edge_node_id,
        .device_id = control->device_id,
        .control_metric = control->metric,
        .change_request_metric = change ? std::optional<std::string>(change->metric) : std::nullopt,
    };
  }
  if (!problems.empty()) return make_error(problems.text());
  return binding;
}

Result<void> SparkplugHostDriver::validate(const model::Plant& plant) {
  auto binding = bind(plant);
  if (!binding) return binding.error();
  return {};
}

Result<std::unique_ptr<SparkplugHostDriver>> SparkplugHostDriver::create(const model::Plant& plant,
                                                                         const Clock& clock) {
  auto binding = bind(plant);
  if (!binding) return binding.error();
  std::unique_ptr<SparkplugHostDriver> driver(new SparkplugHostDriver());
  for (std::size_t i = 0; i < binding->connections.size(); ++i) {
    driver->connections_.push_back(std::make_unique<HostConnection>(
        plant.sparkplug_connections[binding->connections[i]], std::move(binding->metrics[i]), clock));
  }
  driver->routes_ = std::move(binding->routes);
  return driver;
}

SparkplugHostDriver::~SparkplugHostDriver() {
  stop();
}

void SparkplugHostDriver::start(engine::UpdateSink& sink) {
  for (auto& connection : connections_) connection->start(sink);
}

void SparkplugHostDriver::stop() {
  for (auto& connection : connections_) connection->stop();
}

Result<void> SparkplugHostDriver::send_command(const model::WorkUnit& unit, states::PackMLCommand command) {
  const auto route = routes_.find(unit.id);
  if (route == routes_.end()) {
    return make_error(
        fmt::format("unit {} has no sparkplug command target (give it a {} tag with a sparkplug source)",
                    unit.id, kControlCommandTag));
  }
  std::vector<CommandWrite> writes;
  writes.push_back(CommandWrite{.metric = route->second.control_metric,
                                .value = static_cast<std::int64_t>(command),
                                .datatype = DataType::Int32});
  if (route->second.change_request_metric) {
    writes.push_back(CommandWrite{
        .metric = *route->second.change_request_metric, .value = true, .datatype = DataType::Boolean});
  }
  return connections_[route->second.connection]->send_command(route->second.edge_node_id,
                                                              route->second.device_id, writes);
}

std::vector<engine::ConnectionMetrics> SparkplugHostDriver::metrics() const {
  std::vector<engine::ConnectionMetrics> all;
  all.reserve(connections_.size());
  for (const auto& connection : connections_) all.push_back(connection->metrics());
  return all;
}

}  // namespace strata::sparkplug
