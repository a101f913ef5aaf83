#pragma once
// Minimal URL handling for the API: split path and query, percent-decode segments.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::api {

struct ParsedTarget {
  std::vector<std::string> segments;  // decoded path segments, empty ones dropped
  std::map<std::string, std::string> query;
};

// nullopt when the target has a malformed percent escape.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text);
[[nodiscard]] std::optional<ParsedTarget> parse_target(std::string_view target);

}  // namespace strata::api
