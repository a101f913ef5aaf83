#include "notify/http_url.hpp"

#include <fmt/core.h>

#include <charconv>

namespace strata::notify {
namespace {

constexpr unsigned short kHttpPort = 80;
constexpr unsigned short kHttpsPort = 443;

bool has_space_or_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return true;
  }
  return false;
}

}  // namespace

std::string HttpUrl::host_header() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  const std::string name = ipv6 ? fmt::format("[{}]", host) : host;
  const bool default_port = port == (tls ? kHttpsPort : kHttpPort);
  return default_port ? name : fmt::format("{}:{}", name, port);
}

Result<HttpUrl> parse_http_url(std::string_view url) {
  HttpUrl parsed;
  if (has_space_or_control(url))
    return make_error(fmt::format("URL '{}' contains spaces or control characters", url));
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    parsed.tls = true;
    rest = url.substr(8);
  } else {
    return make_error(fmt::format("URL '{}' must start with http:// or https://", url));
  }
  if (const auto fragment = rest.find('#'); fragment != std::string_view::npos)
    rest = rest.substr(0, fragment);
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view target =
      path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) {
    return make_error(
        fmt::format("URL '{}' must not contain user info; configure an Authorization header", url));
  }

  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return make_error(fmt::format("URL '{}' has an unclosed IPv6 literal", url));
    parsed.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return make_error(fmt::format("URL '{}' has junk after the host", url));
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) return make_error(fmt::format("URL '{}' has no host", url));

  parsed.port = parsed.tls ? kHttpsPort : kHttpPort;
  if (!port_text.empty()) {
    unsigned int port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return make_error(fmt::format("URL '{}' has an invalid port", url));
    }
    parsed.port = static_cast<unsigned short>(port);
  }
  // Built in one go: insert(0, "/") on the copy trips a g++ 12 -Wrestrict false positive at -O2.
  parsed.target = target.empty() || target.front() == '?' ? "/" + std::string(target) : std::string(target);
  return parsed;
}

}  // namespace strata::notify
