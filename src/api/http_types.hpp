#pragma once
// Transport-neutral request and response, so routes can be tested without sockets.
#include <string>
#include <vector>

namespace strata::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path with query, still percent-encoded
  std::string body;
  std::string content_type;
  std::string cookie;          // Cookie header
  std::string authorization;   // Authorization header ("Bearer <token>")
  std::string csrf_token;      // X-CSRF-Token header
  std::string remote_address;  // client IP, for login rate limiting
  bool secure = false;         // arrived over TLS
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

[[nodiscard]] HttpResponse json_error(int status, const std::string& message);

}  // namespace strata::api
