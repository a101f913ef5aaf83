// The Notifier's webhook sink against a real HTTP server on 127.0.0.1.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "delivery_log_recorder.hpp"
#include "http_peer.hpp"
#include "delivery/notifier.hpp"
#include "notify/webhook_message.hpp"
#include "notify_test_time.hpp"
#include "test_certificate.hpp"

namespace strata::notify {
namespace {

using test::at_minute;
using test::DeliveryLogRecorder;
using test::HttpPeer;
using test::kMidnight;
using test::ScriptedResponse;

constexpr Timestamp kMillis = kMicrosPerMilli;
// Short real waits keep the suite fast; the schedule itself is checked exactly via retry_in.
constexpr BackoffPolicy kFastBackoff{
    .initial_delay = 10 * kMillis, .factor = 2.0, .max_delay = 40 * kMillis, .max_attempts = 4};

Notification supervisor_page(std::string id = "filler.jam@1/L1/R0",
                             std::vector<std::string> webhooks = {"ops"}) {
  return Notification{.id = std::move(id),
                      .alarm_id = "filler.jam",
                      .equipment_path = "bottling/packaging/filler",
                      .priority = "high",
                      .message = "Filler jammed",
                      .activated_at = kMidnight,
                      .level = 1,
                      .role = "shift_supervisor",
                      .sinks = {.cockpit = false, .webhooks = std::move(webhooks), .email_recipients = {}},
                      .due_at = at_minute(5),
                      .repeat = 0};
}

WebhookConfig ops_webhook(std::string url, BackoffPolicy backoff = kFastBackoff) {
  return WebhookConfig{.name = "ops",
                       .url = std::move(url),
                       .headers = {{"Authorization", "Bearer t0ken"}},
                       .timeout = 5 * kMicrosPerSecond,
                       .extra_ca_file = {},
                       .backoff = backoff};
}

std::unique_ptr<Notifier> start_notifier(NotifierConfig config, DeliveryLogRecorder& log,
                                         const Clock& clock) {
  auto notifier = Notifier::start(std::move(config), log.callback(), clock);
  EXPECT_TRUE(notifier) << notifier.error().message;
  return notifier ? std::move(notifier.value()) : nullptr;
}

DeliveryRecord record(const std::string& id, int attempt, Timestamp at, DeliveryOutcome outcome,
                      std::string detail, Timestamp retry_in = 0, std::string sink = "webhook:ops") {
  return DeliveryRecord{.notification_id = id,
                        .sink = std::move(sink),
                        .attempt = attempt,
                        .at = at,
                        .outcome = outcome,
                        .detail = std::move(detail),
                        .retry_in = retry_in};
}

class WebhookDelivery : public ::testing::Test {
 protected:
  ManualClock clock_{at_minute(5)};  // stamps the records; the real waits do not move it
  DeliveryLogRecorder log_;
};

TEST_F(WebhookDelivery, ServerErrorsAreRetriedWithBackoffUntilDelivered) {
  HttpPeer peer({{.status = 500, .headers = {}, .hang = false},
                 {.status = 502, .headers = {}, .hang = false},
                 {.status = 200, .headers = {}, .hang = false}});
  auto notifier = start_notifier({.webhooks = {ops_webhook(peer.url("/hooks/alarm"))},
                                  .smtp = {},
                                  .cockpit = {},
                                  .max_queued_per_sink = 10},
                                 log_, clock_);
  const Notification page = supervisor_page();
  notifier->submit(page);
  ASSERT_TRUE(log_.wait_for_final(1));
  notifier->stop();

  const auto id = page.id;
  EXPECT_EQ(log_.records(),
            (std::vector<DeliveryRecord>{
                record(id, 1, at_minute(5), DeliveryOutcome::Retrying, "HTTP 500", 10 * kMillis),
                record(id, 2, at_minute(5), DeliveryOutcome::Retrying, "HTTP 502", 20 * kMillis),
                record(id, 3, at_minute(5), DeliveryOutcome::Delivered, "HTTP 200"),
            }));
  const auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 3U);
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/hooks/alarm");
    EXPECT_EQ(request.headers.at("content-type"), "application/json");
    EXPECT_EQ(request.headers.at("authorization"), "Bearer t0ken");
    EXPECT_EQ(request.headers.at("idempotency-key"), id);  // the same on every retry
    EXPECT_EQ(request.headers.at("host"), peer.url("").substr(7));
    EXPECT_EQ(request.body, webhook_body(page));
  }
  const auto body = nlohmann::json::parse(requests.back().body);
  EXPECT_EQ(body.at("alarm_id"), "filler.jam");
  EXPECT_EQ(body.at("equipment"), "bottling/packaging/filler");
  EXPECT_EQ(body.at("role"), "shift_supervisor");
  EXPECT_EQ(body.at("level"), 1);
  EXPECT_EQ(body.at("due_at"), "2026-01-01T00:05:00.000Z");
}

TEST_F(WebhookDelivery, ClientErrorsAreNotRetried) {
  HttpPeer peer(
      {{.status = 400, .headers = {}, .hang = false}, {.status = 200, .headers = {}, .hang = false}});
  auto notifier = start_notifier(
      {.webhooks = {ops_webhook(peer.url("/"))}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}, log_,
      clock_);
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  notifier->stop();  // the worker is gone: no attempt can still be under way
  EXPECT_EQ(log_.records(), (std::vector<DeliveryRecord>{record(supervisor_page().id, 1, at_minute(5),
                                                                DeliveryOutcome::Failed, "HTTP 400")}));
  EXPECT_EQ(peer.requests().size(), 1U);
}

TEST_F(WebhookDelivery, TooManyRequestsHonoursRetryAfterWithinTheCap) {
  HttpPeer peer({{.status = 429, .headers = {{"Retry-After", "3600"}}, .hang = false},
                 {.status = 503, .headers = {{"Retry-After", "0"}}, .hang = false},
                 {.status = 204, .headers = {}, .hang = false}});
  auto notifier = start_notifier(
      {.webhooks = {ops_webhook(peer.url("/"))}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}, log_,
      clock_);
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  const auto records = log_.records();
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].detail, "HTTP 429");
  EXPECT_EQ(records[0].retry_in, kFastBackoff.max_delay);  // an hour asked, the cap applies
  EXPECT_EQ(records[1].detail, "HTTP 503");
  EXPECT_EQ(records[1].retry_in, 20 * kMillis);  // "0" is shorter than the backoff: backoff wins
  EXPECT_EQ(records[2].outcome, DeliveryOutcome::Delivered);
  EXPECT_EQ(records[2].detail, "HTTP 204");
}

TEST_F(WebhookDelivery, RefusedConnectionsAreRetriedThenFail) {
  test::RefusingPort refusing;
  auto notifier =
      start_notifier({.webhooks = {ops_webhook(fmt::format("http://127.0.0.1:{}/", refusing.port()))},
                      .smtp = {},
                      .cockpit = {},
                      .max_queued_per_sink = 10},
                     log_, clock_);
  const auto id = supervisor_page().id;
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  EXPECT_EQ(
      log_.records(),
      (std::vector<DeliveryRecord>{
          record(id, 1, at_minute(5), DeliveryOutcome::Retrying, "connect: Connection refused", 10 * kMillis),
          record(id, 2, at_minute(5), DeliveryOutcome::Retrying, "connect: Connection refused", 20 * kMillis),
          record(id, 3, at_minute(5), DeliveryOutcome::Retrying, "connect: Connection refused", 40 * kMillis),
          record(id, 4, at_minute(5), DeliveryOutcome::Failed,
                 "connect: Connection refused; gave up after 4 attempts"),
      }));
}

TEST_F(WebhookDelivery, UnansweredRequestsTimeOutAndAreRetried) {
  HttpPeer peer({{.status = 0, .headers = {}, .hang = true}, {.status = 200, .headers = {}, .hang = false}});
  auto webhook = ops_webhook(peer.url("/"));
  webhook.timeout = 200 * kMillis;
  auto notifier = start_notifier(
      {.webhooks = {webhook}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}, log_, clock_);
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  const auto records = log_.records();
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].outcome, DeliveryOutcome::Retrying);
  EXPECT_EQ(records[0].detail, "reading the response: timed out after 200 ms");
  EXPECT_EQ(records[1].outcome, DeliveryOutcome::Delivered);
  EXPECT_EQ(peer.requests().size(), 2U);
}

TEST_F(WebhookDelivery, HttpsTrustsAConfiguredCaFile) {
  const test::TestCertificate certificate;
  HttpPeer peer({{.status = 200, .headers = {}, .hang = false}}, &certificate);
  auto webhook = ops_webhook(peer.url("/secure"));
  webhook.extra_ca_file = certificate.certificate_file();
  auto notifier = start_notifier(
      {.webhooks = {webhook}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}, log_, clock_);
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  EXPECT_EQ(log_.records().back().outcome, DeliveryOutcome::Delivered) << log_.records().back().detail;
  ASSERT_EQ(peer.requests().size(), 1U);
  EXPECT_EQ(peer.requests()[0].body, webhook_body(supervisor_page()));
}

TEST_F(WebhookDelivery, HttpsRejectsAnUntrustedCertificateWithoutRetrying) {
  const test::TestCertificate certificate;
  HttpPeer peer({{.status = 200, .headers = {}, .hang = false}}, &certificate);
  auto notifier = start_notifier(
      {.webhooks = {ops_webhook(peer.url("/"))}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}, log_,
      clock_);
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  const auto records = log_.records();
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].outcome, DeliveryOutcome::Failed);
  EXPECT_TRUE(records[0].detail.starts_with("TLS: certificate rejected: ")) << records[0].detail;
  EXPECT_TRUE(peer.requests().empty());
}

TEST_F(WebhookDelivery, HttpsRejectsACertificateForAnotherHost) {
  const test::TestCertificate certificate("DNS:hooks.elsewhere.example");
  HttpPeer peer({{.status = 200, .headers = {}, .hang = false}}, &certificate);
  auto webhook = ops_webhook(peer.url("/"));
  webhook.extra_ca_file = certificate.certificate_file();  // trusted, but not for 127.0.0.1
  auto notifier = start_notifier(
      {.webhooks = {webhook}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}, log_, clock_);
  notifier->submit(supervisor_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  const auto records = log_.records();
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(records[0].detail, "TLS: certificate rejected: IP address mismatch");
}

TEST_F(WebhookDelivery, StopAbandonsWaitingAndInFlightDeliveriesWithARecord) {
  HttpPeer peer({{.status = 503, .headers = {}, .hang = false}});
  const BackoffPolicy patient{.initial_delay = 3600 * kMicrosPerSecond,
                              .factor = 2.0,
                              .max_delay = 3600 * kMicrosPerSecond,
                              .max_attempts = 10};
  auto notifier = start_notifier({.webhooks = {ops_webhook(peer.url("/"), patient)},
                                  .smtp = {},
                                  .cockpit = {},
                                  .max_queued_per_sink = 10},
                                 log_, clock_);
  notifier->submit(supervisor_page("first"));
  ASSERT_TRUE(log_.wait_for_outcome(DeliveryOutcome::Retrying));  // now waiting an hour for attempt 2
  notifier->submit(supervisor_page("second"));
  notifier->submit(supervisor_page("third"));
  clock_.advance(kMicrosPerSecond);
  notifier->stop();  // must not wait out the hour
  notifier->submit(supervisor_page("late"));

  const Timestamp stopped_at = at_minute(5) + kMicrosPerSecond;
  EXPECT_EQ(
      log_.records(),
      (std::vector<DeliveryRecord>{
          record("first", 1, at_minute(5), DeliveryOutcome::Retrying, "HTTP 503", 3600 * kMicrosPerSecond),
          record("first", 1, stopped_at, DeliveryOutcome::Failed, "shutting down"),
          record("second", 0, stopped_at, DeliveryOutcome::Failed, "shutting down"),
          record("third", 0, stopped_at, DeliveryOutcome::Failed, "shutting down"),
          record("late", 0, stopped_at, DeliveryOutcome::Failed, "shutting down"),
      }));
  EXPECT_EQ(peer.requests().size(), 1U);
}

TEST_F(WebhookDelivery, AFullLaneRefusesMoreInsteadOfGrowing) {
  HttpPeer peer({{.status = 503, .headers = {}, .hang = false}});
  const BackoffPolicy patient{.initial_delay = 3600 * kMicrosPerSecond,
                              .factor = 2.0,
                              .max_delay = 3600 * kMicrosPerSecond,
                              .max_attempts = 10};
  auto notifier = start_notifier({.webhooks = {ops_webhook(peer.url("/"), patient)},
                                  .smtp = {},
                                  .cockpit = {},
                                  .max_queued_per_sink = 2},
                                 log_, clock_);
  notifier->submit(supervisor_page("in-flight"));
  ASSERT_TRUE(log_.wait_for_outcome(DeliveryOutcome::Retrying));
  notifier->submit(supervisor_page("waiting-1"));
  notifier->submit(supervisor_page("waiting-2"));
  notifier->submit(supervisor_page("overflow"));
  const auto records = log_.records();
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[1],
            record("overflow", 0, at_minute(5), DeliveryOutcome::Failed, "queue full (2 waiting)"));
}

TEST_F(WebhookDelivery, EachWebhookHasItsOwnLane) {
  HttpPeer dead({{.status = 503, .headers = {}, .hang = false}});
  HttpPeer alive({{.status = 200, .headers = {}, .hang = false}});
  const BackoffPolicy patient{.initial_delay = 3600 * kMicrosPerSecond,
                              .factor = 2.0,
                              .max_delay = 3600 * kMicrosPerSecond,
                              .max_attempts = 10};
  auto teams = ops_webhook(alive.url("/"));
  teams.name = "teams";
  auto notifier = start_notifier({.webhooks = {ops_webhook(dead.url("/"), patient), teams},
                                  .smtp = {},
                                  .cockpit = {},
                                  .max_queued_per_sink = 10},
                                 log_, clock_);
  notifier->submit(supervisor_page("page-1", {"ops", "teams"}));
  notifier->submit(supervisor_page("page-2", {"ops", "teams"}));
  ASSERT_TRUE(log_.wait_for_final(2));  // both delivered to teams while ops waits an hour
  std::vector<std::string> delivered;
  for (const auto& entry : log_.records()) {
    if (entry.outcome == DeliveryOutcome::Delivered)
      delivered.push_back(entry.notification_id + " " + entry.sink);
  }
  EXPECT_EQ(delivered, (std::vector<std::string>{"page-1 webhook:teams", "page-2 webhook:teams"}));
}

TEST_F(WebhookDelivery, CockpitUnknownWebhooksAndMissingSmtp) {
  std::vector<std::string> shown;
  std::mutex shown_mutex;
  auto notifier = start_notifier({.webhooks = {},
                                  .smtp = {},
                                  .cockpit =
                                      [&](const Notification& notification) {
                                        std::lock_guard lock(shown_mutex);
                                        shown.push_back(notification.id);
                                      },
                                  .max_queued_per_sink = 10},
                                 log_, clock_);
  Notification page = supervisor_page("page", {"nowhere"});
  page.sinks.cockpit = true;
  page.sinks.email_recipients = {"supervisor@plant.example"};
  notifier->submit(page);
  ASSERT_TRUE(log_.wait_for_final(3));
  notifier->stop();
  auto records = log_.records();
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.sink < b.sink; });
  EXPECT_EQ(
      records,
      (std::vector<DeliveryRecord>{
          record("page", 1, at_minute(5), DeliveryOutcome::Delivered, "", 0, "cockpit"),
          record("page", 0, at_minute(5), DeliveryOutcome::Failed, "no SMTP server configured", 0, "email"),
          record("page", 0, at_minute(5), DeliveryOutcome::Failed, "unknown webhook 'nowhere'", 0,
                 "webhook:nowhere"),
      }));
  EXPECT_EQ(shown, (std::vector<std::string>{"page"}));
}

TEST(NotifierStart, RejectsBadConfiguration) {
  const ManualClock clock;
  const auto start = [&](NotifierConfig config) { return Notifier::start(std::move(config), {}, clock); };
  auto missing_ca = ops_webhook("https://127.0.0.1:1/");
  missing_ca.extra_ca_file = "/nonexistent/ca.pem";
  const auto no_ca = start({.webhooks = {missing_ca}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10});
  ASSERT_FALSE(no_ca);
  EXPECT_NE(no_ca.error().message.find("cannot load CA file '/nonexistent/ca.pem'"), std::string::npos);

  const auto twice =
      start({.webhooks = {ops_webhook("http://127.0.0.1:1/"), ops_webhook("http://127.0.0.1:2/")},
             .smtp = {},
             .cockpit = {},
             .max_queued_per_sink = 10});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "webhook 'ops' is defined twice");

  EXPECT_FALSE(
      start({.webhooks = {ops_webhook("ftp://x/")}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 10}));
  EXPECT_FALSE(start({.webhooks = {}, .smtp = {}, .cockpit = {}, .max_queued_per_sink = 0}));
}

}  // namespace
}  // namespace strata::notify
