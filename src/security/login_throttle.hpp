#pragma once
// Slows password guessing: per client address, at most N login attempts in a sliding minute
// (429), and per user a lock-out after M consecutive failures (423), lifted after a while or by
// an admin. The per-user counters live in the store so a restart does not reset them; this class
// only decides, given the counts.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "common/clock.hpp"

namespace strata::security {

struct LockoutPolicy {
  int max_failures = 5;  // consecutive failures before lock-out
  Timestamp lockout_duration = 15 * 60 * kMicrosPerSecond;
  int max_attempts_per_minute_per_address = 20;
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, LockoutPolicy policy);
  // Counts an attempt from this address; false when the address is over its rate (answer 429).
  bool admit(const std::string& address);
  // After a failed password: the locked_until to store (0 if the user is not locked yet).
  [[nodiscard]] Timestamp locked_until_after_failure(int consecutive_failures_including_this) const;
  [[nodiscard]] bool is_locked(Timestamp locked_until) const { return locked_until > clock_.now(); }
  [[nodiscard]] const LockoutPolicy& policy() const { return policy_; }

  // Addresses remembered at once. Past this a new address evicts the least recently active one,
  // so a flood of spoofed or rotating addresses cannot grow memory without bound.
  static constexpr std::size_t kMaxTrackedAddresses = 10'000;
  [[nodiscard]] std::size_t tracked_addresses();

 private:
  const Clock& clock_;
  LockoutPolicy policy_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Timestamp>> attempts_;

  void forget_idle_addresses(Timestamp window_start);
  void make_room_for_new_address(Timestamp window_start);
};

}  // namespace strata::security
