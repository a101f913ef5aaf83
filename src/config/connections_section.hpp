#pragma once
// The optional `connections:` section: how to reach the PLCs that tag sources name.
//   connections:
//     modbus:
//       - name: filler-plc               # tag sources: "modbus:filler-plc/hr100:float32"
//         host: 10.20.0.11
//         port: 502                      # default 502
//         unit_id: 1                     # Modbus unit identifier, default 1
//         poll_interval: 500ms
//         response_timeout: 1s
//         max_register_gap: 8            # unused registers a read may span to merge requests
//         commands:                      # PackTags command handshake per unit
//           - { unit: bottling/packaging/L1/filler, control_command: "hr200:int32", change_request: coil12 }
// Driver-level checks (addresses, tag types, command targets) run in `strata check` and at start-up.
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

// Runs after the sites so command entries can be checked against the units.
void read_connections(DiagnosticSink& sink, const Entry& entry, model::Plant& plant);

}  // namespace strata::config::detail
