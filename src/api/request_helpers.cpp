#include "api/request_helpers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>

#include "api/json_views.hpp"
#include "api/router.hpp"

namespace strata::api {

using nlohmann::json;

HttpResponse json_ok(const json& body, int status) {
  return HttpResponse{status, "application/json", to_text(body), {}};
}

Result<json> parse_json_object(const std::string& body, std::initializer_list<std::string_view> allowed,
                               std::initializer_list<std::string_view> required) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return make_error(fmt::format("body must be a JSON object with fields: {}", fmt::join(allowed, ", ")));
  }
  for (const auto& [key, value] : parsed.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return make_error(fmt::format("unknown field '{}' (expected: {})", key, fmt::join(allowed, ", ")));
    }
  }
  for (const auto name : required) {
    if (!parsed.contains(std::string(name))) return make_error(fmt::format("missing field '{}'", name));
  }
  return parsed;
}

Result<std::optional<std::string>> string_field(const json& object, const std::string& name) {
  if (!object.contains(name)) return std::optional<std::string>{};
  if (!object[name].is_string()) return make_error(fmt::format("field '{}' must be a string", name));
  return std::optional<std::string>{object[name].get<std::string>()};
}

std::optional<HttpResponse> reject_unknown_parameters(const std::map<std::string, std::string>& query,
                                                      std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return json_error(
          400, fmt::format("unknown query parameter '{}' (expected: {})", key, fmt::join(allowed, ", ")));
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

Result<std::optional<std::int64_t>> integer_param(const std::map<std::string, std::string>& query,
                                                  const std::string& name) {
  const auto it = query.find(name);
  if (it == query.end()) return std::optional<std::int64_t>{};
  const auto value = parse_integer(it->second);
  if (!value || *value < 0) {
    return make_error(
        fmt::format("query parameter '{}' must be a non-negative integer, got '{}'", name, it->second));
  }
  return std::optional<std::int64_t>{*value};
}

Result<std::optional<Timestamp>> time_param(const std::map<std::string, std::string>& query,
                                            const std::string& name) {
  const auto it = query.find(name);
  if (it == query.end()) return std::optional<Timestamp>{};
  const auto value = parse_time(it->second);
  if (!value) {
    return make_error(
        fmt::format("query parameter '{}' must be microseconds since the epoch or an ISO 8601 UTC time like "
                    "2026-01-01T06:00:00Z, got '{}'",
                    name, it->second));
  }
  return std::optional<Timestamp>{*value};
}

}  // namespace strata::api
