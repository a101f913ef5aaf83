#include "security/login_throttle.hpp"

#include <algorithm>
#include <iterator>

namespace strata::security {
namespace {

constexpr Timestamp kRateWindow = 60 * kMicrosPerSecond;

// Attempts at or before window_start have left the sliding minute.
void drop_old_attempts(std::deque<Timestamp>& attempts, Timestamp window_start) {
  while (!attempts.empty() && attempts.front() <= window_start) attempts.pop_front();
}

}  // namespace

LoginThrottle::LoginThrottle(const Clock& clock, LockoutPolicy policy) : clock_(clock), policy_(policy) {}

bool LoginThrottle::admit(const std::string& address) {
  const std::lock_guard lock(mutex_);
  const Timestamp now = clock_.now();
  const Timestamp window_start = now - kRateWindow;
  auto found = attempts_.find(address);
  if (found == attempts_.end()) {
    make_room_for_new_address(window_start);
    found = attempts_.emplace(address, std::deque<Timestamp>{}).first;
  }
  auto& attempts = found->second;
  drop_old_attempts(attempts, window_start);
  // Refused attempts are not recorded: the deque stays within the limit, and a client that keeps
  // hammering is admitted again once its admitted attempts have aged out.
  if (attempts.size() >= static_cast<std::size_t>(std::max(policy_.max_attempts_per_minute_per_address, 0))) {
    if (attempts.empty()) attempts_.erase(found);
    return false;
  }
  attempts.push_back(now);
  return true;
}

void LoginThrottle::forget_idle_addresses(Timestamp window_start) {
  for (auto it = attempts_.begin(); it != attempts_.end();) {
    drop_old_attempts(it->second, window_start);
    it = it->second.empty() ? attempts_.erase(it) : std::next(it);
  }
}

void LoginThrottle::make_room_for_new_address(Timestamp window_start) {
  if (attempts_.size() < kMaxTrackedAddresses) return;
  forget_idle_addresses(window_start);
  if (attempts_.size() < kMaxTrackedAddresses) return;
  // Every remembered address is active: evict the one whose latest attempt is oldest. It merely
  // gets a fresh budget, no more than an attacker gains from owning one more address.
  const auto stalest = std::min_element(attempts_.begin(), attempts_.end(), [](const auto& a, const auto& b) {
    return a.second.back() < b.second.back();
  });
  attempts_.erase(stalest);
}

std::size_t LoginThrottle::tracked_addresses() {
  const std::lock_guard lock(mutex_);
  forget_idle_addresses(clock_.now() - kRateWindow);
  return attempts_.size();
}

Timestamp LoginThrottle::locked_until_after_failure(int consecutive_failures_including_this) const {
  if (consecutive_failures_including_this < policy_.max_failures) return 0;
  return clock_.now() + policy_.lockout_duration;
}

}  // namespace strata::security
