#include "drivers/sparkplug/host_source.hpp"

#include <fmt/format.h>

#include "drivers/sparkplug/topic.hpp"

namespace strata::sparkplug {

Result<SourceAddress> parse_source(std::string_view source) {
  const auto fail = [&](std::string_view why) {
    return make_error(fmt::format(
        "sparkplug source '{}': {} (expected sparkplug:<connection>/<edge node>/<device or empty>/<metric>)",
        source, why));
  };
  const auto colon = source.find(':');
  if (colon == std::string_view::npos || source.substr(0, colon) != kHostScheme)
    return fail("not a sparkplug source");
  std::string_view rest = source.substr(colon + 1);
  std::string_view fields[3];
  for (auto& field : fields) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return fail("too few fields");
    field = rest.substr(0, slash);
    rest = rest.substr(slash + 1);
  }
  SourceAddress address{.connection = std::string(fields[0]),
                        .edge_node_id = std::string(fields[1]),
                        .device_id = std::string(fields[2]),
                        .metric = std::string(rest)};
  if (address.connection.empty()) return fail("empty connection name");
  if (auto ok = validate_id(address.edge_node_id, "edge node id"); !ok) return fail(ok.error().message);
  if (!address.device_id.empty()) {
    if (auto ok = validate_id(address.device_id, "device id"); !ok) return fail(ok.error().message);
  }
  if (address.metric.empty()) return fail("empty metric name");
  return address;
}

std::string to_source(const SourceAddress& address) {
  return fmt::format("{}:{}/{}/{}/{}", kHostScheme, address.connection, address.edge_node_id,
                     address.device_id, address.metric);
}

}  // namespace strata::sparkplug
