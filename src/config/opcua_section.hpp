#pragma once
// The `connections: opcua:` list:
//   connections:
//     opcua:
//       - name: filler-plc                      # tag sources: "opcua:filler-plc/ns=2;s=Filler.Speed"
//         endpoint: opc.tcp://10.20.0.12:4840
//         security_mode: SignAndEncrypt         # None (default), Sign, SignAndEncrypt
//         security_policy: Basic256Sha256       # default when security_mode is not None
//         certificate_file: pki/strata.pem      # Strata's certificate and key, needed with security
//         private_key_file: pki/strata.key
//         trusted_certificates_dir: pki/trusted # server certificates accepted
//         user: operator                        # default anonymous
//         password_env: STRATA_OPCUA_PASSWORD   # the password comes from the environment
//         session_timeout: 60s
//         sampling_interval: 250ms              # defaults for tags without their own
//         publishing_interval: 500ms
//         reconnect: { initial: 500ms, max: 30s }
//         commands:
//           - { unit: s/a/L1/filler, control_command: "ns=2;s=Filler.Cmd.CntrlCmd",
//               change_request: "ns=2;s=Filler.Cmd.CmdChangeRequest" }
// Node-id syntax and tag types are checked by the driver (`strata check` and start-up).
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

// Runs after the sites so command entries can be checked against the units.
void read_opcua_connections(DiagnosticSink& sink, const Entry& entry, model::Plant& plant);

}  // namespace strata::config::detail
