#pragma once
// An MQTT broker carrying the Sparkplug B 3.0 unified namespace; plain data from the plant's
// `connections: sparkplug:` section. One connection can play both Sparkplug roles:
// - host application: tags with source "sparkplug:<connection>/<edge node>/<device>/<metric>" are read
//   from other edge nodes of `group_id` (seq checked, STALE on NDEATH/DDEATH, Rebirth on a gap);
// - edge node: when `edge_node_id` is set, Strata publishes its own units as devices of that edge node
//   (NBIRTH/DBIRTH/NDATA/DDATA, NDEATH as the MQTT Will), with store-and-forward while the broker is away.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/connections.hpp"

namespace strata::model {

struct SparkplugConnection {
  std::string name;  // what tag sources refer to: sparkplug:<name>/...
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id;     // MQTT client id; empty: "strata-<name>"
  std::string username;      // empty: anonymous
  std::string password_env;  // environment variable holding the password
  std::chrono::seconds keepalive{30};
  ReconnectPolicy reconnect;
  std::string group_id;  // Sparkplug group of this edge node and of the edge nodes read

  // Edge-node role (empty edge_node_id: not published).
  std::string edge_node_id;
  std::vector<std::string> publish_scopes;  // equipment paths whose units become devices; empty: all units
  std::string store_forward_dir;            // empty: next to the plant's database
  std::uint64_t store_forward_max_bytes = 1ULL << 30;

  // Host-application role.
  std::string host_id;                              // set: publish STATE as this primary host
  std::chrono::milliseconds reorder_timeout{2000};  // wait for a seq gap to fill before asking for Rebirth
};

// Sparkplug ids (group, edge node, device, host) are topic levels: non-empty UTF-8 without the MQTT
// separators and wildcards '/', '+', '#' (and no control characters, which brokers handle unevenly).
[[nodiscard]] inline bool is_valid_sparkplug_id(std::string_view id) {
  if (id.empty()) return false;
  for (const char c : id) {
    if (c == '/' || c == '+' || c == '#' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// The Sparkplug device id of a published work unit: its hierarchy path below the site with ':' for '/'
// ("bottling/packaging/L1/filler" -> "packaging:L1:filler"). Local ids are [A-Za-z0-9_-]+, so the
// mapping is one-to-one within a site; units of different sites may collide, which the config rejects.
[[nodiscard]] inline std::string sparkplug_device_id(std::string_view unit_id) {
  const auto slash = unit_id.find('/');
  std::string device(slash == std::string_view::npos ? unit_id : unit_id.substr(slash + 1));
  for (auto& c : device) {
    if (c == '/') c = ':';
  }
  return device;
}

}  // namespace strata::model
