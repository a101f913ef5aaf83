#include "config/diagnostics.hpp"

#include <fmt/format.h>

namespace strata::config {

std::string Diagnostic::to_string() const {
  if (line <= 0) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}:{}: error: {}", file, line, column, message);
}

std::string to_string(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics) {
    text += diagnostic.to_string();
    text += '\n';
  }
  return text;
}

}  // namespace strata::config
