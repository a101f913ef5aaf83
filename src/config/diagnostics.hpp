#pragma once
// Problems found while reading a configuration file, positioned like compiler errors so editors
// and CI logs can jump to them.
#include <string>
#include <vector>

namespace strata::config {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file (e.g. it cannot be read)
  int column = 0;  // 1-based; 0 together with line 0
  std::string message;

  // "file:line:column: error: message" ("file: error: message" for whole-file problems).
  [[nodiscard]] std::string to_string() const;
};

// One diagnostic per line, in order.
[[nodiscard]] std::string to_string(const std::vector<Diagnostic>& diagnostics);

}  // namespace strata::config
