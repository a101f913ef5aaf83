#include "delivery/webhook_client.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "delivery/transport.hpp"
#include "notify/webhook_message.hpp"

namespace strata::notify {
namespace {

// Coroutines here follow the rules in net.hpp (g++ 12).

constexpr const char* kUserAgent = "strata-notify/0.1";
// A polite TLS close must not hold the lane up when the server does not answer it.
constexpr Timestamp kLongestTlsShutdown = kMicrosPerSecond;

http::request<http::string_body> build_request(const WebhookTarget& target, const std::string& body,
                                               const std::string& notification_id) {
  http::request<http::string_body> request{http::verb::post, target.url.target, 11};
  request.set(http::field::host, target.url.host_header());
  request.set(http::field::user_agent, kUserAgent);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  request.set("Idempotency-Key", notification_id);
  for (const auto& [name, value] : target.config.headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  return request;
}

template <typename Stream>
net::awaitable<AttemptResult> exchange(Stream& stream, const http::request<http::string_body>& request,
                                       Timestamp timeout) {
  error_code ec;
  co_await http::async_write(stream, request, capture(ec));
  if (ec) co_return transport_failure("sending the request", ec, timeout);
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  co_await http::async_read_header(stream, buffer, parser, capture(ec));
  if (ec) co_return transport_failure("reading the response", ec, timeout);
  const auto& response = parser.get();
  std::optional<Timestamp> retry_after;
  if (const auto field = response.find(http::field::retry_after); field != response.end()) {
    retry_after = parse_retry_after(std::string_view(field->value().data(), field->value().size()));
  }
  co_return classify_http_status(response.result_int(), retry_after);
}

}  // namespace

Result<WebhookTarget> make_webhook_target(const WebhookConfig& config) {
  if (auto valid = validate_webhook(config); !valid) return valid.error();
  auto url = parse_http_url(config.url);
  WebhookTarget target{.config = config, .url = std::move(url.value()), .tls = nullptr};
  if (target.url.tls) {
    auto context = make_tls_client_context(config.extra_ca_file);
    if (!context) return make_error(fmt::format("webhook '{}': {}", config.name, context.error().message));
    target.tls = std::move(context.value());
  }
  return target;
}

net::awaitable<AttemptResult> post_webhook(const WebhookTarget& target, const std::string& body,
                                           const std::string& notification_id) {
  const auto executor = co_await net::this_coro::executor;
  const Timestamp timeout = target.config.timeout;
  const auto request = build_request(target, body, notification_id);

  error_code ec;
  const auto endpoints = co_await resolve_within(target.url.host, target.url.port, as_duration(timeout), ec);
  if (ec) co_return transport_failure(fmt::format("resolving {}", target.url.host), ec, timeout);

  if (!target.url.tls) {
    beast::tcp_stream stream(executor);
    stream.expires_after(as_duration(timeout));
    co_await stream.async_connect(endpoints, capture(ec));
    if (ec) co_return transport_failure("connect", ec, timeout);
    const AttemptResult result = co_await exchange(stream, request, timeout);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return result;
  }

  TlsStream stream(executor, *target.tls);
  if (auto identity = expect_server_identity(stream, target.url.host); !identity) {
    co_return AttemptResult{
        .verdict = AttemptVerdict::PermanentFailure, .detail = identity.error().message, .retry_after = {}};
  }
  stream.next_layer().expires_after(as_duration(timeout));
  co_await stream.next_layer().async_connect(endpoints, capture(ec));
  if (ec) co_return transport_failure("connect", ec, timeout);
  co_await stream.async_handshake(net::ssl::stream_base::client, capture(ec));
  if (ec) co_return tls_handshake_failure(stream, ec, timeout);
  const AttemptResult result = co_await exchange(stream, request, timeout);
  stream.next_layer().expires_after(as_duration(std::min(timeout, kLongestTlsShutdown)));
  co_await stream.async_shutdown(capture(ec));  // outcome already known; errors here change nothing
  co_return result;
}

}  // namespace strata::notify
