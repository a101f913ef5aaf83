#pragma once
// One e-mail delivery attempt: a fresh SMTP session (RFC 5321) from greeting to QUIT. Internal to
// the Notifier.
//
// Rules:
//  - EHLO, falling back to HELO only when EHLO is refused and no extension is needed.
//  - STARTTLS, when configured, is required: a server not offering it fails the delivery
//    permanently rather than sending the mail in clear. After STARTTLS any data the server sent
//    ahead is refused (RFC 3207 5: response injection), and EHLO is repeated.
//  - AUTH PLAIN when offered, else AUTH LOGIN. Credentials never appear in the delivery log.
//  - One transaction for all recipients of a notification. A 5xx for some recipients delivers to
//    the rest and names the rejected ones in the detail; 5xx for all fails permanently. Any 4xx,
//    including for one recipient, abandons the transaction before DATA and retries it whole, so
//    nobody gets the mail twice.
//  - 4xx replies and transport errors are transient; 5xx replies are permanent.
#include <memory>
#include <string>

#include "common/clock.hpp"
#include "notify/backoff.hpp"
#include "delivery/net.hpp"
#include "notify/notification.hpp"
#include "notify/sink_config.hpp"

namespace strata::notify {

struct SmtpTarget {
  SmtpConfig config;
  std::shared_ptr<net::ssl::context> tls;  // always set: unused with SmtpSecurity::None
  std::string client_name;                 // resolved EHLO name
};

[[nodiscard]] Result<SmtpTarget> make_smtp_target(const SmtpConfig& config);

// Mails `notification` to its e-mail recipients; `now` is the Date header. Bounded by config.timeout.
[[nodiscard]] net::awaitable<AttemptResult> send_email(const SmtpTarget& target,
                                                       const Notification& notification, Timestamp now);

}  // namespace strata::notify
