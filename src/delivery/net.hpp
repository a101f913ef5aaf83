#pragma once
// The Asio / Beast / OpenSSL surface of the delivery code, in one place. Internal: only the delivery
// internals (transport, webhook_client, smtp_client, notifier.cpp) include it; notifier.hpp does
// not, so the engine and the integrator never compile Beast.
//
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, so <utility> must
// come first; keep every Boost include of this module behind this header.
//
// Coroutine rules for this module, because g++ 12 miscompiles some coroutine shapes (seen here: an
// `if (!co_await write(...)) co_return std::nullopt;` in a coroutine with std::string parameters
// corrupted those parameters before the first suspension and crashed the SMTP dialogue):
//  - co_await only as a whole statement or as an initialiser / assignment (`auto x = co_await f();`),
//    never inside a condition, &&, ||, ?:, or co_return;
//  - coroutine parameters are string_views, references to named objects that outlive the call, or
//    trivially copyable values; never temporaries of class type.
// clang-format off
#include <utility>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
// clang-format on

namespace strata::notify {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Turns an async operation's error into a value (Boost 1.74 has no as_tuple).
inline auto capture(error_code& ec) {
  return net::redirect_error(net::use_awaitable, ec);
}

}  // namespace strata::notify
