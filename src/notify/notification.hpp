#pragma once
// What one escalation step asks to be told, and to whom. The planner produces these, the Notifier
// delivers them; the integrator may also build them by hand (e.g. a "test page" button).
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "model/alarm_notification.hpp"

namespace strata::notify {

using model::NotificationSinks;

// Where a notification goes. Webhooks are named (NotifierConfig::webhooks) so a policy never
// carries URLs or credentials; e-mail goes through the one configured SMTP server.

struct Notification {
  // Unique per (alarm occurrence, level, repeat) and stable across retries, so receivers can
  // de-duplicate: webhooks get it as Idempotency-Key, e-mail derives its Message-ID from it.
  std::string id;
  std::string alarm_id;
  std::string equipment_path;
  std::string priority;
  std::string message;
  Timestamp activated_at = 0;
  // 1 = the first configured escalation level. Level 0 is the operator, whom the cockpit's alarm
  // annunciation already tells; it is never a notification.
  int level = 0;
  std::string role;
  NotificationSinks sinks;
  Timestamp due_at = 0;  // when the escalation step was due (plant time), not when it was sent
  int repeat = 0;        // 0 = the level's first notification; k = k-th repeat interval since
  friend bool operator==(const Notification&, const Notification&) = default;
};

}  // namespace strata::notify
