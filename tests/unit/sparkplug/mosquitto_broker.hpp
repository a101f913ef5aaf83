#pragma once
// A real mosquitto broker for the Sparkplug tests: its own config file and log in a temporary directory,
// listening on 127.0.0.1 on a port that was free when first started; restart() keeps the port so
// clients can reconnect to it.
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

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool running() const { return pid_ > 0; }
  // The broker's log, for failure messages.
  [[nodiscard]] std::string log() const;

 private:
  Result<void> spawn();

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A port nobody listens on right now (bound to 127.0.0.1:0 and released); 0 on failure.
[[nodiscard]] int free_local_port();

}  // namespace strata::sparkplug::test
