#pragma once
// How alarm escalation reaches people: escalation policies per equipment scope and priority, and the
// delivery sinks (webhooks, an SMTP server). Plain data read from the plant's `alarms:` section; the
// notify module plans and delivers. Durations are microseconds.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"

namespace strata::model {

inline constexpr std::string_view kAnyPriority = "*";

// Retries of one delivery: initial_delay, then x factor per failure up to max_delay, max_attempts in all.
struct BackoffPolicy {
  Timestamp initial_delay = 2 * kMicrosPerSecond;  // µs
  double factor = 2.0;
  Timestamp max_delay = 300 * kMicrosPerSecond;  // µs
  int max_attempts = 6;                          // including the first
};

struct NotificationSinks {
  bool cockpit = false;                       // the cockpit's notification panel (not the annunciation)
  std::vector<std::string> webhooks;          // WebhookConfig::name values
  std::vector<std::string> email_recipients;  // plain addresses, "ops@plant.example"
  friend bool operator==(const NotificationSinks&, const NotificationSinks&) = default;
};

struct EscalationLevel {
  Timestamp after = 0;  // µs after activation (parse_duration's unit); 0 = at activation
  std::string role;     // e.g. "shift_supervisor"; reported with the notification
  NotificationSinks sinks;
};

struct EscalationPolicy {
  std::string scope;     // equipment path prefix; "" = whole plant
  std::string priority;  // priority name, or kAnyPriority
  std::vector<EscalationLevel> levels;
  std::optional<Timestamp> repeat;  // µs between re-notifications of the last level
};

struct WebhookConfig {
  std::string name;  // what policies refer to
  std::string url;   // http:// or https://
  // Extra request headers, e.g. {"Authorization", "Bearer ..."}. Host, Content-Type, Content-Length,
  // Transfer-Encoding, Connection, User-Agent and Idempotency-Key are the Notifier's and refused here.
  std::vector<std::pair<std::string, std::string>> headers;
  Timestamp timeout = 10 * kMicrosPerSecond;  // whole attempt: resolve, connect, TLS, request, response
  // PEM file of CAs trusted in addition to the system store (an in-house CA); empty = system only.
  std::string extra_ca_file;
  BackoffPolicy backoff;
};

enum class SmtpSecurity {
  None,         // plain TCP; only for a relay on a trusted network
  StartTls,     // RFC 3207: required, never silently skipped when the server does not offer it
  ImplicitTls,  // TLS from the first byte (port 465, RFC 8314)
};

struct SmtpConfig {
  std::string host;
  unsigned short port = 587;
  SmtpSecurity security = SmtpSecurity::StartTls;
  std::string extra_ca_file;  // as WebhookConfig::extra_ca_file
  std::string from_address;   // envelope sender and From
  std::string from_name = "Strata";
  // AUTH (PLAIN preferred, else LOGIN) when username is set. Refused without TLS unless allowed:
  // a password must not cross the network in clear by accident.
  std::string username;
  std::string password;        // never in the plant file: filled from the `password_env` variable at start
  std::string password_env{};  // name of the environment variable holding the password
  bool allow_auth_without_tls = false;
  std::string client_name;                    // EHLO name; empty = this host's name
  Timestamp timeout = 30 * kMicrosPerSecond;  // whole attempt, greeting to QUIT
  BackoffPolicy backoff;
};

struct AlarmNotifications {
  std::vector<EscalationPolicy> escalation;
  std::vector<WebhookConfig> webhooks;
  std::optional<SmtpConfig> smtp;
};

}  // namespace strata::model
