#include "drivers/connector/connector_location.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace strata::connector {
namespace fs = std::filesystem;

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up only
  return value == nullptr ? std::string{} : std::string{value};
}

bool executable(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string find_executable(std::string_view name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string_view::npos) {
    return executable(fs::path(name)) ? std::string(name) : std::string{};
  }
  const auto path = environment("PATH");
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    const auto candidate = fs::path(dir.empty() ? "." : std::string(dir)) / std::string(name);
    if (executable(candidate)) return candidate.string();
  }
  return {};
}

Result<std::string> find_node() {
  if (const auto configured = environment("STRATA_NODE"); !configured.empty()) {
    auto found = find_executable(configured);
    if (found.empty()) return make_error(fmt::format("STRATA_NODE='{}' is not an executable", configured));
    return found;
  }
  auto found = find_executable("node");
  if (found.empty()) {
    return make_error("Node.js ('node') not found on PATH; install Node.js 20+ or set STRATA_NODE");
  }
  return found;
}

Result<ConnectorLocation> find_connector(std::string_view name, std::string_view program_path) {
  std::vector<fs::path> roots;
  if (const auto configured = environment("STRATA_CONNECTORS_DIR"); !configured.empty()) {
    roots.emplace_back(configured);
  }
  std::error_code ec;
  if (!program_path.empty()) {
    const auto exe = fs::weakly_canonical(fs::path(program_path), ec).parent_path();
    roots.push_back(exe / "../../../connectors");
    roots.push_back(exe / "../share/strata/connectors");
  }
  roots.push_back(fs::current_path(ec) / "connectors");

  std::string tried;
  for (const auto& root : roots) {
    const auto dir = fs::weakly_canonical(root / std::string(name), ec);
    const auto script = dir / "connector.mjs";
    if (!fs::is_regular_file(script, ec)) {
      tried += fmt::format("{}{}", tried.empty() ? "" : ", ", script.string());
      continue;
    }
    if (fs::exists(dir / "package.json", ec) && !fs::is_directory(dir / "node_modules", ec)) {
      return make_error(
          fmt::format("the {} connector at {} has no node_modules: run scripts/setup (or npm "
                      "install in that folder)",
                      name, dir.string()));
    }
    auto node = find_node();
    if (!node) return node.error();
    return ConnectorLocation{*node, script.string()};
  }
  return make_error(
      fmt::format("the {} connector was not found (tried {}); set STRATA_CONNECTORS_DIR", name, tried));
}

}  // namespace strata::connector
