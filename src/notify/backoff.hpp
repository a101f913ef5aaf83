#pragma once
// Retry schedule for deliveries, as pure functions so the exact schedule is unit-tested; only the
// Notifier's waiting between attempts uses real time.
//
// Rules:
//  - The wait after the n-th failed attempt is initial_delay * factor^(n-1), capped at max_delay.
//  - A server's Retry-After (seconds) replaces that wait when it is longer, but is capped at
//    max_delay too: max_delay is the operator's bound on how stale a page may become, and a page
//    an hour late is worse than one more attempt that may be refused again.
//  - Transient failures are retried until max_attempts attempts were made; permanent failures and
//    the last allowed attempt end in Failed.
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "model/alarm_notification.hpp"
#include "notify/delivery_record.hpp"

namespace strata::notify {

using model::BackoffPolicy;

[[nodiscard]] Result<void> validate_backoff(const BackoffPolicy& policy);

// The wait after `failed_attempts` (>= 1) failed attempts, before the next one.
[[nodiscard]] Timestamp backoff_delay(const BackoffPolicy& policy, int failed_attempts);

enum class AttemptVerdict {
  Delivered,
  TransientFailure,  // connection errors, timeouts, HTTP 5xx/429, SMTP 4xx
  PermanentFailure,  // other HTTP 4xx, SMTP 5xx, bad certificate, misconfiguration
};

struct AttemptResult {
  AttemptVerdict verdict = AttemptVerdict::TransientFailure;
  std::string detail;
  std::optional<Timestamp> retry_after;  // µs the server asked us to wait (HTTP Retry-After)
};

struct RetryStep {
  DeliveryOutcome outcome = DeliveryOutcome::Failed;
  std::string detail;
  Timestamp wait = 0;  // µs before the next attempt; only for Retrying
};

// What follows attempt number `attempt` (1-based) that ended in `result`.
[[nodiscard]] RetryStep next_step(const BackoffPolicy& policy, int attempt, const AttemptResult& result);

// Retry-After as delay-seconds ("120"); nullopt for the HTTP-date form or anything malformed, in
// which case the computed backoff applies.
[[nodiscard]] std::optional<Timestamp> parse_retry_after(std::string_view value);

}  // namespace strata::notify
