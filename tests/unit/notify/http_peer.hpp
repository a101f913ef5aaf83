#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the webhook tests, plain or TLS, on its
// own thread. It answers requests from a script, one entry per request, the last entry repeating,
// and keeps what it received.
// <utility> before Boost: see notify/net.hpp (Boost 1.74's awaitable.hpp needs it).
// clang-format off
#include <utility>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
// clang-format on

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_certificate.hpp"

namespace strata::notify::test {

struct ScriptedResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  bool hang = false;  // read the request, never answer (the client must time out)
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class HttpPeer {
 public:
  explicit HttpPeer(std::vector<ScriptedResponse> script, const TestCertificate* certificate = nullptr)
      : script_(std::move(script)), acceptor_(io_), tls_(boost::asio::ssl::context::tls_server) {
    using boost::asio::ip::tcp;
    if (certificate != nullptr) {
      tls_enabled_ = true;
      tls_.use_certificate_chain_file(certificate->certificate_file());
      tls_.use_private_key_file(certificate->key_file(), boost::asio::ssl::context::pem);
    }
    const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~HttpPeer() {
    stopping_ = true;
    boost::system::error_code ignored;
    boost::asio::ip::tcp::socket wake(io_);  // unblocks accept()
    wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
    thread_.join();
  }
  HttpPeer(const HttpPeer&) = delete;
  HttpPeer& operator=(const HttpPeer&) = delete;

  [[nodiscard]] std::string url(const std::string& path) const {
    return std::string(tls_enabled_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  [[nodiscard]] std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      if (tls_enabled_) {
        boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, tls_);
        stream.handshake(boost::asio::ssl::stream_base::server, ec);
        if (ec) continue;  // e.g. the client rejected our certificate
        handle(stream);
        stream.shutdown(ec);
      } else {
        handle(socket);
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      }
    }
  }

  template <typename Stream>
  void handle(Stream& stream) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    boost::system::error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    ReceivedRequest received{.method = std::string(request.method_string()),
                             .target = std::string(request.target()),
                             .headers = {},
                             .body = request.body()};
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      received.headers[name] = std::string(field.value());
    }
    ScriptedResponse answer;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(received));
      answer = script_[std::min(requests_.size(), script_.size()) - 1];
    }
    if (answer.hang) {
      char sink[256];
      while (!ec) stream.read_some(boost::asio::buffer(sink), ec);  // until the client gives up
      return;
    }
    http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
    response.set(http::field::connection, "close");
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    if (answer.status != 204) response.body() = "{}";
    response.prepare_payload();
    http::write(stream, response, ec);
  }

  std::vector<ScriptedResponse> script_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ssl::context tls_;
  bool tls_enabled_ = false;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_ = false;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

// A port on 127.0.0.1 that refuses connections: bound, never listening, held for the test's life so
// no other process can take it.
class RefusingPort {
 public:
  RefusingPort() : socket_(io_) {
    socket_.open(boost::asio::ip::tcp::v4());
    socket_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
  }
  [[nodiscard]] unsigned short port() const { return socket_.local_endpoint().port(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

}  // namespace strata::notify::test
