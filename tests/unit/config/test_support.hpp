#pragma once
// Helpers for the config tests: fixtures, single-spot mutations and positioned error checks.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "config/plant_loader.hpp"

namespace strata::config::testing {

inline std::string fixture_path(std::string_view name) {
  return std::string(STRATA_SOURCE_DIR) + "/tests/unit/config/fixtures/" + std::string(name);
}

inline std::string read_fixture(std::string_view name) {
  std::ifstream in(fixture_path(name));
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Replaces the single occurrence of `from` (fails the test when it is absent or repeated).
inline std::string mutate(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    ADD_FAILURE() << "'" << from << "' must occur exactly once in the fixture";
    return text;
  }
  text.replace(at, from.size(), to);
  return text;
}

// Text of `yaml` from 1-based line:column to the end of that line.
inline std::string text_at(const std::string& yaml, int line, int column) {
  std::istringstream in(yaml);
  std::string current;
  for (int i = 0; i < line && std::getline(in, current); ++i) {
  }
  if (column < 1 || static_cast<std::size_t>(column - 1) > current.size()) return {};
  return current.substr(static_cast<std::size_t>(column - 1));
}

// Succeeds when a diagnostic sits exactly at line:column with a message containing `message`, and
// the source text there starts with `text_there` (so the expected position is self-evidently right).
inline ::testing::AssertionResult has_error(const LoadResult& result, const std::string& yaml, int line,
                                            int column, std::string_view message,
                                            std::string_view text_there) {
  const auto listing = to_string(result.diagnostics);
  if (result.plant) return ::testing::AssertionFailure() << "a plant was produced despite diagnostics";
  const auto source = text_at(yaml, line, column);
  if (source.rfind(text_there, 0) != 0) {
    return ::testing::AssertionFailure()
           << "the text at " << line << ":" << column << " is '" << source << "', not '" << text_there << "'";
  }
  for (const auto& diagnostic : result.diagnostics) {
    if (diagnostic.line == line && diagnostic.column == column &&
        diagnostic.message.find(message) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "no diagnostic at " << line << ":" << column << " containing '" << message << "'; got:\n"
         << listing;
}

inline LoadResult load(const std::string& yaml) {
  return load_plant_string(yaml, "plant.yaml");
}

}  // namespace strata::config::testing
