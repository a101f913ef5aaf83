#pragma once
// The parts of an opc.tcp:// endpoint URL a staged OPC UA server listens on.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace strata::staging {

struct OpcUaEndpoint {
  std::string host;           // "127.0.0.1", "::1" (no brackets)
  int port = 4840;            // OPC UA's registered port when the URL has none
  std::string resource_path;  // "/strata", or empty
};

// "opc.tcp://127.0.0.1:4841/strata" -> {127.0.0.1, 4841, /strata}; "opc.tcp://[::1]:4840".
[[nodiscard]] Result<OpcUaEndpoint> parse_endpoint(std::string_view url);

// Whether host:port can be listened on right now (bound and released at once), so a port in use is
// reported when staging starts rather than by a connector restarting in a loop.
[[nodiscard]] Result<void> check_port_free(const std::string& host, int port);

}  // namespace strata::staging
