#include "notify/backoff.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace strata::notify {
namespace {

// Retry-After values beyond a day are nonsense for alarm paging; this only keeps the arithmetic safe
// (max_delay caps the real wait anyway).
constexpr std::int64_t kLongestRetryAfterSeconds = 86'400;

}  // namespace

Result<void> validate_backoff(const BackoffPolicy& policy) {
  if (policy.max_attempts < 1) return make_error("backoff: max_attempts must be at least 1");
  if (policy.initial_delay < 0) return make_error("backoff: initial_delay must not be negative");
  if (policy.max_delay < policy.initial_delay) return make_error("backoff: max_delay is below initial_delay");
  if (!std::isfinite(policy.factor) || policy.factor < 1.0) {
    return make_error("backoff: factor must be a finite number >= 1");
  }
  return {};
}

Timestamp backoff_delay(const BackoffPolicy& policy, int failed_attempts) {
  const int exponent = std::max(failed_attempts, 1) - 1;
  const double delay = static_cast<double>(policy.initial_delay) * std::pow(policy.factor, exponent);
  // Compare as double first: factor^n overflows any integer long before it is capped.
  if (!(delay < static_cast<double>(policy.max_delay))) return policy.max_delay;
  return static_cast<Timestamp>(delay);
}

RetryStep next_step(const BackoffPolicy& policy, int attempt, const AttemptResult& result) {
  switch (result.verdict) {
    case AttemptVerdict::Delivered:
      return RetryStep{.outcome = DeliveryOutcome::Delivered, .detail = result.detail, .wait = 0};
    case AttemptVerdict::PermanentFailure:
      return RetryStep{.outcome = DeliveryOutcome::Failed, .detail = result.detail, .wait = 0};
    case AttemptVerdict::TransientFailure:
      break;
  }
  if (attempt >= policy.max_attempts) {
    return RetryStep{.outcome = DeliveryOutcome::Failed,
                     .detail = fmt::format("{}; gave up after {} attempts", result.detail, attempt),
                     .wait = 0};
  }
  Timestamp wait = backoff_delay(policy, attempt);
  if (result.retry_after) wait = std::min(std::max(wait, *result.retry_after), policy.max_delay);
  return RetryStep{.outcome = DeliveryOutcome::Retrying, .detail = result.detail, .wait = wait};
}

std::optional<Timestamp> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc::result_out_of_range) return kLongestRetryAfterSeconds * kMicrosPerSecond;
  if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::min(seconds, kLongestRetryAfterSeconds) * kMicrosPerSecond;
}

}  // namespace strata::notify
