#include "delivery/notifier.hpp"

#include <fmt/core.h>

#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "notify/backoff.hpp"
#include "delivery/net.hpp"
#include "delivery/smtp_client.hpp"
#include "delivery/transport.hpp"
#include "delivery/webhook_client.hpp"
#include "notify/webhook_message.hpp"

namespace strata::notify {
namespace {

constexpr std::string_view kCockpitSink = "cockpit";
constexpr std::string_view kEmailSink = "email";
constexpr std::string_view kShuttingDown = "shutting down";

std::string webhook_sink(std::string_view name) {
  return fmt::format("webhook:{}", name);
}

enum class LaneKind { Cockpit, Webhook, Email };

struct Job {
  std::shared_ptr<const Notification> notification;
  int attempts = 0;  // made so far, including one in flight
};

// One sink's FIFO of notifications, worked off by one coroutine at a time.
struct Lane {
  LaneKind kind = LaneKind::Cockpit;
  std::string sink;
  const WebhookTarget* webhook = nullptr;  // for LaneKind::Webhook
  std::deque<Job> waiting;
  std::optional<Job> current;
  bool running = false;  // a coroutine owns the lane
};

// Exceptions escaping a delivery coroutine are bugs: rethrown from io_context::run(), they end the
// process loudly instead of vanishing as with asio::detached.
void rethrow_bugs(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

}  // namespace

struct Notifier::Impl {
  explicit Impl(const Clock& clock_in) : clock(clock_in) {}

  void record(const DeliveryRecord& record) {
    std::lock_guard lock(log_mutex);
    if (log) log(record);
  }

  [[nodiscard]] DeliveryRecord refusal(const Notification& notification, std::string sink, int attempts,
                                       std::string detail) const {
    return DeliveryRecord{.notification_id = notification.id,
                          .sink = std::move(sink),
                          .attempt = attempts,
                          .at = clock.now(),
                          .outcome = DeliveryOutcome::Failed,
                          .detail = std::move(detail),
                          .retry_in = 0};
  }

  // Under `mutex`. Queues on the sink's lane, or returns why not.
  std::optional<DeliveryRecord> enqueue(LaneKind kind, const std::string& sink, const WebhookTarget* webhook,
                                        const std::shared_ptr<const Notification>& notification,
                                        std::vector<Lane*>& lanes_to_start) {
    if (stopped) return refusal(*notification, sink, 0, std::string(kShuttingDown));
    Lane& lane = lanes
                     .try_emplace(sink, Lane{.kind = kind,
                                             .sink = sink,
                                             .webhook = webhook,
                                             .waiting = {},
                                             .current = std::nullopt,
                                             .running = false})
                     .first->second;
    if (lane.waiting.size() >= max_queued_per_sink) {
      return refusal(*notification, sink, 0, fmt::format("queue full ({} waiting)", lane.waiting.size()));
    }
    lane.waiting.push_back(Job{.notification = notification, .attempts = 0});
    if (!lane.running) {
      lane.running = true;
      lanes_to_start.push_back(&lane);
    }
    return std::nullopt;
  }

  void start_lane(Lane& lane) {
    net::post(io, [this, &lane] { net::co_spawn(io, run_lane(lane), rethrow_bugs); });
  }

  std::shared_ptr<const Notification> take_next(Lane& lane) {
    std::lock_guard lock(mutex);
    if (lane.waiting.empty()) {
      lane.running = false;
      return nullptr;
    }
    lane.current = std::move(lane.waiting.front());
    lane.waiting.pop_front();
    return lane.current->notification;
  }

  void note_attempt(Lane& lane, int attempt) {
    std::lock_guard lock(mutex);
    if (lane.current) lane.current->attempts = attempt;
  }

  void finish_current(Lane& lane) {
    std::lock_guard lock(mutex);
    lane.current.reset();
  }

  // Coroutines here follow the rules in net.hpp (g++ 12).
  net::awaitable<void> run_lane(Lane& lane) {
    for (;;) {
      const std::shared_ptr<const Notification> notification = take_next(lane);
      if (!notification) co_return;
      co_await deliver(lane, *notification);
      finish_current(lane);
    }
  }

  net::awaitable<void> deliver(Lane& lane, const Notification& notification) {
    if (lane.kind == LaneKind::Cockpit) {
      note_attempt(lane, 1);
      cockpit(notification);
      record(DeliveryRecord{.notification_id = notification.id,
                            .sink = lane.sink,
                            .attempt = 1,
                            .at = clock.now(),
                            .outcome = DeliveryOutcome::Delivered,
                            .detail = {},
                            .retry_in = 0});
      co_return;
    }
    const BackoffPolicy& backoff =
        lane.kind == LaneKind::Webhook ? lane.webhook->config.backoff : smtp->config.backoff;
    const auto executor = co_await net::this_coro::executor;
    net::steady_timer pause(executor);
    const std::string body = lane.kind == LaneKind::Webhook ? webhook_body(notification) : std::string{};
    for (int attempt = 1;; ++attempt) {
      note_attempt(lane, attempt);
      AttemptResult result;
      if (lane.kind == LaneKind::Webhook) {
        result = co_await post_webhook(*lane.webhook, body, notification.id);
      } else {
        const Timestamp now = clock.now();
        result = co_await send_email(*smtp, notification, now);
      }
      const RetryStep step = next_step(backoff, attempt, result);
      record(DeliveryRecord{.notification_id = notification.id,
                            .sink = lane.sink,
                            .attempt = attempt,
                            .at = clock.now(),
                            .outcome = step.outcome,
                            .detail = step.detail,
                            .retry_in = step.wait});
      if (step.outcome != DeliveryOutcome::Retrying) co_return;
      // stop() cuts this short by stopping the io_context; the frame is then destroyed unresumed.
      pause.expires_after(as_duration(step.wait));
      error_code ignored;
      co_await pause.async_wait(capture(ignored));
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      if (stopped) return;
      stopped = true;
    }
    work.reset();
    io.stop();
    if (worker.joinable()) worker.join();
    // The worker is gone: whatever a lane still holds was not delivered.
    std::vector<DeliveryRecord> abandoned;
    {
      std::lock_guard lock(mutex);
      for (auto& [sink, lane] : lanes) {
        if (lane.current) {
          abandoned.push_back(
              refusal(*lane.current->notification, sink, lane.current->attempts, std::string(kShuttingDown)));
        }
        for (const Job& job : lane.waiting) {
          abandoned.push_back(refusal(*job.notification, sink, 0, std::string(kShuttingDown)));
        }
        lane.current.reset();
        lane.waiting.clear();
      }
    }
    for (const auto& record_entry : abandoned) record(record_entry);
  }

  const Clock& clock;
  DeliveryLog log;
  std::function<void(const Notification&)> cockpit;
  std::size_t max_queued_per_sink = 0;
  std::map<std::string, WebhookTarget, std::less<>> webhooks;  // by name
  std::optional<SmtpTarget> smtp;
  std::mutex log_mutex;  // serialises the log callback
  std::mutex mutex;      // lanes, stopped
  std::map<std::string, Lane> lanes;
  bool stopped = false;
  // Declared last so it is destroyed first: suspended delivery coroutines are destroyed with it,
  // while the targets and lanes they refer to still exist.
  net::io_context io;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::thread worker;
};

Result<std::unique_ptr<Notifier>> Notifier::start(NotifierConfig config, DeliveryLog log,
                                                  const Clock& clock) {
  if (config.max_queued_per_sink == 0) return make_error("notifier: max_queued_per_sink must be at least 1");
  auto impl = std::make_unique<Impl>(clock);
  for (const auto& webhook : config.webhooks) {
    auto target = make_webhook_target(webhook);
    if (!target) return target.error();
    if (!impl->webhooks.emplace(webhook.name, std::move(target.value())).second) {
      return make_error(fmt::format("webhook '{}' is defined twice", webhook.name));
    }
  }
  if (config.smtp) {
    auto target = make_smtp_target(*config.smtp);
    if (!target) return target.error();
    impl->smtp = std::move(target.value());
  }
  impl->log = std::move(log);
  impl->cockpit = std::move(config.cockpit);
  impl->max_queued_per_sink = config.max_queued_per_sink;
  impl->work.emplace(impl->io.get_executor());
  Impl* running = impl.get();
  impl->worker = std::thread([running] { running->io.run(); });
  return std::unique_ptr<Notifier>(new Notifier(std::move(impl)));
}

Notifier::Notifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Notifier::~Notifier() {
  stop();
}

void Notifier::submit(Notification notification) {
  const auto shared = std::make_shared<const Notification>(std::move(notification));
  const NotificationSinks& sinks = shared->sinks;
  std::vector<DeliveryRecord> refusals;
  std::vector<Lane*> lanes_to_start;
  {
    std::lock_guard lock(impl_->mutex);
    auto refuse_or_queue = [&](std::optional<DeliveryRecord> refused) {
      if (refused) refusals.push_back(std::move(*refused));
    };
    if (sinks.cockpit && impl_->cockpit) {
      refuse_or_queue(
          impl_->enqueue(LaneKind::Cockpit, std::string(kCockpitSink), nullptr, shared, lanes_to_start));
    }
    for (const auto& name : sinks.webhooks) {
      const std::string sink = webhook_sink(name);
      const auto target = impl_->webhooks.find(name);
      if (target == impl_->webhooks.end()) {
        refusals.push_back(impl_->refusal(*shared, sink, 0, fmt::format("unknown webhook '{}'", name)));
        continue;
      }
      refuse_or_queue(impl_->enqueue(LaneKind::Webhook, sink, &target->second, shared, lanes_to_start));
    }
    if (!sinks.email_recipients.empty()) {
      if (!impl_->smtp) {
        refusals.push_back(impl_->refusal(*shared, std::string(kEmailSink), 0, "no SMTP server configured"));
      } else {
        refuse_or_queue(
            impl_->enqueue(LaneKind::Email, std::string(kEmailSink), nullptr, shared, lanes_to_start));
      }
    }
  }
  for (Lane* lane : lanes_to_start) impl_->start_lane(*lane);
  for (const auto& refused : refusals) impl_->record(refused);
}

void Notifier::stop() {
  impl_->stop();
}

}  // namespace strata::notify
