#pragma once
// The tag source syntax of the Sparkplug host application:
//   sparkplug:<connection>/<edge node id>/<device id>/<metric name>   a device metric
//   sparkplug:<connection>/<edge node id>//<metric name>              an edge-node metric (empty device)
// The first three '/' separate the fields, so metric names may contain '/' ("Node Control/Rebirth",
// "Inputs/Temperature"); connection, edge node and device ids may not.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace strata::sparkplug {

inline constexpr std::string_view kHostScheme = "sparkplug";

struct SourceAddress {
  std::string connection{};
  std::string edge_node_id{};
  std::string device_id{};  // empty: a metric of the edge node itself
  std::string metric{};

  friend bool operator==(const SourceAddress&, const SourceAddress&) = default;
};

// Parses a full tag source ("sparkplug:..."); errors say what is wrong with it.
[[nodiscard]] Result<SourceAddress> parse_source(std::string_view source);
[[nodiscard]] std::string to_source(const SourceAddress& address);

}  // namespace strata::sparkplug
