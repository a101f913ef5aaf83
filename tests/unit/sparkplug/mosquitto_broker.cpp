#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace strata::sparkplug::test {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  const auto address = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return ok;
}

std::string find_mosquitto() {
  for (const char* candidate : {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto",
                                "/usr/local/bin/mosquitto"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return "mosquitto";  // posix_spawnp searches PATH
}

}  // namespace

int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  auto address = loopback(0);
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

MosquittoBroker::MosquittoBroker() {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         fmt::format("strata-mosquitto-{}-{}", ::getpid(), counter.fetch_add(1));
  std::filesystem::create_directories(dir_);
}

MosquittoBroker::~MosquittoBroker() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Result<void> MosquittoBroker::start() {
  if (running()) return make_error("mosquitto already running");
  // A port free when probed can be taken by a parallel test before mosquitto binds it; a first start then
  // tries another port, a restart (which must keep its port) tries again.
  const bool keep_port = port_ != 0;
  std::string failure;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (!keep_port) port_ = free_local_port();
    if (port_ == 0) return make_error("no free local port");
    auto started = spawn();
    if (started) return started;
    failure = started.error().message;
  }
  return make_error(failure);
}

Result<void> MosquittoBroker::spawn() {
  const auto config = dir_ / "mosquitto.conf";
  {
    std::ofstream out(config);
    out << "listener " << port_ << " 127.0.0.1\n"
        << "allow_anonymous true\n"
        << "persistence false\n"
        << extra_config_;
  }
  const auto log_path = (dir_ / "mosquitto.log").string();
  const auto log_start = log().size();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const std::string program = find_mosquitto();
  const std::string config_text = config.string();
  std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>("-c"),
                          const_cast<char*>(config_text.c_str()), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return make_error(fmt::format("cannot start {}: error {}", program, rc));
  pid_ = pid;
  // Ready when this mosquitto says it is running (it logs that once every listener is open) and the port
  // answers; another broker answering on the port does not count. The deadline is a failure guard only.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return make_error(
          fmt::format("mosquitto exited at start on port {}: {}", port_, log().substr(log_start)));
    }
    if (log().find(" running", log_start) != std::string::npos && accepts_connections(port_)) return {};
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      return make_error(
          fmt::format("mosquitto did not listen on port {}: {}", port_, log().substr(log_start)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void MosquittoBroker::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

int MosquittoBroker::reserve_port() {
  if (port_ == 0) port_ = free_local_port();
  return port_;
}

void MosquittoBroker::add_config(std::string line) {
  extra_config_ += std::move(line);
  extra_config_ += '\n';
}

Result<void> MosquittoBroker::restart() {
  stop();
  return start();
}

std::string MosquittoBroker::log() const {
  std::ifstream in(dir_ / "mosquitto.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace strata::sparkplug::test
