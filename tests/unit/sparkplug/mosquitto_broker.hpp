#pragma once
// A real mosquitto broker for the Sparkplug tests: its own config file and log in a temporary directory,
// listening on 127.0.0.1 on a port that was free when first started (or when reserve_port() picked it);
// restart() keeps the port so clients can reconnect to it. Also used by bench/bench_sparkplug_*.cpp.
#include <sys/types.h>

#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace strata::sparkplug::test {

class MosquittoBroker {
 public:
  MosquittoBroker();
  ~MosquittoBroker();  // stops the broker and removes its directory
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  // Starts mosquitto and returns once it accepts TCP connections (10 s failure guard).
  Result<void> start();
  // SIGTERM and wait; clients see their connection drop.
  void stop();
  Result<void> restart();

  // Picks the port now, without starting, so clients can be configured (and run against a broker that is
  // down) before the first start(); start() then listens on it and, like restart(), keeps it. Returns the
  // port (the same one on later calls, or once started); 0 on failure.
  int reserve_port();
  // Appends a line to mosquitto.conf (after listener, allow_anonymous and persistence), e.g.
  // "max_queued_messages 0"; takes effect at the next start().
  void add_config(std::string line);

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool running() const { return pid_ > 0; }
  // The broker's log, for failure messages.
  [[nodiscard]] std::string log() const;

 private:
  Result<void> spawn();

  std::filesystem::path dir_;
  std::string extra_config_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A port nobody listens on right now (bound to 127.0.0.1:0 and released); 0 on failure.
[[nodiscard]] int free_local_port();

}  // namespace strata::sparkplug::test
