#include "staging/opcua_endpoint.hpp"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace strata::staging {

Result<OpcUaEndpoint> parse_endpoint(std::string_view url) {
  constexpr std::string_view kPrefix = "opc.tcp://";
  const auto bad = [&](std::string_view why) {
    return make_error(
        fmt::format("endpoint '{}' {} (expected opc.tcp://<host>[:<port>][/<path>])", url, why));
  };
  if (!url.starts_with(kPrefix)) return bad("is not an opc.tcp:// URL");
  auto rest = url.substr(kPrefix.size());
  OpcUaEndpoint endpoint;
  const auto slash = rest.find('/');
  if (slash != std::string_view::npos) {
    endpoint.resource_path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  std::string_view port_text;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed '['");
    endpoint.host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad("has text after the IPv6 address");
      port_text = rest.substr(close + 2);
    }
  } else {
    const auto colon = rest.rfind(':');
    endpoint.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (endpoint.host.empty()) return bad("has no host");
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc{} || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return bad("has no port in 1..65535");
    }
    endpoint.port = port;
  }
  return endpoint;
}

Result<void> check_port_free(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port);
  if (const int status = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); status != 0) {
    return make_error(fmt::format("cannot resolve {}: {}", host, gai_strerror(status)));
  }
  int error = 0;
  for (const auto* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    const int fd =
        ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    if (fd == -1) {
      error = errno;
      continue;
    }
    const int on = 1;
    // As the server will: connections of an earlier run in TIME_WAIT do not make the port busy.
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    const bool free = ::bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0 && ::listen(fd, 1) == 0;
    if (!free) error = errno;
    ::close(fd);
    if (free) {
      freeaddrinfo(found);
      return {};
    }
  }
  freeaddrinfo(found);
  return make_error(
      fmt::format("cannot listen on {}:{}: {}{}", host, port, std::strerror(error),
                  error == EADDRINUSE ? " (is another simulator or a server using the port?)" : ""));
}

}  // namespace strata::staging
