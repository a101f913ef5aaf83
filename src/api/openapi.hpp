#pragma once
#include <nlohmann/json.hpp>

namespace strata::api {

// The OpenAPI 3.0 description of the REST API and the WebSocket stream, served at /api/openapi.json.
[[nodiscard]] const nlohmann::json& openapi_document();

}  // namespace strata::api
