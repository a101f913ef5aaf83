// URLs, HTTP status meaning, webhook JSON, SMTP replies and sink configuration checks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/http_url.hpp"
#include "notify/sink_config.hpp"
#include "notify/smtp_reply.hpp"
#include "notify/webhook_message.hpp"
#include "notify_test_time.hpp"

namespace strata::notify {
namespace {

using test::at_minute;
using test::kMidnight;
using test::seconds;

TEST(HttpUrl, ParsesWhatAPostNeeds) {
  EXPECT_EQ(parse_http_url("http://127.0.0.1:8080/hooks/alarm?x=1").value(),
            (HttpUrl{.tls = false, .host = "127.0.0.1", .port = 8080, .target = "/hooks/alarm?x=1"}));
  EXPECT_EQ(parse_http_url("https://hooks.plant.example").value(),
            (HttpUrl{.tls = true, .host = "hooks.plant.example", .port = 443, .target = "/"}));
  EXPECT_EQ(parse_http_url("http://[::1]:9000?q#frag").value(),
            (HttpUrl{.tls = false, .host = "::1", .port = 9000, .target = "/?q"}));
  EXPECT_EQ(parse_http_url("http://[::1]:9000/").value().host_header(), "[::1]:9000");
  EXPECT_EQ(parse_http_url("https://h.example:443/").value().host_header(), "h.example");
}

TEST(HttpUrl, RejectsWhatItCannotOrShouldNotUse) {
  for (const char* url : {"ftp://x/", "x.example/hook", "http://user:pw@x/", "http:///path", "http://x:0/",
                          "http://x:70000/", "http://x:8a/", "http://x/a b", "http://[::1/"}) {
    EXPECT_FALSE(parse_http_url(url)) << url;
  }
}

TEST(WebhookMessage, StatusClassesDecideRetries) {
  EXPECT_EQ(classify_http_status(200, std::nullopt).verdict, AttemptVerdict::Delivered);
  EXPECT_EQ(classify_http_status(204, std::nullopt).verdict, AttemptVerdict::Delivered);
  const auto unavailable = classify_http_status(503, seconds(7));
  EXPECT_EQ(unavailable.verdict, AttemptVerdict::TransientFailure);
  EXPECT_EQ(unavailable.detail, "HTTP 503");
  EXPECT_EQ(unavailable.retry_after, seconds(7));
  EXPECT_EQ(classify_http_status(429, std::nullopt).verdict, AttemptVerdict::TransientFailure);
  EXPECT_EQ(classify_http_status(400, std::nullopt).verdict, AttemptVerdict::PermanentFailure);
  EXPECT_EQ(classify_http_status(404, std::nullopt).verdict, AttemptVerdict::PermanentFailure);
  EXPECT_EQ(classify_http_status(408, std::nullopt).verdict, AttemptVerdict::PermanentFailure);
  EXPECT_EQ(classify_http_status(301, std::nullopt).verdict, AttemptVerdict::PermanentFailure);
}

TEST(WebhookMessage, BodyIsFlatJson) {
  const Notification notification{.id = "filler.jam@1/L1/R0",
                                  .alarm_id = "filler.jam",
                                  .equipment_path = "bottling/packaging/filler",
                                  .priority = "high",
                                  .message = "F\xC3\xBCller jammed \xFF",  // trailing invalid UTF-8
                                  .activated_at = kMidnight,
                                  .level = 1,
                                  .role = "shift_supervisor",
                                  .sinks = {},
                                  .due_at = at_minute(5),
                                  .repeat = 0};
  const auto body = nlohmann::json::parse(webhook_body(notification));
  EXPECT_EQ(body, (nlohmann::json{{"source", "strata"},
                                  {"notification_id", "filler.jam@1/L1/R0"},
                                  {"alarm_id", "filler.jam"},
                                  {"equipment", "bottling/packaging/filler"},
                                  {"priority", "high"},
                                  {"message", "F\xC3\xBCller jammed \xEF\xBF\xBD"},
                                  {"activated_at", "2026-01-01T00:00:00.000Z"},
                                  {"due_at", "2026-01-01T00:05:00.000Z"},
                                  {"level", 1},
                                  {"role", "shift_supervisor"},
                                  {"repeat", 0}}));
}

TEST(SmtpReply, ParsesSingleAndMultiLineReplies) {
  EXPECT_EQ(parse_reply_line("250 OK")->code, 250);
  EXPECT_TRUE(parse_reply_line("250 OK")->last);
  EXPECT_FALSE(parse_reply_line("250-PIPELINING")->last);
  EXPECT_EQ(parse_reply_line("250-PIPELINING")->text, "PIPELINING");
  EXPECT_TRUE(parse_reply_line("354")->last);
  EXPECT_FALSE(parse_reply_line("25 OK"));
  EXPECT_FALSE(parse_reply_line("250_OK"));
  EXPECT_FALSE(parse_reply_line("hello"));
  EXPECT_FALSE(parse_reply_line("199 low"));
}

TEST(SmtpReply, ReadsEhloExtensions) {
  const SmtpReply reply{
      .code = 250,
      .lines = {"mail.plant.example Hello", "PIPELINING", "8bitmime", "AUTH LOGIN PLAIN", "STARTTLS"}};
  const auto extensions = parse_ehlo_extensions(reply);
  EXPECT_TRUE(extensions.starttls);
  EXPECT_TRUE(extensions.eight_bit_mime);
  EXPECT_TRUE(extensions.auth_plain);
  EXPECT_TRUE(extensions.auth_login);
  EXPECT_EQ(reply.summary(), "250 mail.plant.example Hello");
  const auto bare = parse_ehlo_extensions(SmtpReply{.code = 250, .lines = {"AUTH PLAIN hidden in greeting"}});
  EXPECT_FALSE(bare.auth_plain);
}

WebhookConfig webhook(std::string url) {
  return WebhookConfig{.name = "teams",
                       .url = std::move(url),
                       .headers = {{"Authorization", "Bearer t0ken"}},
                       .timeout = seconds(5),
                       .extra_ca_file = {},
                       .backoff = {}};
}

TEST(SinkConfig, WebhookChecks) {
  EXPECT_TRUE(validate_webhook(webhook("https://hooks.plant.example/x")));
  EXPECT_FALSE(validate_webhook(webhook("mailto:x@y")));
  auto config = webhook("http://x/");
  config.headers = {{"Content-Type", "text/plain"}};
  EXPECT_FALSE(validate_webhook(config));
  config.headers = {{"X-Token", "a\r\nInjected: yes"}};
  EXPECT_FALSE(validate_webhook(config));
  config.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(validate_webhook(config));
  config = webhook("http://x/");
  config.name.clear();
  EXPECT_FALSE(validate_webhook(config));
}

TEST(SinkConfig, SmtpRefusesPasswordsInClear) {
  SmtpConfig smtp{.host = "mail.plant.example",
                  .port = 25,
                  .security = SmtpSecurity::None,
                  .extra_ca_file = {},
                  .from_address = "alarms@plant.example",
                  .from_name = "Strata",
                  .username = {},
                  .password = {},
                  .allow_auth_without_tls = false,
                  .client_name = {},
                  .timeout = seconds(10),
                  .backoff = {}};
  EXPECT_TRUE(validate_smtp(smtp));
  smtp.username = "alarms";
  smtp.password = "secret";
  const auto refused = validate_smtp(smtp);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("in clear"), std::string::npos);
  smtp.allow_auth_without_tls = true;
  EXPECT_TRUE(validate_smtp(smtp));
  smtp.security = SmtpSecurity::StartTls;
  smtp.allow_auth_without_tls = false;
  EXPECT_TRUE(validate_smtp(smtp));
  smtp.from_address = "not an address";
  EXPECT_FALSE(validate_smtp(smtp));
}

}  // namespace
}  // namespace strata::notify
