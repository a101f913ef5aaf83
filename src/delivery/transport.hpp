#pragma once
// Connection plumbing shared by the webhook and SMTP clients: TLS contexts that verify servers,
// name resolution with a deadline, and how transport failures read in the delivery log.
//
// Rules:
//  - TLS always verifies the server: chain against the system store (plus an optional extra CA
//    file), and the certificate must match the configured host (DNS name or IP address). TLS 1.2 is
//    the minimum.
//  - A rejected certificate is a permanent failure: retrying cannot fix a wrong CA or host name, and
//    an operator must look at it. Other handshake errors are transient (a server restarting).
//  - Connection errors and timeouts are transient.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "notify/backoff.hpp"
#include "delivery/net.hpp"

namespace strata::notify {

[[nodiscard]] Result<std::shared_ptr<net::ssl::context>> make_tls_client_context(
    const std::string& extra_ca_file);

// Sets SNI (for names) and the identity the server certificate must carry.
[[nodiscard]] Result<void> expect_server_identity(TlsStream& stream, const std::string& host);

[[nodiscard]] net::awaitable<tcp::resolver::results_type> resolve_within(const std::string& host,
                                                                         unsigned short port,
                                                                         std::chrono::microseconds limit,
                                                                         error_code& ec);

// "<step>: <reason>", with "timed out after <n> ms" for deadline expiry. Transient.
[[nodiscard]] AttemptResult transport_failure(std::string_view step, const error_code& ec, Timestamp timeout);

// A failed handshake: permanent when the certificate was rejected, transient otherwise.
[[nodiscard]] AttemptResult tls_handshake_failure(TlsStream& stream, const error_code& ec, Timestamp timeout);

[[nodiscard]] inline std::chrono::microseconds as_duration(Timestamp micros) {
  return std::chrono::microseconds(micros);
}

}  // namespace strata::notify
