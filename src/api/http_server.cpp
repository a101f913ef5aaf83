#include "api/http_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>

#include "api/static_files.hpp"

namespace strata::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(60);
constexpr auto kReauthorizeEvery = std::chrono::seconds(5);

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Stream is PlainStream or TlsStream: the session logic is the same over both.
template <typename Stream>
class WebSocketSession final : public StreamClient,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
  using std::enable_shared_from_this<WebSocketSession<Stream>>::shared_from_this;

 public:
  WebSocketSession(Stream stream, engine::Engine& engine, StreamHub& hub, StreamVisibility visibility,
                   std::function<bool()> still_authorized)
      : ws_(std::move(stream)),
        engine_(engine),
        hub_(hub),
        visibility_(std::move(visibility)),
        still_authorized_(std::move(still_authorized)) {}

  void run(http::request<http::string_body> request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  void offer(const std::shared_ptr<const StreamDelta>& delta) override {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      pending_.merge(*delta, visibility_);
      if (writing_ || !ready_) return;
      writing_ = true;
    }
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    auto self = shared_from_this();
    // Subscribe on the engine thread so the snapshot and the first change set cannot overlap or gap.
    auto snapshot = engine_.query(
        [self, this](const engine::PlantState& state) { return hub_.subscribe(self, state, visibility_); });
    if (snapshot.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      ws_.async_close(websocket::close_code::try_again_later, [self](beast::error_code) {});
      return;
    }
    {
      std::lock_guard lock(mutex_);
      outgoing_ = snapshot.get();
      ready_ = true;
      writing_ = true;
    }
    send_outgoing();
    read_next();
  }

  void read_next() {
    ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->close();
        return;
      }
      self->incoming_.consume(self->incoming_.size());  // clients have nothing to say yet
      self->read_next();
    });
  }

  void write_next() {
    // A stream outlives the request that opened it: stop it once the session is logged out or
    // expired (checked every few seconds, not per message, since it reads the store).
    const auto now = std::chrono::steady_clock::now();
    if (now - last_authorized_ >= kReauthorizeEvery) {
      last_authorized_ = now;
      if (!still_authorized_()) {
        close();
        ws_.async_close(websocket::close_code::policy_error,
                        [self = shared_from_this()](beast::error_code) {});
        return;
      }
    }
    {
      std::lock_guard lock(mutex_);
      if (closed_ || pending_.empty()) {
        writing_ = false;
        return;
      }
      outgoing_ = pending_.take_message();
    }
    send_outgoing();
  }

  void send_outgoing() {
    ws_.text(true);
    ws_.async_write(net::buffer(outgoing_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->close();
        return;
      }
      self->write_next();
    });
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      closed_ = true;
    }
    hub_.unsubscribe(this);
  }

  websocket::stream<Stream> ws_;
  engine::Engine& engine_;
  StreamHub& hub_;
  const StreamVisibility visibility_;
  std::function<bool()> still_authorized_;
  std::chrono::steady_clock::time_point last_authorized_ = std::chrono::steady_clock::now();
  beast::flat_buffer incoming_;
  std::string outgoing_;
  std::mutex mutex_;
  PendingChanges pending_;
  bool ready_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

struct SharedContext {
  ServerOptions options;
  const model::Plant& plant;
  Router& router;
  engine::Engine& engine;
  StreamHub& hub;
};

template <typename Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>> {
  using std::enable_shared_from_this<HttpSession<Stream>>::shared_from_this;
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  HttpSession(Stream stream, SharedContext& context) : stream_(std::move(stream)), context_(context) {}

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        beast::get_lowest_layer(self->stream_).expires_after(kReadTimeout);
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (!ec) self->read_next();
        });
      } else {
        self->read_next();
      }
    });
  }

 private:
  void read_next() {
    parser_.emplace();
    parser_->body_limit(context_.options.body_limit);
    beast::get_lowest_layer(stream_).expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout) {
      shutdown();
      return;
    }
    if (ec == http::error::body_limit) {
      send(HttpResponse{413,
                        "application/json",
                        fmt::format(R"({{"error":"request body larger than {} bytes"}})",
                                    context_.options.body_limit),
                        {}},
           11, false);
      return;
    }
    if (ec) {
      send(json_error(400, "malformed HTTP request: " + ec.message()), 11, false);
      return;
    }
    auto request = parser_->release();
    const auto plain = plain_request(request);
    if (websocket::is_upgrade(request)) {
      upgrade(std::move(request), plain);
      return;
    }
    const std::string target(request.target());
    HttpResponse response;
    try {
      if (Router::handles(target.substr(0, target.find('?')))) {
        response = context_.router.handle(plain);
      } else if (request.method() == http::verb::get || request.method() == http::verb::head) {
        response = serve_static(context_.options.cockpit_dir, target);
      } else {
        response = json_error(405, "only GET is allowed outside /api");
      }
    } catch (const std::exception& error) {
      // A bug, not bad input: log it loudly, keep serving others.
      spdlog::error("unhandled error for {} {}: {}", std::string(request.method_string()), target,
                    error.what());
      response = json_error(500, "internal error");
    }
    send(std::move(response), request.version(), request.keep_alive(), request.method() == http::verb::head);
  }

  HttpRequest plain_request(const http::request<http::string_body>& request) const {
    HttpRequest plain;
    plain.method = std::string(request.method_string());
    plain.target = std::string(request.target());
    plain.body = request.body();
    plain.content_type = std::string(request[http::field::content_type]);
    plain.cookie = std::string(request[http::field::cookie]);
    plain.authorization = std::string(request[http::field::authorization]);
    plain.csrf_token = std::string(request["X-CSRF-Token"]);
    plain.secure = kTls;
    beast::error_code ec;
    const auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) plain.remote_address = remote.address().to_string();
    return plain;
  }

  // The live stream: only for logged-in callers, only from this origin (a page on another site
  // cannot open it with the user's cookie), and only the units the caller may see.
  void upgrade(http::request<http::string_body> request, const HttpRequest& plain) {
    if (request.target() != "/api/stream") {
      send(json_error(404, "WebSocket endpoint is /api/stream"), request.version(), false);
      return;
    }
    const auto origin = std::string(request[http::field::origin]);
    const auto host = std::string(request[http::field::host]);
    if (!origin.empty() && origin != "http://" + host && origin != "https://" + host) {
      send(json_error(403, "cross-origin WebSocket connections are refused"), request.version(), false);
      return;
    }
    const auto caller = context_.router.authenticate(plain);
    if (!caller) {
      send(json_error(401, "login required"), request.version(), false);
      return;
    }
    StreamVisibility visibility;
    for (const auto* unit : context_.plant.units()) {
      visibility.units.push_back(context_.router.can_see(*caller, unit->id));
    }
    for (const auto& tag : context_.plant.tags)
      visibility.tags.push_back(context_.router.can_see(*caller, tag.unit_id));
    beast::get_lowest_layer(stream_).expires_never();  // the WebSocket has its own timeouts
    auto still_authorized = [&router = context_.router, plain] {
      return router.authenticate(plain).has_value();
    };
    std::make_shared<WebSocketSession<Stream>>(std::move(stream_), context_.engine, context_.hub,
                                               std::move(visibility), std::move(still_authorized))
        ->run(std::move(request));
  }

  void send(HttpResponse response, unsigned version, bool keep_alive, bool head = false) {
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    message->set(http::field::server, "strata");
    message->set(http::field::content_type, response.content_type);
    message->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) message->set(name, value);
    if (response.content_type == "application/json") message->set(http::field::cache_control, "no-store");
    message->keep_alive(keep_alive);
    const auto length = response.body.size();
    if (!head) message->body() = std::move(response.body);
    message->prepare_payload();
    if (head) message->content_length(length);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                        if (ec || !message->keep_alive()) {
                          self->shutdown();
                          return;
                        }
                        self->read_next();
                      });
  }

  void shutdown() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      // Closing with unread request bytes (say, the rest of a refused oversized body) makes the
      // kernel send a reset, which can destroy our answer before the client reads it: read and
      // drop what is still coming, within bounds, before the socket closes.
      stream_.expires_after(std::chrono::seconds(5));
      drain(0);
    }
  }

  void drain(std::size_t drained) {
    constexpr std::size_t kMaxDrain = 16 << 20;
    if (drained > kMaxDrain) return;
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this(), drained](beast::error_code ec, std::size_t bytes) {
                              if (!ec) self->drain(drained + bytes);
                            });
  }

  Stream stream_;
  SharedContext& context_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::array<char, 16384> drain_buffer_{};
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions options, const model::Plant& plant, Router& router, engine::Engine& engine,
       StreamHub& hub)
      : context{std::move(options), plant, router, engine, hub},
        io(context.options.threads),
        acceptor(net::make_strand(io)),
        work(net::make_work_guard(io)) {}

  void accept_next() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != net::error::operation_aborted) {
          spdlog::warn("accept failed: {}", ec.message());
          accept_next();
        }
        return;
      }
      if (tls) {
        std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *tls), context)->run();
      } else {
        std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), context)->run();
      }
      accept_next();
    });
  }

  SharedContext context;
  net::io_context io;
  tcp::acceptor acceptor;
  net::executor_work_guard<net::io_context::executor_type> work;
  std::vector<std::thread> threads;
  std::optional<net::ssl::context> tls;
};

HttpServer::HttpServer(ServerOptions options, const model::Plant& plant, Router& router,
                       engine::Engine& engine, StreamHub& hub)
    : impl_(std::make_unique<Impl>(std::move(options), plant, router, engine, hub)) {}

HttpServer::~HttpServer() {
  stop();
}

Result<unsigned short> HttpServer::start() {
  beast::error_code ec;
  const auto& options = impl_->context.options;
  if (!options.tls_certificate.empty() || !options.tls_private_key.empty()) {
    if (options.tls_certificate.empty() || options.tls_private_key.empty()) {
      return make_error("TLS needs both a certificate (--tls-cert) and its private key (--tls-key)");
    }
    auto& tls = impl_->tls.emplace(net::ssl::context::tls_server);
    tls.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                    net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                    net::ssl::context::no_tlsv1_1);
    if (tls.use_certificate_chain_file(options.tls_certificate, ec); ec) {
      return make_error(
          fmt::format("cannot load TLS certificate '{}': {}", options.tls_certificate, ec.message()));
    }
    if (tls.use_private_key_file(options.tls_private_key, net::ssl::context::pem, ec); ec) {
      return make_error(
          fmt::format("cannot load TLS private key '{}': {}", options.tls_private_key, ec.message()));
    }
  }
  const auto address = net::ip::make_address(impl_->context.options.address, ec);
  if (ec)
    return make_error(
        fmt::format("bad listen address '{}': {}", impl_->context.options.address, ec.message()));
  const tcp::endpoint endpoint(address, impl_->context.options.port);
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) return make_error("cannot open socket: " + ec.message());
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return make_error("cannot set SO_REUSEADDR: " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) {
    return make_error(fmt::format("cannot listen on {}:{}: {}", impl_->context.options.address,
                                  impl_->context.options.port, ec.message()));
  }
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec)
    return make_error("listen: " + ec.message());
  const auto port = acceptor.local_endpoint().port();
  impl_->accept_next();
  for (int i = 0; i < impl_->context.options.threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return port;
}

void HttpServer::stop() {
  if (!impl_ || impl_->threads.empty()) return;
  impl_->work.reset();
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace strata::api
