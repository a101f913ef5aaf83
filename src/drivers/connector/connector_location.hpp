#pragma once
// Where a connector's script and the Node.js binary are, for a source checkout and an installation:
//
//   $STRATA_CONNECTORS_DIR/<name>/connector.mjs           (override)
//   <exe dir>/../../../connectors/<name>/connector.mjs    (<repo>/build/src/cli/strata)
//   <exe dir>/../share/strata/connectors/<name>/...       (<prefix>/bin/strata)
//   <cwd>/connectors/<name>/connector.mjs
//
// The Node binary is $STRATA_NODE, else `node` on PATH.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace strata::connector {

struct ConnectorLocation {
  std::string node;    // absolute path of the node binary
  std::string script;  // absolute path of connectors/<name>/connector.mjs
  // {node, script}: ConnectorOptions::argv.
  [[nodiscard]] std::vector<std::string> argv() const { return {node, script}; }
};

// `program_path` is argv[0] of the running executable (or empty: only the override and cwd are tried).
// Errors name every place tried, and say "run scripts/setup" when the script exists but its
// node_modules does not.
[[nodiscard]] Result<ConnectorLocation> find_connector(std::string_view name, std::string_view program_path);

// The node binary alone ($STRATA_NODE or PATH).
[[nodiscard]] Result<std::string> find_node();

// An executable `name` on PATH ("" when absent); a name with a '/' is returned if it is executable.
[[nodiscard]] std::string find_executable(std::string_view name);

}  // namespace strata::connector
