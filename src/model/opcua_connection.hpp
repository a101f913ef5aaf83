#pragma once
// An OPC UA server that "opcua:<connection>/<node id>" tag sources refer to; plain data from the plant's
// `connections: opcua:` section, used by the OPC UA driver (which reaches the server through the Node.js
// connector, docs/connector-protocol.md).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/connections.hpp"

namespace strata::model {

enum class OpcUaSecurityMode : std::uint8_t { None, Sign, SignAndEncrypt };
enum class OpcUaSecurityPolicy : std::uint8_t { None, Basic256Sha256 };

[[nodiscard]] inline std::string_view to_string(OpcUaSecurityMode mode) {
  switch (mode) {
    case OpcUaSecurityMode::None:
      return "None";
    case OpcUaSecurityMode::Sign:
      return "Sign";
    case OpcUaSecurityMode::SignAndEncrypt:
      return "SignAndEncrypt";
  }
  return "None";
}

[[nodiscard]] inline std::string_view to_string(OpcUaSecurityPolicy policy) {
  return policy == OpcUaSecurityPolicy::Basic256Sha256 ? "Basic256Sha256" : "None";
}

// PackTags command handshake for one unit: write Command.CntrlCmd = command number, then (when given)
// Command.CmdChangeRequest = true. Node ids in the tag source syntax without "opcua:<connection>/".
using OpcUaCommandWrite = CommandWrite;

struct OpcUaConnection {
  std::string name;      // what tag sources refer to: opcua:<name>/ns=2;s=...
  std::string endpoint;  // opc.tcp://host:port[/path]
  OpcUaSecurityMode security_mode = OpcUaSecurityMode::None;
  OpcUaSecurityPolicy security_policy = OpcUaSecurityPolicy::None;
  // Strata's own application instance certificate and key (PEM), required when security is used; the
  // certificate's subjectAltName URI must be the connector's applicationUri.
  std::string certificate_file{};
  std::string private_key_file{};
  std::string trusted_certificates_dir{};  // server certificates accepted (PEM/DER files)
  std::string user{};                      // empty: anonymous
  std::string password_env{};  // environment variable holding the user's password (never the YAML)
  std::chrono::milliseconds session_timeout{60'000};
  std::chrono::milliseconds sampling_interval{250};  // default for tags without their own
  std::chrono::milliseconds publishing_interval{500};
  ReconnectPolicy reconnect{};
  // Units commanded through this connection; a unit may instead have tags named Command.CntrlCmd (and
  // Command.CmdChangeRequest) with opcua sources, which the driver uses when no entry here names it.
  std::vector<OpcUaCommandWrite> commands{};
};

}  // namespace strata::model
