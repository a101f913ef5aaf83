#include "delivery/transport.hpp"

#include <fmt/core.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace strata::notify {

Result<std::shared_ptr<net::ssl::context>> make_tls_client_context(const std::string& extra_ca_file) {
  try {
    auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
    context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                         net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                         net::ssl::context::no_tlsv1_1);
    error_code ec;
    if (context->set_default_verify_paths(ec); ec) {
      return make_error(fmt::format("TLS: cannot load the system CA store: {}", ec.message()));
    }
    if (!extra_ca_file.empty()) {
      if (context->load_verify_file(extra_ca_file, ec); ec) {
        return make_error(fmt::format("TLS: cannot load CA file '{}': {}", extra_ca_file, ec.message()));
      }
    }
    if (context->set_verify_mode(net::ssl::verify_peer, ec); ec) {
      return make_error(fmt::format("TLS: {}", ec.message()));
    }
    return context;
  } catch (const boost::system::system_error& error) {  // the context constructor reports by throwing
    return make_error(fmt::format("TLS: {}", error.what()));
  }
}

Result<void> expect_server_identity(TlsStream& stream, const std::string& host) {
  SSL* ssl = stream.native_handle();
  error_code not_an_address;
  net::ip::make_address(host, not_an_address);
  if (!not_an_address) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return make_error(fmt::format("TLS: cannot expect IP address {}", host));
    }
    return {};
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1 || SSL_set1_host(ssl, host.c_str()) != 1) {
    return make_error(fmt::format("TLS: cannot expect host name {}", host));
  }
  return {};
}

net::awaitable<tcp::resolver::results_type> resolve_within(const std::string& host, unsigned short port,
                                                           std::chrono::microseconds limit, error_code& ec) {
  const auto executor = co_await net::this_coro::executor;
  // The resolver has no deadline of its own: a timer cancels it. Shared because the timer's handler
  // may already be queued when resolution finishes and this frame moves on.
  struct Resolution {
    tcp::resolver resolver;
    bool timed_out = false;
  };
  auto resolution =
      std::make_shared<Resolution>(Resolution{.resolver = tcp::resolver(executor), .timed_out = false});
  net::steady_timer deadline(executor);
  deadline.expires_after(limit);
  deadline.async_wait([resolution](const error_code& wait_error) {
    if (wait_error) return;  // cancelled: resolution finished first
    resolution->timed_out = true;
    resolution->resolver.cancel();
  });
  const std::string service = std::to_string(port);
  auto results = co_await resolution->resolver.async_resolve(host, service, capture(ec));
  deadline.cancel();
  if (ec == net::error::operation_aborted && resolution->timed_out) ec = beast::error::timeout;
  co_return results;
}

AttemptResult transport_failure(std::string_view step, const error_code& ec, Timestamp timeout) {
  std::string reason = ec == beast::error::timeout
                           ? fmt::format("timed out after {} ms", timeout / kMicrosPerMilli)
                           : ec.message();
  return AttemptResult{.verdict = AttemptVerdict::TransientFailure,
                       .detail = fmt::format("{}: {}", step, reason),
                       .retry_after = {}};
}

AttemptResult tls_handshake_failure(TlsStream& stream, const error_code& ec, Timestamp timeout) {
  const long verify_result = SSL_get_verify_result(stream.native_handle());
  if (verify_result != X509_V_OK) {
    return AttemptResult{
        .verdict = AttemptVerdict::PermanentFailure,
        .detail = fmt::format("TLS: certificate rejected: {}", X509_verify_cert_error_string(verify_result)),
        .retry_after = {}};
  }
  return transport_failure("TLS handshake", ec, timeout);
}

}  // namespace strata::notify
