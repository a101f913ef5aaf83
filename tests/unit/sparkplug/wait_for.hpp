#pragma once
// Waiting on events produced by other threads (MQTT callbacks, driver pushes) without timed assertions:
// a test waits for a condition, and the deadline only stops a broken test from hanging.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace strata::sparkplug::test {

inline constexpr std::chrono::seconds kFailureGuard{20};

// A mutex and condition variable around state that callbacks change; notify after every change.
class Signal {
 public:
  template <typename F>
  void update(F&& change) {
    {
      std::lock_guard lock(mutex_);
      change();
    }
    changed_.notify_all();
  }
  // True once `condition` holds (evaluated under the lock); false only if the failure guard expired.
  template <typename Predicate>
  bool wait(Predicate condition, std::chrono::milliseconds guard = kFailureGuard) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, guard, condition);
  }
  template <typename F>
  auto read(F&& reader) {
    std::lock_guard lock(mutex_);
    return reader();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
};

}  // namespace strata::sparkplug::test
