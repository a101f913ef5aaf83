#include "api/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace strata::api {
namespace {

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("strata-static-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<html>app</html>";
    std::ofstream(root_ / "assets" / "app-1234.js") << "console.log(1)";
    std::ofstream(root_.parent_path() / "secret.txt") << "secret";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(StaticFiles, ServesFilesAndTheAppForClientRoutes) {
  const auto index = serve_static(root_.string(), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>app</html>");
  const auto script = serve_static(root_.string(), "/assets/app-1234.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(serve_static(root_.string(), "/lines/L1").body, "<html>app</html>");
  EXPECT_EQ(serve_static(root_.string(), "/missing.js").status, 404);
}

TEST_F(StaticFiles, RefusesPathTraversal) {
  EXPECT_EQ(serve_static(root_.string(), "/../secret.txt").status, 400);
  EXPECT_EQ(serve_static(root_.string(), "/%2e%2e/secret.txt").status, 400);
  EXPECT_EQ(serve_static(root_.string(), "/assets%2F..%2F..%2Fsecret.txt").status, 400);
}

}  // namespace
}  // namespace strata::api
