#include "api/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/url.hpp"

namespace strata::api {
namespace {

std::string content_type_for(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

HttpResponse serve_static(const std::string& root, const std::string& target) {
  if (root.empty()) return json_error(404, "no cockpit is configured (start with --cockpit-dir)");
  const auto parsed = parse_target(target);
  if (!parsed) return json_error(400, "malformed percent-encoding in the request target");
  std::filesystem::path relative;
  for (const auto& segment : parsed->segments) {
    if (segment == ".." || segment == "." || segment.find('\0') != std::string::npos ||
        segment.find('/') != std::string::npos || segment.find('\\') != std::string::npos) {
      return json_error(400, "path segments '.', '..' and encoded separators are not allowed");
    }
    relative /= segment;
  }
  const std::filesystem::path base(root);
  auto path = base / relative;
  std::error_code ec;
  const bool looks_like_file =
      !parsed->segments.empty() && parsed->segments.back().find('.') != std::string::npos;
  if (parsed->segments.empty() || std::filesystem::is_directory(path, ec) ||
      (!looks_like_file && !std::filesystem::exists(path, ec))) {
    path = base / "index.html";  // client-side routes resolve to the app
  }
  const auto content = read_file(path);
  if (!content) {
    if (path.filename() == "index.html") {
      return json_error(404, "the cockpit is not built in '" + root + "' (run the README's set-up command)");
    }
    return json_error(404, "not found");
  }
  HttpResponse response{200, content_type_for(path), *content, {}};
  // Vite fingerprints asset names, so they may be cached for good; index.html must not be.
  const bool fingerprinted = relative.string().rfind("assets/", 0) == 0;
  response.headers.emplace_back("Cache-Control",
                                fingerprinted ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace strata::api
