#pragma once
// One line of the delivery log: every attempt to deliver a notification to one sink, so the
// integrator can journal who was told what, when, and why not.
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/name_table.hpp"

namespace strata::notify {

enum class DeliveryOutcome {
  Delivered,  // the sink accepted it; final
  Retrying,   // this attempt failed transiently; another follows after `retry_in`
  Failed,     // given up; final
};

inline constexpr NameTable<DeliveryOutcome, 3> kDeliveryOutcomeNames{{
    {DeliveryOutcome::Delivered, "delivered"},
    {DeliveryOutcome::Retrying, "retrying"},
    {DeliveryOutcome::Failed, "failed"},
}};

[[nodiscard]] constexpr std::string_view outcome_name(DeliveryOutcome outcome) {
  return name_of(kDeliveryOutcomeNames, outcome, "unknown");
}

struct DeliveryRecord {
  std::string notification_id;
  std::string sink;  // "cockpit", "webhook:<name>" or "email"
  // 1-based attempt this record reports. A notification abandoned at shutdown, or refused before
  // any attempt (unknown webhook, full queue), reports the attempts made so far, possibly 0.
  int attempt = 0;
  Timestamp at = 0;  // from the Notifier's clock
  DeliveryOutcome outcome = DeliveryOutcome::Failed;
  std::string detail;      // "HTTP 503", "connect: Connection refused", "RCPT TO: 550 ...", "shutting down"
  Timestamp retry_in = 0;  // µs until the next attempt; only for Retrying
  friend bool operator==(const DeliveryRecord&, const DeliveryRecord&) = default;
};

}  // namespace strata::notify
