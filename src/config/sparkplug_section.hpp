#pragma once
// The `connections: sparkplug:` list (see the README's plant format):
//   connections:
//     sparkplug:
//       - name: uns                      # tag sources: "sparkplug:uns/<edge node>/<device>/<metric>"
//         host: broker.local
//         port: 1883                     # default 1883
//         client_id: strata-bottling     # default "strata-<name>"
//         username: strata               # default anonymous
//         password_env: STRATA_MQTT_PW   # environment variable holding the password
//         keepalive: 30s
//         reconnect: { initial: 500ms, max: 30s }
//         group_id: bottling             # Sparkplug group (both roles)
//         edge_node_id: strata           # set: Strata publishes its units as devices of this edge node
//         publish_scopes: [bottling/packaging]   # equipment paths; default all units
//         store_forward_dir: /var/lib/strata/spool   # default next to the database
//         store_forward_max_bytes: 1GiB
//         host_id: strata-host           # set: publish STATE as this primary host application
//         reorder_timeout: 2s
// Runs after the sites so publish scopes can be checked against the equipment.
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

void read_sparkplug_connections(DiagnosticSink& sink, const Entry& entry, model::Plant& plant);

}  // namespace strata::config::detail
