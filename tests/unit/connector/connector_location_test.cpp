#include "drivers/connector/connector_location.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

namespace strata::connector {
namespace {
namespace fs = std::filesystem;

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (previous_) {
      ::setenv(name_, previous_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> previous_;
};

// <tmp>/connectors/demo/connector.mjs, with or without package.json and node_modules.
fs::path make_connectors(const std::string& tag, bool package, bool modules) {
  const auto root = fs::temp_directory_path() / ("strata-location-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "connectors" / "demo");
  std::ofstream(root / "connectors" / "demo" / "connector.mjs") << "// test\n";
  if (package) std::ofstream(root / "connectors" / "demo" / "package.json") << "{}\n";
  if (modules) fs::create_directories(root / "connectors" / "demo" / "node_modules");
  return root;
}

TEST(ConnectorLocation, EnvironmentOverrideWins) {
  const auto root = make_connectors("env", true, true);
  ScopedEnv dir("STRATA_CONNECTORS_DIR", (root / "connectors").string());
  auto found = find_connector("demo", "");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->script, fs::weakly_canonical(root / "connectors/demo/connector.mjs").string());
  EXPECT_FALSE(found->node.empty());
  EXPECT_EQ(found->argv().size(), 2U);
  fs::remove_all(root);
}

TEST(ConnectorLocation, FoundRelativeToABuildTreeExecutable) {
  const auto root = make_connectors("exe", false, false);
  fs::create_directories(root / "build/src/cli");
  auto found = find_connector("demo", (root / "build/src/cli/strata").string());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->script, fs::weakly_canonical(root / "connectors/demo/connector.mjs").string());
  fs::remove_all(root);
}

TEST(ConnectorLocation, FoundInAnInstallPrefix) {
  const auto root = fs::temp_directory_path() / ("strata-location-prefix-" + std::to_string(::getpid()));
  fs::create_directories(root / "share/strata/connectors/demo");
  fs::create_directories(root / "bin");
  std::ofstream(root / "share/strata/connectors/demo/connector.mjs") << "// test\n";
  auto found = find_connector("demo", (root / "bin/strata").string());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_NE(found->script.find("share/strata/connectors/demo"), std::string::npos);
  fs::remove_all(root);
}

TEST(ConnectorLocation, MissingNodeModulesSaysToRunSetup) {
  const auto root = make_connectors("setup", true, false);
  ScopedEnv dir("STRATA_CONNECTORS_DIR", (root / "connectors").string());
  auto found = find_connector("demo", "");
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("run scripts/setup"), std::string::npos) << found.error().message;
  fs::remove_all(root);
}

TEST(ConnectorLocation, UnknownConnectorNamesThePlacesTried) {
  ScopedEnv dir("STRATA_CONNECTORS_DIR", "/nonexistent/connectors");
  auto found = find_connector("nothing", "");
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message.find("/nonexistent/connectors/nothing/connector.mjs"), std::string::npos)
      << found.error().message;
  EXPECT_NE(found.error().message.find("STRATA_CONNECTORS_DIR"), std::string::npos);
}

TEST(ConnectorLocation, NodeOverrideMustBeExecutable) {
  {
    ScopedEnv node("STRATA_NODE", "/nonexistent/node");
    auto found = find_node();
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("STRATA_NODE"), std::string::npos);
  }
  auto found = find_node();
  ASSERT_TRUE(found) << found.error().message;
}

TEST(ConnectorLocation, FindsExecutablesOnPath) {
  EXPECT_FALSE(find_executable("sh").empty());
  EXPECT_EQ(find_executable("/bin/sh"), "/bin/sh");
  EXPECT_TRUE(find_executable("no-such-program-strata").empty());
  EXPECT_TRUE(find_executable("").empty());
}

}  // namespace
}  // namespace strata::connector
