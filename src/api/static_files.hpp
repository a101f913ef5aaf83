#pragma once
// Serves the built cockpit (a single-page app) from a folder, refusing anything outside it.
#include <string>

#include "api/http_types.hpp"

namespace strata::api {

[[nodiscard]] HttpResponse serve_static(const std::string& root, const std::string& target);

}  // namespace strata::api
