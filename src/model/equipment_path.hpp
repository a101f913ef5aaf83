#pragma once
// Equipment ids are ISA-95 paths ("site/area/line/unit"); scopes (of grants, of planned downtime)
// are such paths too, covering everything below them.
#include <string_view>

namespace strata::model {

// Whether `scope` covers `path`: '' covers all; "a/b" covers "a/b" and "a/b/c", not "a/bc".
// Trailing slashes are ignored, so a lone "/" is the whole enterprise like ''.
[[nodiscard]] bool scope_covers(std::string_view scope, std::string_view path);

}  // namespace strata::model
