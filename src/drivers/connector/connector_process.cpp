#include "drivers/connector/connector_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "drivers/connector/connector_location.hpp"
#include "drivers/connector/frame_codec.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX declares it nowhere in C++

namespace strata::connector {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using std::chrono::milliseconds;

// Output a connector does not read is bounded so a wedged child cannot exhaust memory before the
// heartbeat notices it.
constexpr std::size_t kMaxQueuedOutput = 64U * 1024U * 1024U;
constexpr std::size_t kMaxLogLine = 8192;
constexpr std::size_t kReadChunk = 64U * 1024U;
constexpr int kMaxReadsPerWakeup = 16;  // bounded so a chatty stdout cannot starve stderr and timers
constexpr milliseconds kExitPollInterval{20};
// After stdout closes on its own, give the process this long to exit before killing it, so its exit
// status (and last stderr lines) are reported.
constexpr milliseconds kExitAfterEofGrace{500};

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return make_error(fmt::format("pipe: {}", std::strerror(errno)));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

struct Child {
  pid_t pid = 0;
  UniqueFd in;   // our end of its stdin
  UniqueFd out;  // its stdout
  UniqueFd err;  // its stderr
};

// Runs in the forked child: async-signal-safe calls only.
[[noreturn]] void exec_child(const char* path, char* const* args, int in, int out, int err, int status,
                             pid_t parent, int max_fd) {
  ::setpgid(0, 0);  // Ctrl+C on Strata's terminal must not reach the connector before Strata stops it
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  // Strata blocks SIGINT/SIGTERM (and the I/O thread SIGPIPE); the connector must see them normally.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &dfl, nullptr);
  // Move the pipe ends above 2 first, so dup2 never maps a descriptor onto itself (Strata may have been
  // started with 0..2 closed, making them the pipe ends).
  const int high_in = ::fcntl(in, F_DUPFD, 10);
  const int high_out = ::fcntl(out, F_DUPFD, 10);
  const int high_err = ::fcntl(err, F_DUPFD, 10);
  if (high_in < 0 || high_out < 0 || high_err < 0 || ::dup2(high_in, 0) < 0 || ::dup2(high_out, 1) < 0 ||
      ::dup2(high_err, 2) < 0) {
    const int error = errno;
    (void)!::write(status, &error, sizeof error);
    ::_exit(127);
  }
  // Descriptors other threads opened without O_CLOEXEC (sockets, files) must not leak into the child.
  for (int fd = 3; fd <= max_fd; ++fd) {
    if (fd != status) ::close(fd);
  }
  ::execve(path, args, environ);
  const int error = errno;
  (void)!::write(status, &error, sizeof error);
  ::_exit(127);
}

int highest_fd_to_close() {
  const long limit = ::sysconf(_SC_OPEN_MAX);
  return static_cast<int>(std::clamp(limit, 256L, 65'536L));
}

Result<Child> spawn(const std::vector<std::string>& argv) {
  if (argv.empty()) return make_error("no command to run");
  const auto path = find_executable(argv[0]);
  if (path.empty()) return make_error(fmt::format("'{}' not found (not executable or not on PATH)", argv[0]));
  std::vector<std::string> arguments = argv;
  std::vector<char*> args;
  args.reserve(arguments.size() + 1);
  for (auto& argument : arguments) args.push_back(argument.data());
  args.push_back(nullptr);

  auto in = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  auto status = make_pipe();
  if (!in || !out || !err || !status)
    return make_error(fmt::format("cannot create pipes: {}", std::strerror(errno)));
  const int max_fd = highest_fd_to_close();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return make_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    exec_child(path.c_str(), args.data(), in->read.get(), out->write.get(), err->write.get(),
               status->write.get(), parent, max_fd);
  }
  ::setpgid(pid, pid);  // also in the parent: no race with kill(-pid) below
  in->read.reset();
  out->write.reset();
  err->write.reset();
  status->write.reset();
  int error = 0;
  ssize_t got = 0;
  do {
    got = ::read(status->read.get(), &error, sizeof error);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof error)) {
    int ignored = 0;
    ::waitpid(pid, &ignored, 0);
    return make_error(fmt::format("cannot run '{}': {}", path, std::strerror(error)));
  }
  Child child{pid, std::move(in->write), std::move(out->read), std::move(err->read)};
  set_nonblocking(child.in.get());
  set_nonblocking(child.out.get());
  set_nonblocking(child.err.get());
  return child;
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return "ended";
}

std::optional<std::int64_t> integer_member(const nlohmann::json& message, const char* key) {
  const auto it = message.find(key);
  if (it == message.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::string string_member(const nlohmann::json& message, const char* key) {
  const auto it = message.find(key);
  if (it == message.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

std::string_view to_string(ConnectorState state) {
  switch (state) {
    case ConnectorState::Stopped:
      return "stopped";
    case ConnectorState::Starting:
      return "starting";
    case ConnectorState::Up:
      return "up";
    case ConnectorState::Down:
      return "down";
    case ConnectorState::Failed:
      return "failed";
  }
  return "unknown";
}

class ConnectorProcess::Impl {
 public:
  explicit Impl(ConnectorOptions options) : options_(std::move(options)) {
    stats_.name = options_.name;
    if (auto wake = make_pipe()) {
      wake_read_ = std::move(wake->read);
      wake_write_ = std::move(wake->write);
      set_nonblocking(wake_read_.get());
      set_nonblocking(wake_write_.get());
    }
  }

  ConnectorOptions options_;
  MessageHandler message_handler_;
  StateHandler state_handler_;

  // Shared with callers; guarded by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  ConnectorState state_ = ConnectorState::Stopped;
  ConnectorStats stats_;
  bool stop_requested_ = false;
  bool restart_requested_ = false;
  bool config_changed_ = false;
  pid_t pid_ = 0;
  std::deque<std::string> output_;
  std::size_t output_bytes_ = 0;
  std::map<std::int64_t, std::promise<Result<nlohmann::json>>> pending_;
  std::int64_t next_id_ = 1;
  std::thread thread_;
  UniqueFd wake_read_;
  UniqueFd wake_write_;

  // Owned by the I/O thread.
  std::size_t output_offset_ = 0;  // of output_.front() already written
  FrameDecoder decoder_;
  std::string stderr_line_;
  std::vector<char> chunk_ = std::vector<char>(kReadChunk);

  void wake() {
    changed_.notify_all();
    const char byte = 1;
    (void)!::write(wake_write_.get(), &byte, 1);
  }

  void drain_wake() {
    std::array<char, 64> sink{};
    while (::read(wake_read_.get(), sink.data(), sink.size()) > 0) {
    }
  }

  void set_state(ConnectorState state, const std::string& reason) {
    {
      std::lock_guard lock(mutex_);
      if (state_ == state) return;
      state_ = state;
      stats_.state = state;
    }
    changed_.notify_all();
    if (state_handler_) state_handler_(state, reason);
  }

  void record_error(const std::string& error, bool protocol) {
    std::lock_guard lock(mutex_);
    stats_.last_error = error;
    if (protocol) ++stats_.protocol_errors;
  }

  void fail_pending(const std::string& why) {
    std::map<std::int64_t, std::promise<Result<nlohmann::json>>> failed;
    {
      std::lock_guard lock(mutex_);
      failed.swap(pending_);
    }
    for (auto& [id, promise] : failed) promise.set_value(make_error(why));
  }

  Result<void> enqueue_locked(const nlohmann::json& message) {
    auto frame = encode_frame(message);
    if (!frame) return frame.error();
    if (output_bytes_ + frame->size() > kMaxQueuedOutput) {
      return make_error(
          fmt::format("connector {} is not reading its input (output queue full)", options_.name));
    }
    output_bytes_ += frame->size();
    output_.push_back(std::move(*frame));
    return {};
  }

  Result<void> send(const nlohmann::json& message) {
    {
      std::lock_guard lock(mutex_);
      if (state_ != ConnectorState::Up) {
        return make_error(fmt::format("connector {} is {}", options_.name, to_string(state_)));
      }
      if (auto queued = enqueue_locked(message); !queued) return queued;
    }
    wake();
    return {};
  }

  std::future<Result<nlohmann::json>> request(nlohmann::json message) {
    std::promise<Result<nlohmann::json>> promise;
    auto future = promise.get_future();
    {
      std::lock_guard lock(mutex_);
      if (state_ != ConnectorState::Up) {
        promise.set_value(make_error(fmt::format("connector {} is {}{}", options_.name, to_string(state_),
                                                 stats_.last_error.empty() ? "" : ": " + stats_.last_error)));
        return future;
      }
      const auto id = next_id_++;
      message["id"] = id;
      if (auto queued = enqueue_locked(message); !queued) {
        promise.set_value(queued.error());
        return future;
      }
      pending_.emplace(id, std::move(promise));
    }
    wake();
    return future;
  }

  // Writes queued frames until the pipe is full. False when the child closed its stdin.
  bool write_output(int fd) {
    std::unique_lock lock(mutex_);
    while (!output_.empty()) {
      const auto& frame = output_.front();
      const auto written = ::write(fd, frame.data() + output_offset_, frame.size() - output_offset_);
      if (written < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return true;
        return false;  // EPIPE: SIGPIPE is blocked on this thread, so it stays pending and harmless
      }
      output_offset_ += static_cast<std::size_t>(written);
      if (output_offset_ == frame.size()) {
        output_bytes_ -= frame.size();
        output_.pop_front();
        output_offset_ = 0;
        ++stats_.frames_out;
      }
    }
    return true;
  }

  void forward_stderr(std::string_view bytes) {
    for (const char c : bytes) {
      if (c == '\n' || stderr_line_.size() >= kMaxLogLine) {
        if (!stderr_line_.empty() && stderr_line_.back() == '\r') stderr_line_.pop_back();
        spdlog::info("[{}] {}", options_.name, stderr_line_);
        stderr_line_.clear();
        if (c == '\n') continue;
      }
      stderr_line_.push_back(c);
    }
  }

  // Reads what is available on the child's stderr; false at end of file.
  bool read_stderr(int fd) {
    for (int i = 0; i < kMaxReadsPerWakeup; ++i) {
      const auto got = ::read(fd, chunk_.data(), chunk_.size());
      if (got > 0) {
        forward_stderr(std::string_view(chunk_.data(), static_cast<std::size_t>(got)));
        continue;
      }
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) return true;
      if (!stderr_line_.empty()) forward_stderr("\n");
      return false;
    }
    return true;
  }

  void log_message(const nlohmann::json& message) {
    const auto level = string_member(message, "level");
    const auto text = string_member(message, "message");
    if (level == "debug") {
      spdlog::debug("[{}] {}", options_.name, text);
    } else if (level == "warn") {
      spdlog::warn("[{}] {}", options_.name, text);
    } else if (level == "error") {
      spdlog::error("[{}] {}", options_.name, text);
    } else {
      spdlog::info("[{}] {}", options_.name, text);
    }
  }

  void resolve(const nlohmann::json& message) {
    const auto id = integer_member(message, "id");
    std::optional<std::promise<Result<nlohmann::json>>> promise;
    {
      std::lock_guard lock(mutex_);
      if (id) {
        if (auto it = pending_.find(*id); it != pending_.end()) {
          promise = std::move(it->second);
          pending_.erase(it);
        }
      }
    }
    if (!promise) {
      spdlog::warn("[{}] result for unknown request id {}", options_.name,
                   message.contains("id") ? message["id"].dump() : "(none)");
      return;
    }
    const auto ok = message.find("ok");
    if (ok != message.end() && ok->is_boolean() && ok->get<bool>()) {
      promise->set_value(message);
    } else {
      auto why = string_member(message, "message");
      promise->set_value(make_error(why.empty() ? "request failed" : why));
    }
  }

  // Per-run state of the I/O thread.
  struct Run {
    bool ready = false;
    TimePoint started{};
    TimePoint up_since{};
    TimePoint ready_deadline{};
    TimePoint next_ping{};
    std::optional<TimePoint> pong_deadline;
    std::int64_t ping_id = 0;
    std::optional<std::string> fatal;  // message of a `fatal` frame
    bool eof = false;                  // stdout closed
    std::string end;                   // why the run is ending; empty while it goes on
  };

  void handle_frame(nlohmann::json message, Run& run) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.frames_in;
    }
    const auto& type = message["type"].get_ref<const std::string&>();
    if (type == "ready") {
      if (run.ready) return;
      const auto protocol = integer_member(message, "protocol");
      if (protocol != kProtocolVersion) {
        run.fatal = fmt::format("connector speaks protocol {}, Strata speaks {}",
                                protocol ? std::to_string(*protocol) : "(none)", kProtocolVersion);
        run.end = *run.fatal;
        return;
      }
      run.ready = true;
      run.up_since = SteadyClock::now();
      run.next_ping = run.up_since + options_.timings.ping_interval;
      {
        std::lock_guard lock(mutex_);
        stats_.connector_version = string_member(message, "version");
      }
      spdlog::info("[{}] connector {} {} ready", options_.name, string_member(message, "connector"),
                   string_member(message, "version"));
      set_state(ConnectorState::Up, {});
    } else if (type == "pong") {
      run.pong_deadline.reset();
    } else if (type == "result") {
      resolve(message);
    } else if (type == "log") {
      log_message(message);
    } else if (type == "fatal") {
      run.fatal = string_member(message, "message");
      if (run.fatal->empty()) *run.fatal = "connector reported a fatal error";
      run.end = *run.fatal;
    } else if (message_handler_) {
      message_handler_(message);
    }
  }

  // Reads and handles frames; false at end of file or on a protocol error (run.end says which).
  bool read_stdout(int fd, Run& run) {
    for (int i = 0; i < kMaxReadsPerWakeup && run.end.empty(); ++i) {
      const auto got = ::read(fd, chunk_.data(), chunk_.size());
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) return true;
      if (got <= 0) {
        run.eof = true;
        run.end = "connector closed its output";
        return false;
      }
      decoder_.feed(std::string_view(chunk_.data(), static_cast<std::size_t>(got)));
      while (run.end.empty()) {
        auto frame = decoder_.next();
        if (!frame) {
          run.end = fmt::format("protocol error: {}", frame.error().message);
          record_error(run.end, true);
          return false;
        }
        if (!*frame) break;
        handle_frame(std::move(**frame), run);
      }
    }
    return true;
  }

  // Waits until the child has exited or `deadline`, still forwarding its stderr. The child is left
  // unreaped, so its process group cannot be reused before end_child kills what remains of it.
  bool wait_exit(Child& child, TimePoint deadline) {
    while (true) {
      siginfo_t info{};
      const int checked = ::waitid(P_PID, static_cast<id_t>(child.pid), &info, WEXITED | WNOHANG | WNOWAIT);
      if ((checked == 0 && info.si_pid == child.pid) || (checked < 0 && errno == ECHILD)) return true;
      const auto now = SteadyClock::now();
      if (now >= deadline) return false;
      std::array<pollfd, 2> fds{pollfd{child.out.get(), POLLIN, 0}, pollfd{child.err.get(), POLLIN, 0}};
      const auto wait = std::min(kExitPollInterval, std::chrono::duration_cast<milliseconds>(deadline - now));
      ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()) + 1);
      if (child.out.open() && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        // Output after the end of a run is not delivered; reading only keeps the pipe from filling.
        const auto got = ::read(child.out.get(), chunk_.data(), chunk_.size());
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) child.out.reset();
      }
      if (child.err.open() && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
          !read_stderr(child.err.get())) {
        child.err.reset();
      }
    }
  }

  // Ends the child and returns its wait status: stdin closed, up to `natural_exit` to exit on its own,
  // then (when `term_first`) SIGTERM and term_grace, then SIGKILL to its whole process group.
  int end_child(Child& child, milliseconds natural_exit, bool term_first) {
    child.in.reset();
    bool exited = natural_exit.count() > 0 && wait_exit(child, SteadyClock::now() + natural_exit);
    if (!exited && term_first) {
      spdlog::warn("[{}] connector still running {} ms after its input closed: SIGTERM", options_.name,
                   natural_exit.count());
      ::kill(-child.pid, SIGTERM);
      exited = wait_exit(child, SteadyClock::now() + options_.timings.term_grace);
      if (!exited) spdlog::warn("[{}] connector ignored SIGTERM: SIGKILL", options_.name);
    }
    ::kill(-child.pid, SIGKILL);  // the connector if still running, and anything it started
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    // Last stderr lines (a stack trace) are worth having; the pipe is closed or nearly so.
    if (child.err.open()) {
      for (int i = 0; i < 64 && read_stderr(child.err.get()); ++i) {
        pollfd fd{child.err.get(), POLLIN, 0};
        if (::poll(&fd, 1, 0) <= 0) break;
      }
    }
    if (!stderr_line_.empty()) forward_stderr("\n");
    {
      std::lock_guard lock(mutex_);
      pid_ = 0;
    }
    return status;
  }

  struct Outcome {
    bool fatal = false;
    bool stopped = false;
    bool immediate_restart = false;
    milliseconds up_time{0};
    std::string reason;
  };

  Outcome run_once(bool first) {
    nlohmann::json config;
    {
      std::lock_guard lock(mutex_);
      config = options_.config;
      config_changed_ = false;
      restart_requested_ = false;
      output_.clear();
      output_bytes_ = 0;
      ++stats_.starts;
      if (!first) ++stats_.restarts;
    }
    output_offset_ = 0;
    decoder_ = FrameDecoder{};
    stderr_line_.clear();

    auto spawned = spawn(options_.argv);
    if (!spawned) {
      record_error(spawned.error().message, false);
      return Outcome{.fatal = true, .reason = spawned.error().message};
    }
    Child child = std::move(*spawned);
    {
      std::lock_guard lock(mutex_);
      pid_ = child.pid;
      const nlohmann::json hello{{"type", "hello"},
                                 {"protocol", kProtocolVersion},
                                 {"role", options_.role},
                                 {"name", options_.name},
                                 {"config", std::move(config)}};
      if (auto queued = enqueue_locked(hello); !queued) {
        record_error(queued.error().message, false);
      }
    }
    set_state(ConnectorState::Starting, {});
    Run run;
    run.started = SteadyClock::now();
    run.ready_deadline = run.started + options_.timings.ready_timeout;
    bool stopping = false;
    bool restart = false;

    while (run.end.empty()) {
      const auto now = SteadyClock::now();
      if (!run.ready && now >= run.ready_deadline) {
        run.end = fmt::format("no ready within {} ms", options_.timings.ready_timeout.count());
        record_error(run.end, true);
        break;
      }
      if (run.pong_deadline && now >= *run.pong_deadline) {
        run.end = fmt::format("no pong within {} ms", options_.timings.pong_timeout.count());
        record_error(run.end, true);
        break;
      }
      if (run.ready && now >= run.next_ping) {
        std::lock_guard lock(mutex_);
        (void)enqueue_locked(nlohmann::json{{"type", "ping"}, {"id", ++run.ping_id}});
        if (!run.pong_deadline) run.pong_deadline = now + options_.timings.pong_timeout;
        run.next_ping = now + options_.timings.ping_interval;
      }
      TimePoint next = run.ready ? run.next_ping : run.ready_deadline;
      if (run.pong_deadline) next = std::min(next, *run.pong_deadline);
      const auto timeout = std::chrono::duration_cast<milliseconds>(next - now).count() + 1;

      bool has_output = false;
      {
        std::lock_guard lock(mutex_);
        has_output = !output_.empty();
        stopping = stop_requested_;
        restart = restart_requested_;
      }
      if (stopping || restart) break;
      std::array<pollfd, 4> fds{pollfd{wake_read_.get(), POLLIN, 0}, pollfd{child.out.get(), POLLIN, 0},
                                pollfd{child.err.get(), POLLIN, 0},
                                pollfd{has_output && child.in.open() ? child.in.get() : -1, POLLOUT, 0}};
      const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(timeout, 0)));
      if (ready < 0 && errno != EINTR) {
        run.end = fmt::format("poll: {}", std::strerror(errno));
        break;
      }
      if (ready <= 0) continue;
      if (fds[0].revents != 0) drain_wake();
      if (fds[3].revents != 0 && !write_output(child.in.get())) child.in.reset();
      if (fds[2].revents != 0 && !read_stderr(child.err.get())) child.err.reset();
      if (fds[1].revents != 0 && !read_stdout(child.out.get(), run)) break;
    }

    const auto up_time = run.ready
                             ? std::chrono::duration_cast<milliseconds>(SteadyClock::now() - run.up_since)
                             : milliseconds{0};
    int status = 0;
    if (stopping || run.fatal) {
      status = end_child(child, options_.timings.stdin_close_grace, true);
    } else if (run.eof) {
      status = end_child(child, kExitAfterEofGrace, false);
    } else {
      status = end_child(child, milliseconds{0}, false);
    }
    Outcome outcome;
    outcome.up_time = up_time;
    outcome.stopped = stopping;
    outcome.immediate_restart = restart;
    if (stopping) {
      outcome.reason = "connector stopped";
    } else if (run.fatal) {
      outcome.fatal = true;
      outcome.reason = *run.fatal;
      record_error(*run.fatal, false);
    } else if (restart) {
      outcome.reason = "restart requested";
    } else {
      outcome.reason = fmt::format("{} ({})", run.end, describe_exit(status));
      record_error(outcome.reason, false);
    }
    return outcome;
  }

  // Waits `delay`, or until stop/restart/set_config. False when stop was requested.
  bool pause(milliseconds delay, bool until_config_changes) {
    std::unique_lock lock(mutex_);
    const auto woken = [&] {
      return stop_requested_ || config_changed_ || (!until_config_changes && restart_requested_);
    };
    if (until_config_changes) {
      changed_.wait(lock, woken);
    } else {
      changed_.wait_for(lock, delay, woken);
    }
    return !stop_requested_;
  }

  void run() {
    // A write to a connector that just died must not kill Strata: SIGPIPE stays blocked on this thread.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);

    auto backoff = options_.timings.restart_initial;
    bool first = true;
    while (true) {
      auto outcome = run_once(first);
      first = false;
      fail_pending(outcome.stopped ? "connector stopped" : "connector restarted");
      if (outcome.stopped) break;
      if (outcome.fatal) {
        spdlog::error("[{}] connector failed: {} (not restarted until its configuration changes)",
                      options_.name, outcome.reason);
        set_state(ConnectorState::Failed, outcome.reason);
        if (!pause(milliseconds{0}, true)) break;
        backoff = options_.timings.restart_initial;
        continue;
      }
      set_state(ConnectorState::Down, outcome.reason);
      if (outcome.immediate_restart) continue;
      if (outcome.up_time >= options_.timings.healthy_reset) backoff = options_.timings.restart_initial;
      spdlog::warn("[{}] connector down: {}; restarting in {} ms", options_.name, outcome.reason,
                   backoff.count());
      if (!pause(backoff, false)) break;
      backoff = std::min(backoff * 2, options_.timings.restart_max);
    }
    set_state(ConnectorState::Stopped, "connector stopped");
  }
};

ConnectorProcess::ConnectorProcess(ConnectorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ConnectorProcess::~ConnectorProcess() {
  stop();
}

void ConnectorProcess::on_message(MessageHandler handler) {
  impl_->message_handler_ = std::move(handler);
}

void ConnectorProcess::on_state(StateHandler handler) {
  impl_->state_handler_ = std::move(handler);
}

void ConnectorProcess::start() {
  std::lock_guard lock(impl_->mutex_);
  if (impl_->thread_.joinable()) return;
  impl_->stop_requested_ = false;
  impl_->thread_ = std::thread([impl = impl_.get()] { impl->run(); });
}

void ConnectorProcess::stop() {
  {
    std::lock_guard lock(impl_->mutex_);
    if (!impl_->thread_.joinable()) return;
    impl_->stop_requested_ = true;
  }
  impl_->wake();
  impl_->thread_.join();
  impl_->thread_ = std::thread();
}

void ConnectorProcess::set_config(nlohmann::json config) {
  {
    std::lock_guard lock(impl_->mutex_);
    impl_->options_.config = std::move(config);
    impl_->config_changed_ = true;
  }
  impl_->wake();
}

void ConnectorProcess::restart() {
  {
    std::lock_guard lock(impl_->mutex_);
    impl_->restart_requested_ = true;
  }
  impl_->wake();
}

Result<void> ConnectorProcess::send(const nlohmann::json& message) {
  return impl_->send(message);
}

std::future<Result<nlohmann::json>> ConnectorProcess::request(nlohmann::json message) {
  return impl_->request(std::move(message));
}

Result<void> ConnectorProcess::wait_until_up(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex_);
  const bool settled = impl_->changed_.wait_for(lock, timeout, [&] {
    return impl_->state_ == ConnectorState::Up || impl_->state_ == ConnectorState::Failed;
  });
  if (settled && impl_->state_ == ConnectorState::Up) return {};
  if (settled) return make_error(impl_->stats_.last_error);
  return make_error(fmt::format("connector {} not ready within {} ms{}", impl_->options_.name,
                                timeout.count(),
                                impl_->stats_.last_error.empty() ? "" : ": " + impl_->stats_.last_error));
}

ConnectorState ConnectorProcess::state() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->state_;
}

ConnectorStats ConnectorProcess::stats() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->stats_;
}

const std::string& ConnectorProcess::name() const {
  return impl_->options_.name;
}

int ConnectorProcess::pid() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->pid_;
}

}  // namespace strata::connector
