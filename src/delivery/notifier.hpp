#pragma once
// Notification delivery on its own thread: the engine hands notifications over without blocking,
// and each goes to its sinks (cockpit callback, webhooks, e-mail) with retries and a delivery log.
//
// Rules:
//  - submit() never blocks on I/O: it queues and returns. It may call the delivery log itself for a
//    sink it refuses at once (unknown webhook, no SMTP configured, queue full, stopped).
//  - Each sink (the cockpit, each webhook, the SMTP server) has its own FIFO lane, delivered one
//    notification at a time: a dead webhook delays only its own lane, and a receiver sees level 1
//    before level 2. A lane holds at most max_queued_per_sink waiting notifications; beyond that new
//    ones fail with "queue full" (memory stays bounded while a sink is down for hours).
//  - Every attempt produces one DeliveryRecord (see backoff.hpp for the retry rules); a
//    notification's record sequence for a sink ends with exactly one Delivered or Failed.
//  - The log callback is never called concurrently with itself (calls are serialised), from the
//    worker thread or, for refusals, from the thread calling submit() or stop(). It must not call
//    back into the Notifier.
//  - stop() abandons, it does not drain: in-flight attempts and backoff waits are cut short, and
//    every notification not yet delivered gets a Failed record "shutting down". A shutdown must not
//    hang on an unreachable server; the journal shows exactly what was not delivered. An attempt cut
//    short may still have reached its receiver (the request was sent, the answer not read); the
//    notification id lets receivers drop such duplicates.
//  - Cockpit notifications go to NotifierConfig::cockpit on the worker thread, recorded as
//    delivered once it returns. Without that callback, cockpit sinks are ignored (the integrator
//    then shows them itself).
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "notify/delivery_record.hpp"
#include "notify/notification.hpp"
#include "notify/sink_config.hpp"

namespace strata::notify {

struct NotifierConfig {
  std::vector<WebhookConfig> webhooks;
  std::optional<SmtpConfig> smtp;
  std::function<void(const Notification&)> cockpit;
  std::size_t max_queued_per_sink = 1000;
};

using DeliveryLog = std::function<void(const DeliveryRecord&)>;

class Notifier {
 public:
  // Validates the configuration (URLs, headers, addresses, backoff, CA files) and starts the worker.
  // `clock` stamps the delivery records and the e-mail Date; it must outlive the Notifier.
  [[nodiscard]] static Result<std::unique_ptr<Notifier>> start(NotifierConfig config, DeliveryLog log,
                                                               const Clock& clock);
  ~Notifier();  // stop()
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void submit(Notification notification);
  // Idempotent; returns once the worker has stopped and the abandoned notifications are logged.
  void stop();

 private:
  struct Impl;
  explicit Notifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::notify
