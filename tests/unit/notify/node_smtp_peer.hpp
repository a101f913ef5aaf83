#pragma once
// Runs peers/smtp_peer.cjs (the smtp-server npm package, a real SMTP implementation) as a child
// process and collects the JSON events it prints. Needs `node` on PATH and smtp-server installed in
// tests/node_modules (tests/package.json; scripts/setup runs npm ci there) or in NODE_PATH.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace strata::notify::test {

class NodeSmtpPeer {
 public:
  explicit NodeSmtpPeer(const nlohmann::json& options) {
    // stdout carries the events; stdin stays open while we live, so the peer exits with us even when
    // a crashing test never runs the destructor. Close-on-exec keeps other children off the pipes.
    int pipe_ends[2];
    int lifeline[2];
    if (pipe2(pipe_ends, O_CLOEXEC) != 0) return;
    if (pipe2(lifeline, O_CLOEXEC) != 0) return;
    lifeline_ = lifeline[1];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, lifeline[0], STDIN_FILENO);
    std::string script = std::string(STRATA_SOURCE_DIR) + "/tests/unit/notify/peers/smtp_peer.cjs";
    std::string arguments = options.dump();
    std::string program = "node";
    char* argv[] = {program.data(), script.data(), arguments.data(), nullptr};
    const int spawned = posix_spawnp(&pid_, "node", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_ends[1]);
    close(lifeline[0]);
    if (spawned != 0) {
      close(pipe_ends[0]);
      pid_ = -1;
      return;
    }
    reader_ = std::thread([this, fd = pipe_ends[0]] { read_events(fd); });
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kHangGuard, [&] { return port_ != 0 || ended_; });
  }
  ~NodeSmtpPeer() {
    if (lifeline_ >= 0) close(lifeline_);
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (reader_.joinable()) reader_.join();
  }
  NodeSmtpPeer(const NodeSmtpPeer&) = delete;
  NodeSmtpPeer& operator=(const NodeSmtpPeer&) = delete;

  // 0 when the peer did not start (no node, or smtp-server not installed: see its stderr).
  [[nodiscard]] unsigned short port() const {
    std::lock_guard lock(mutex_);
    return port_;
  }

  // Events named `name` ("auth", "mail", "rcpt", "message"), in order.
  [[nodiscard]] std::vector<nlohmann::json> events(const std::string& name) const {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> matching;
    for (const auto& event : events_) {
      if (event.value("event", "") == name) matching.push_back(event);
    }
    return matching;
  }

  // Events arrive through a pipe, possibly a moment after the client logged its outcome: wait for
  // `count` events named `name` (hang guard only); false if they never come. Waiting for the
  // "close" of every session makes all of those sessions' events visible.
  [[nodiscard]] bool wait_for_events(const std::string& name, std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kHangGuard, [&] { return ended_ || count_of(name) >= count; }) &&
           count_of(name) >= count;
  }

  [[nodiscard]] std::optional<nlohmann::json> wait_for_message() {
    if (!wait_for_events("message", 1)) return std::nullopt;
    return events("message").front();
  }

 private:
  [[nodiscard]] std::size_t count_of(const std::string& name) const {
    std::size_t count = 0;
    for (const auto& event : events_) count += event.value("event", "") == name ? 1 : 0;
    return count;
  }

  void read_events(int fd) {
    FILE* stream = fdopen(fd, "r");
    char* line = nullptr;
    std::size_t capacity = 0;
    while (getline(&line, &capacity, stream) > 0) {
      auto event = nlohmann::json::parse(line, nullptr, false);
      if (event.is_discarded()) continue;
      {
        std::lock_guard lock(mutex_);
        if (event.value("event", "") == "listening")
          port_ = event.value("port", static_cast<unsigned short>(0));
        events_.push_back(std::move(event));
      }
      changed_.notify_all();
    }
    free(line);
    std::fclose(stream);
    {
      std::lock_guard lock(mutex_);
      ended_ = true;
    }
    changed_.notify_all();
  }

  static constexpr std::chrono::seconds kHangGuard{30};
  pid_t pid_ = -1;
  int lifeline_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> events_;
  unsigned short port_ = 0;
  bool ended_ = false;
  std::thread reader_;
};

}  // namespace strata::notify::test
