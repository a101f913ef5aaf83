#pragma once
// Webhook URLs: only what a POST needs, and only http/https (no credentials in the URL: use a
// configured header such as Authorization, so secrets never appear in logs that print the URL).
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace strata::notify {

struct HttpUrl {
  bool tls = false;
  std::string host;                               // without brackets for IPv6 literals
  unsigned short port = 0;                        // explicit or the scheme's default
  std::string target;                             // path and query, at least "/"
  [[nodiscard]] std::string host_header() const;  // "host[:port]" as sent in Host
  friend bool operator==(const HttpUrl&, const HttpUrl&) = default;
};

// Fails on other schemes, user info, empty host, bad port, whitespace or control characters. A
// fragment is dropped (it is never sent).
[[nodiscard]] Result<HttpUrl> parse_http_url(std::string_view url);

}  // namespace strata::notify
