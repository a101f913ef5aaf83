#pragma once
// What a webhook receives, and what its answer means.
//
// Body: flat, self-describing JSON so chat bridges and ticket systems can map it without knowing
// Strata; times are ISO 8601 UTC:
//   {"source": "strata", "notification_id", "alarm_id", "equipment", "priority", "message",
//    "activated_at", "due_at", "level", "role", "repeat"}
// Answer: 2xx is delivered; 5xx and 429 are transient (the receiver may recover, Retry-After is
// honoured); every other status is permanent: repeating a request the receiver refused as malformed,
// unauthorised or misaddressed cannot succeed, and redirects are not followed (a webhook URL that
// redirects is a configuration error, and re-POSTing elsewhere is unsafe).
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "notify/backoff.hpp"
#include "notify/notification.hpp"

namespace strata::notify {

// Invalid UTF-8 in texts is replaced (U+FFFD) rather than failing the page.
[[nodiscard]] std::string webhook_body(const Notification& notification);

// detail is "HTTP <status>".
[[nodiscard]] AttemptResult classify_http_status(unsigned status, std::optional<Timestamp> retry_after);

}  // namespace strata::notify
