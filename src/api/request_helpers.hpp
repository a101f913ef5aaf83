#pragma once
// Reading request bodies and query parameters strictly: anything unexpected is a 4xx that says
// what was expected, never silently ignored.
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"

namespace strata::api {

[[nodiscard]] HttpResponse json_ok(const nlohmann::json& body, int status = 200);

// A JSON object with only `allowed` fields and all `required` ones; the error is a 400 message.
[[nodiscard]] Result<nlohmann::json> parse_json_object(const std::string& body,
                                                       std::initializer_list<std::string_view> allowed,
                                                       std::initializer_list<std::string_view> required);
// A string field of an object already checked by parse_json_object; error when not a string.
[[nodiscard]] Result<std::optional<std::string>> string_field(const nlohmann::json& object,
                                                              const std::string& name);

[[nodiscard]] std::optional<HttpResponse> reject_unknown_parameters(
    const std::map<std::string, std::string>& query, std::initializer_list<std::string_view> allowed);
[[nodiscard]] Result<std::optional<std::int64_t>> integer_param(
    const std::map<std::string, std::string>& query, const std::string& name);
[[nodiscard]] Result<std::optional<Timestamp>> time_param(const std::map<std::string, std::string>& query,
                                                          const std::string& name);
[[nodiscard]] std::optional<std::int64_t> parse_integer(const std::string& text);

}  // namespace strata::api
