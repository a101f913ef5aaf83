#include "config/sparkplug_section.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <map>

#include "common/duration.hpp"
#include "config/connection_fields.hpp"
#include "config/parameters.hpp"
#include "model/equipment_path.hpp"

namespace strata::config::detail {
namespace {

// MQTT keepalive is a 16-bit count of seconds; 0 would switch the broker's liveness check (and so the
// NDEATH Will on a silent loss) off, which an edge node must not do.
std::optional<std::chrono::seconds> keepalive_seconds(std::string_view text) {
  const auto micros = parse_duration(text);
  if (!micros || *micros < kMicrosPerSecond || *micros % kMicrosPerSecond != 0 ||
      *micros / kMicrosPerSecond > 65535) {
    return std::nullopt;
  }
  return std::chrono::seconds(*micros / kMicrosPerSecond);
}

// "1073741824", "512MiB", "1GiB", "64KiB": a size in bytes, at least 1 MiB so a few records always fit.
std::optional<std::uint64_t> byte_size(std::string_view text) {
  std::uint64_t unit = 1;
  for (const auto& [suffix, factor] : {std::pair<std::string_view, std::uint64_t>{"KiB", 1ULL << 10},
                                       {"MiB", 1ULL << 20},
                                       {"GiB", 1ULL << 30},
                                       {"TiB", 1ULL << 40}}) {
    if (text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix) {
      unit = factor;
      text.remove_suffix(suffix.size());
      break;
    }
  }
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::uint64_t number = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  const auto bytes = number * unit;
  if (number > (1ULL << 50) || bytes < (1ULL << 20)) return std::nullopt;
  return bytes;
}

std::optional<std::string> sparkplug_id(std::string_view text) {
  if (!model::is_valid_sparkplug_id(text)) return std::nullopt;
  return std::string(text);
}

constexpr std::string_view kSparkplugIdRule = "a Sparkplug id (not empty, without '/', '+', '#')";

// Whether `path` names a site, area, work center or unit of the plant.
bool is_equipment_path(const model::Plant& plant, std::string_view path) {
  for (const auto& site : plant.sites) {
    if (site.id == path) return true;
    for (const auto& area : site.areas) {
      if (area.id == path) return true;
      for (const auto& center : area.work_centers) {
        if (center.id == path) return true;
        for (const auto& unit : center.units) {
          if (unit.id == path) return true;
        }
      }
    }
  }
  return false;
}

void read_scopes(const MapReader& map, const model::Plant& plant, model::SparkplugConnection& connection) {
  const auto* entry = map.find("publish_scopes");
  if (entry == nullptr) return;
  const auto items = sequence_items(map.sink(), *entry, map.what());
  DuplicateTracker seen;
  for (const auto& item : items) {
    const auto at = position_of(item, entry->value_position);
    if (!item.IsScalar()) {
      map.sink().error(at, fmt::format("publish scopes of {} must be equipment paths, got {}", map.what(),
                                       describe_kind(item)));
      continue;
    }
    const auto& path = item.Scalar();
    if (!is_equipment_path(plant, path)) {
      map.sink().error(at, fmt::format("unknown equipment '{}' in 'publish_scopes' of {} (expected a site, "
                                       "area, work center or unit path like site/area/line)",
                                       path, map.what()));
      continue;
    }
    if (!seen.add(map.sink(), path, at, "publish scope", map.what())) continue;
    connection.publish_scopes.push_back(path);
  }
}

void check_device_ids(const MapReader& map, const model::Plant& plant,
                      const model::SparkplugConnection& connection) {
  std::map<std::string, std::string> unit_of_device;
  for (const auto* unit : plant.units()) {
    bool published = connection.publish_scopes.empty();
    for (const auto& scope : connection.publish_scopes)
      published = published || model::scope_covers(scope, unit->id);
    if (!published) continue;
    const auto device = model::sparkplug_device_id(unit->id);
    const auto [it, inserted] = unit_of_device.emplace(device, unit->id);
    if (!inserted) {
      const auto* at = map.find("publish_scopes");
      if (at == nullptr) at = map.find("edge_node_id");
      map.sink().error(
          at->value_position,
          fmt::format("units '{}' and '{}' would both be Sparkplug device '{}' of {} (device ids "
                      "are unit paths below the site); restrict 'publish_scopes' to one site",
                      it->second, unit->id, device, map.what()));
      return;
    }
  }
}

std::optional<model::SparkplugConnection> read_sparkplug(DiagnosticSink& sink, const YAML::Node& node,
                                                         Position fallback, std::size_t index,
                                                         const model::Plant& plant) {
  MapReader map(sink, node, fallback, fmt::format("sparkplug connection #{}", index + 1));
  if (!map.ok()) return std::nullopt;
  map.check_keys({"name", "host", "port", "client_id", "username", "password_env", "keepalive", "reconnect",
                  "group_id", "edge_node_id", "publish_scopes", "store_forward_dir",
                  "store_forward_max_bytes", "host_id", "reorder_timeout"},
                 {"name", "host", "group_id"});
  const auto name = map.id("name");
  if (name) map.rename(fmt::format("sparkplug connection '{}'", *name));
  const auto host = map.scalar("host");
  const auto group = read_value(map, "group_id", kSparkplugIdRule, sparkplug_id);
  if (!name || !host || !group) return std::nullopt;
  model::SparkplugConnection connection;
  connection.name = *name;
  connection.host = *host;
  connection.group_id = *group;
  connection.client_id = "strata-" + *name;
  if (const auto port = read_value(map, "port", "a whole number 1..65535",
                                   [](std::string_view text) { return whole_number_in(text, 1, 65535); })) {
    connection.port = *port;
  }
  // MQTT 3.1.1 client ids are UTF-8 strings of up to 23 bytes guaranteed, more on most brokers; only
  // emptiness (which asks the broker to invent one, breaking session identity) is refused here.
  if (const auto client = read_value(map, "client_id", "a non-empty MQTT client id",
                                     [](std::string_view text) -> std::optional<std::string> {
                                       if (text.empty()) return std::nullopt;
                                       return std::string(text);
                                     })) {
    connection.client_id = *client;
  }
  if (const auto user = map.scalar("username")) connection.username = *user;
  if (const auto variable = read_value(
          map, "password_env", "an environment variable name like STRATA_MQTT_PW", environment_name)) {
    connection.password_env = *variable;
  }
  if (const auto keepalive =
          read_value(map, "keepalive", "a whole number of seconds 1..65535, like 30s", keepalive_seconds)) {
    connection.keepalive = *keepalive;
  }
  read_reconnect(map, connection.reconnect);
  if (const auto edge = read_value(map, "edge_node_id", kSparkplugIdRule, sparkplug_id)) {
    connection.edge_node_id = *edge;
  }
  if (const auto host_id = read_value(map, "host_id", kSparkplugIdRule, sparkplug_id)) {
    connection.host_id = *host_id;
  }
  if (const auto timeout =
          read_value(map, "reorder_timeout", "a duration of at least 1ms, like 2s", milliseconds)) {
    connection.reorder_timeout = *timeout;
  }
  // The edge-node settings mean nothing without an edge node: say so rather than ignore them.
  for (const auto key : {"publish_scopes", "store_forward_dir", "store_forward_max_bytes"}) {
    if (const auto* entry = map.find(key); entry != nullptr && connection.edge_node_id.empty()) {
      sink.error(entry->key_position, fmt::format("'{}' in {} needs 'edge_node_id' (it configures the edge "
                                                  "node Strata publishes as)",
                                                  key, map.what()));
    }
  }
  if (const auto dir = map.scalar("store_forward_dir")) connection.store_forward_dir = *dir;
  if (const auto bytes =
          read_value(map, "store_forward_max_bytes",
                     "a size of at least 1MiB, in bytes or with KiB/MiB/GiB/TiB, like 512MiB", byte_size)) {
    connection.store_forward_max_bytes = *bytes;
  }
  read_scopes(map, plant, connection);
  if (!connection.edge_node_id.empty()) check_device_ids(map, plant, connection);
  return connection;
}

}  // namespace

void read_sparkplug_connections(DiagnosticSink& sink, const Entry& entry, model::Plant& plant) {
  DuplicateTracker names;
  DuplicateTracker edge_nodes;
  const auto items = sequence_items(sink, entry, "the connections section");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto connection = read_sparkplug(sink, items[i], entry.value_position, i, plant);
    const auto at = position_of(items[i], entry.value_position);
    if (!connection ||
        !names.add(sink, connection->name, at, "sparkplug connection", "the connections section")) {
      continue;
    }
    // Two connections publishing as the same edge node would kill each other's sessions (same Will, seq
    // and bdSeq) when they share a broker; one edge node per group, per plant.
    if (!connection->edge_node_id.empty() &&
        !edge_nodes.add(sink, connection->group_id + "/" + connection->edge_node_id, at,
                        "sparkplug edge node", "the connections section")) {
      continue;
    }
    plant.sparkplug_connections.push_back(std::move(*connection));
  }
}

}  // namespace strata::config::detail
