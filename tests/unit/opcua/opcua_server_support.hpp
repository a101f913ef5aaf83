#pragma once
// A real OPC UA server for the driver tests: the OPC UA connector in role "server"
// (connectors/opcua/connector.mjs), supervised by a ConnectorProcess, on 127.0.0.1.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "drivers/connector/connector_location.hpp"
#include "drivers/connector/connector_process.hpp"
#include "unit/opcua/opcua_test_support.hpp"

namespace strata::opcua::test {

// A port nobody listens on right now (the kernel's choice of a free ephemeral port).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

inline std::vector<std::string> opcua_connector_argv() {
  auto location = connector::find_connector("opcua", "");
  if (!location) {
    // The tests run from the build tree; the checkout's connectors/ is found through the override.
    ::setenv("STRATA_CONNECTORS_DIR", (std::string(STRATA_SOURCE_DIR) + "/connectors").c_str(), 1);
    location = connector::find_connector("opcua", "");
  }
  EXPECT_TRUE(location) << location.error().message;
  return location ? location->argv() : std::vector<std::string>{};
}

class OpcUaTestServer {
 public:
  // `config` is hello.config of the server role without host/port (added here).
  OpcUaTestServer(int port, nlohmann::json config) {
    config["host"] = "127.0.0.1";
    config["port"] = port;
    connector::ConnectorOptions options;
    options.name = "test-server";
    options.role = "server";
    options.argv = opcua_connector_argv();
    options.config = std::move(config);
    process_ = std::make_unique<connector::ConnectorProcess>(std::move(options));
    process_->on_message([this](const nlohmann::json& message) {
      std::lock_guard lock(mutex_);
      messages_.push_back(message);
      changed_.notify_all();
    });
  }
  ~OpcUaTestServer() { stop(); }
  OpcUaTestServer(const OpcUaTestServer&) = delete;
  OpcUaTestServer& operator=(const OpcUaTestServer&) = delete;

  // Starts the connector and waits until its server listens.
  bool start() {
    process_->start();
    return wait([&] { return count_locked("listening") > 0; });
  }
  void stop() { process_->stop(); }

  Result<void> set(int h, nlohmann::json value) {
    return process_->send({{"type", "set"}, {"items", {{{"h", h}, {"v", std::move(value)}}}}});
  }

  // `written` messages so far.
  std::vector<nlohmann::json> written() {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> out;
    for (const auto& message : messages_) {
      if (message["type"] == "written") out.push_back(message);
    }
    return out;
  }
  bool wait_written(std::size_t count) {
    return wait([&] { return count_locked("written") >= count; });
  }

 private:
  std::size_t count_locked(const std::string& type) const {
    std::size_t n = 0;
    for (const auto& message : messages_) n += message["type"] == type ? 1 : 0;
    return n;
  }
  bool wait(const std::function<bool()>& condition) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGuard, condition);
  }

  std::unique_ptr<connector::ConnectorProcess> process_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> messages_;
};

}  // namespace strata::opcua::test
