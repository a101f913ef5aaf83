#pragma once
// HTTP + WebSocket server (Boost.Beast) on its own I/O threads: REST through the Router, the live
// stream through the StreamHub, everything else from the cockpit folder.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/router.hpp"
#include "api/stream_hub.hpp"
#include "common/result.hpp"

namespace strata::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  std::string cockpit_dir;
  int threads = 2;
  std::size_t body_limit = 1 << 20;
  std::string tls_certificate;  // PEM chain; with tls_private_key, serve HTTPS/WSS only
  std::string tls_private_key;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, const model::Plant& plant, Router& router, engine::Engine& engine,
             StreamHub& hub);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; returns the bound port.
  Result<unsigned short> start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::api
