// The Notifier's e-mail sink against a real SMTP server (smtp-server from npm, peers/smtp_peer.cjs)
// on 127.0.0.1: envelope, headers and body as received, STARTTLS, AUTH, retries.
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "delivery_log_recorder.hpp"
#include "http_peer.hpp"
#include "node_smtp_peer.hpp"
#include "notify/backoff.hpp"
#include "notify/email_message.hpp"
#include "delivery/notifier.hpp"
#include "notify/text_encoding.hpp"
#include "notify_test_time.hpp"
#include "test_certificate.hpp"

namespace strata::notify {
namespace {

using nlohmann::json;
using test::at_minute;
using test::DeliveryLogRecorder;
using test::kMidnight;
using test::NodeSmtpPeer;
using test::TestCertificate;

constexpr Timestamp kMillis = kMicrosPerMilli;
constexpr BackoffPolicy kFastBackoff{
    .initial_delay = 10 * kMillis, .factor = 2.0, .max_delay = 40 * kMillis, .max_attempts = 4};
constexpr const char* kPeerMissing =
    "the SMTP peer did not start: it needs node and the smtp-server npm package (tests/package.json)";

// Lines starting with dots exercise DATA transparency; "ü" exercises 8-bit and encoded headers.
Notification manager_page() {
  return Notification{.id = "tank.level@1767225600000000/L2/R0",
                      .alarm_id = "tank.level",
                      .equipment_path = "brewing/tanks/t4",
                      .priority = "high",
                      .message = "F\xC3\xBCllstand low\n.\n..\n.hidden",
                      .activated_at = kMidnight,
                      .level = 2,
                      .role = "area_manager",
                      .sinks = {.cockpit = false,
                                .webhooks = {},
                                .email_recipients = {"manager@plant.example", "deputy@plant.example"}},
                      .due_at = at_minute(15),
                      .repeat = 0};
}

SmtpConfig smtp_config(unsigned short port, SmtpSecurity security = SmtpSecurity::None) {
  return SmtpConfig{.host = "127.0.0.1",
                    .port = port,
                    .security = security,
                    .extra_ca_file = {},
                    .from_address = "alarms@plant.example",
                    .from_name = "Strata Alarms",
                    .username = {},
                    .password = {},
                    .allow_auth_without_tls = false,
                    .client_name = "strata-test.plant.example",
                    .timeout = 10 * kMicrosPerSecond,
                    .backoff = kFastBackoff};
}

std::string base64_decode(const std::string& text) {
  std::string bytes(text.size() / 4 * 3, '\0');
  const int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  bytes.resize(static_cast<std::size_t>(length));
  const auto padding = static_cast<std::size_t>(
      std::count(text.end() - std::min<std::ptrdiff_t>(2, std::ssize(text)), text.end(), '='));
  bytes.resize(bytes.size() - padding);
  return bytes;
}

// The message as the server received it, split into unfolded headers and the body.
struct ReceivedMail {
  std::string raw;
  std::map<std::string, std::string> headers;
  std::string body;
};

ReceivedMail parse_mail(const json& message_event) {
  ReceivedMail mail;
  mail.raw = base64_decode(message_event.at("data").get<std::string>());
  const auto split = mail.raw.find("\r\n\r\n");
  mail.body = mail.raw.substr(split + 4);
  std::string current;
  for (std::size_t start = 0; start < split;) {
    const auto end = std::min(mail.raw.find("\r\n", start), split);
    const std::string line = mail.raw.substr(start, end - start);
    if (line.starts_with(' ') || line.starts_with('\t')) {
      mail.headers[current] += line;  // folded continuation
    } else {
      const auto colon = line.find(':');
      current = line.substr(0, colon);
      mail.headers[current] = line.substr(colon + 2);
    }
    start = end + 2;
  }
  return mail;
}

// RFC 5322 unfolding: a CRLF followed by whitespace is just the whitespace.
std::string unfold(std::string header) {
  for (auto fold = header.find("\r\n"); fold != std::string::npos; fold = header.find("\r\n"))
    header.erase(fold, 2);
  return header;
}

class EmailDelivery : public ::testing::Test {
 protected:
  std::unique_ptr<Notifier> start_notifier(SmtpConfig smtp) {
    auto notifier = Notifier::start(
        NotifierConfig{.webhooks = {}, .smtp = std::move(smtp), .cockpit = {}, .max_queued_per_sink = 10},
        log_.callback(), clock_);
    EXPECT_TRUE(notifier) << notifier.error().message;
    return notifier ? std::move(notifier.value()) : nullptr;
  }
  // The only final record, after the notifier stopped.
  DeliveryRecord deliver_one(Notifier& notifier, const Notification& notification) {
    notifier.submit(notification);
    EXPECT_TRUE(log_.wait_for_final(1));
    notifier.stop();
    const auto records = log_.records();
    return records.empty() ? DeliveryRecord{} : records.back();
  }

  ManualClock clock_{at_minute(15) + 42 * kMicrosPerSecond};
  DeliveryLogRecorder log_;
};

TEST_F(EmailDelivery, EnvelopeHeadersAndDotStuffedBodyArriveIntact) {
  NodeSmtpPeer peer(json::object());
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port()));
  const Notification page = manager_page();
  const DeliveryRecord outcome = deliver_one(*notifier, page);
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Delivered) << outcome.detail;
  EXPECT_EQ(outcome.sink, "email");
  EXPECT_EQ(outcome.attempt, 1);
  EXPECT_TRUE(outcome.detail.starts_with("250 ")) << outcome.detail;

  const auto message = peer.wait_for_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->at("mailFrom"), "alarms@plant.example");
  EXPECT_EQ(message->at("mailFromArgs"), (json{{"BODY", "8BITMIME"}}));
  EXPECT_EQ(message->at("rcptTo"), (json{"manager@plant.example", "deputy@plant.example"}));
  EXPECT_EQ(message->at("heloName"), "strata-test.plant.example");
  EXPECT_EQ(message->at("transmissionType"), "ESMTP");

  const ReceivedMail mail = parse_mail(*message);
  EXPECT_EQ(mail.headers.at("Date"), "Thu, 01 Jan 2026 00:15:42 +0000");
  EXPECT_EQ(mail.headers.at("From"), "\"Strata Alarms\" <alarms@plant.example>");
  EXPECT_EQ(mail.headers.at("To"), "manager@plant.example, deputy@plant.example");
  // Non-ASCII: RFC 2047; the line breaks of the alarm text did not become header lines.
  const std::string subject = "[Strata] high alarm at brewing/tanks/t4: F\xC3\xBCllstand low . .. .hidden";
  EXPECT_EQ(mail.headers.at("Subject"), unfold(encode_header_text(subject)));
  EXPECT_EQ(mail.headers.at("Message-ID"), "<" + message_id_for(page.id, "alarms@plant.example") + ">");
  EXPECT_EQ(mail.headers.at("MIME-Version"), "1.0");
  EXPECT_EQ(mail.headers.at("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(mail.headers.at("Content-Transfer-Encoding"), "8bit");
  // The server removed the dot-stuffing: what arrives is exactly the text, dots and all.
  EXPECT_EQ(mail.body, normalize_line_breaks(email_body(page)));
  EXPECT_TRUE(mail.body.starts_with(
      "F\xC3\xBCllstand low\r\n.\r\n..\r\n.hidden\r\n\r\nEquipment:    brewing/tanks/t4\r\n"));
}

TEST_F(EmailDelivery, WithoutEightBitMimeTheBodyIsQuotedPrintable) {
  NodeSmtpPeer peer(json{{"hide8BITMIME", true}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port()));
  const Notification page = manager_page();
  EXPECT_EQ(deliver_one(*notifier, page).outcome, DeliveryOutcome::Delivered);
  const auto message = peer.wait_for_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->at("mailFromArgs"), json::object());  // no BODY=8BITMIME to a server without it
  const ReceivedMail mail = parse_mail(*message);
  EXPECT_EQ(mail.headers.at("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(mail.body, quoted_printable(normalize_line_breaks(email_body(page))));
  EXPECT_TRUE(mail.body.starts_with("F=C3=BCllstand low\r\n.\r\n..\r\n.hidden\r\n"));
  for (const unsigned char c : mail.raw) EXPECT_LT(c, 0x80);  // 7-bit clean on the wire
}

TEST_F(EmailDelivery, TemporaryRefusalsAreRetriedWithBackoff) {
  NodeSmtpPeer peer(json{{"tempfailMailFrom", 2}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port()));
  const Notification page = manager_page();
  notifier->submit(page);
  ASSERT_TRUE(log_.wait_for_final(1));
  notifier->stop();
  const auto records = log_.records();
  ASSERT_EQ(records.size(), 3U);
  for (int index = 0; index < 2; ++index) {
    EXPECT_EQ(records[index].outcome, DeliveryOutcome::Retrying);
    EXPECT_EQ(records[index].attempt, index + 1);
    EXPECT_EQ(records[index].detail, "MAIL FROM: 451 Try again later");
    EXPECT_EQ(records[index].retry_in, backoff_delay(kFastBackoff, index + 1));
  }
  EXPECT_EQ(records[2].outcome, DeliveryOutcome::Delivered);
  EXPECT_EQ(records[2].attempt, 3);
  ASSERT_TRUE(peer.wait_for_events("close", 3));
  EXPECT_EQ(peer.events("mail").size(), 3U);
  EXPECT_EQ(peer.events("message").size(), 1U);  // retried whole, delivered once
}

TEST_F(EmailDelivery, RejectedRecipientsDoNotStopTheOthers) {
  NodeSmtpPeer peer(json{{"rejectRecipients", {"deputy@plant.example"}}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port()));
  const DeliveryRecord outcome = deliver_one(*notifier, manager_page());
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Delivered);
  EXPECT_TRUE(outcome.detail.ends_with("; rejected: deputy@plant.example (550 No such user here)"))
      << outcome.detail;
  const auto message = peer.wait_for_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->at("rcptTo"), (json{"manager@plant.example"}));
}

TEST_F(EmailDelivery, AllRecipientsRejectedFailsWithoutRetrying) {
  NodeSmtpPeer peer(json{{"rejectRecipients", {"manager@plant.example", "deputy@plant.example"}}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port()));
  const DeliveryRecord outcome = deliver_one(*notifier, manager_page());
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(outcome.attempt, 1);
  EXPECT_EQ(outcome.detail,
            "all recipients rejected: manager@plant.example (550 No such user here); "
            "deputy@plant.example (550 No such user here)");
  ASSERT_TRUE(peer.wait_for_events("close", 1));
  EXPECT_EQ(peer.events("mail").size(), 1U);
  EXPECT_TRUE(peer.events("message").empty());
}

json tls_options(const TestCertificate& certificate) {
  return json{{"key", certificate.key_file()}, {"cert", certificate.certificate_file()}};
}

TEST_F(EmailDelivery, StartTlsThenAuthPlain) {
  const TestCertificate certificate;
  NodeSmtpPeer peer(
      json{{"tls", tls_options(certificate)},
           {"auth", {{"username", "alarms"}, {"password", "s3cret"}, {"methods", {"PLAIN", "LOGIN"}}}}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto smtp = smtp_config(peer.port(), SmtpSecurity::StartTls);
  smtp.extra_ca_file = certificate.certificate_file();
  smtp.username = "alarms";
  smtp.password = "s3cret";
  auto notifier = start_notifier(smtp);
  const DeliveryRecord outcome = deliver_one(*notifier, manager_page());
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Delivered) << outcome.detail;
  ASSERT_TRUE(peer.wait_for_events("close", 1));
  const auto auth = peer.events("auth");
  ASSERT_EQ(auth.size(), 1U);
  EXPECT_EQ(auth[0].at("method"), "PLAIN");
  EXPECT_EQ(auth[0].at("secure"), true);  // credentials only ever cross TLS
  const auto message = peer.wait_for_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->at("secure"), true);
  EXPECT_EQ(message->at("user"), "alarms");
  EXPECT_EQ(message->at("transmissionType"), "ESMTPSA");
}

TEST_F(EmailDelivery, AuthLoginWhenPlainIsNotOffered) {
  const TestCertificate certificate;
  NodeSmtpPeer peer(json{{"tls", tls_options(certificate)},
                         {"auth", {{"username", "alarms"}, {"password", "s3cret"}, {"methods", {"LOGIN"}}}}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto smtp = smtp_config(peer.port(), SmtpSecurity::StartTls);
  smtp.extra_ca_file = certificate.certificate_file();
  smtp.username = "alarms";
  smtp.password = "s3cret";
  auto notifier = start_notifier(smtp);
  EXPECT_EQ(deliver_one(*notifier, manager_page()).outcome, DeliveryOutcome::Delivered);
  ASSERT_TRUE(peer.wait_for_events("close", 1));
  const auto auth = peer.events("auth");
  ASSERT_EQ(auth.size(), 1U);
  EXPECT_EQ(auth[0].at("method"), "LOGIN");
}

TEST_F(EmailDelivery, WrongPasswordFailsWithoutRetryingAndWithoutLeakingIt) {
  const TestCertificate certificate;
  NodeSmtpPeer peer(json{{"tls", tls_options(certificate)},
                         {"auth", {{"username", "alarms"}, {"password", "s3cret"}, {"methods", {"PLAIN"}}}}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto smtp = smtp_config(peer.port(), SmtpSecurity::StartTls);
  smtp.extra_ca_file = certificate.certificate_file();
  smtp.username = "alarms";
  smtp.password = "wrong-password";
  auto notifier = start_notifier(smtp);
  const DeliveryRecord outcome = deliver_one(*notifier, manager_page());
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(outcome.attempt, 1);
  EXPECT_EQ(outcome.detail, "AUTH PLAIN: 535 Authentication credentials invalid");
  ASSERT_TRUE(peer.wait_for_events("close", 1));
  EXPECT_EQ(peer.events("auth").size(), 1U);
  EXPECT_TRUE(peer.events("mail").empty());
}

TEST_F(EmailDelivery, StartTlsIsRequiredWhenConfigured) {
  NodeSmtpPeer peer(json{{"hideSTARTTLS", true}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port(), SmtpSecurity::StartTls));
  const DeliveryRecord outcome = deliver_one(*notifier, manager_page());
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(outcome.detail, "server does not offer STARTTLS");
  ASSERT_TRUE(peer.wait_for_events("close", 1));
  EXPECT_TRUE(peer.events("mail").empty());  // nothing went out in clear
}

TEST_F(EmailDelivery, UntrustedServerCertificateFailsWithoutRetrying) {
  const TestCertificate certificate;
  NodeSmtpPeer peer(json{{"tls", tls_options(certificate)}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto notifier = start_notifier(smtp_config(peer.port(), SmtpSecurity::StartTls));  // no extra CA
  const DeliveryRecord outcome = deliver_one(*notifier, manager_page());
  EXPECT_EQ(outcome.outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(outcome.attempt, 1);
  EXPECT_TRUE(outcome.detail.starts_with("TLS: certificate rejected: ")) << outcome.detail;
  ASSERT_TRUE(peer.wait_for_events("close", 1));
  EXPECT_TRUE(peer.events("mail").empty());
}

TEST_F(EmailDelivery, ImplicitTls) {
  const TestCertificate certificate;
  NodeSmtpPeer peer(json{{"tls", tls_options(certificate)}, {"secure", true}});
  ASSERT_NE(peer.port(), 0) << kPeerMissing;
  auto smtp = smtp_config(peer.port(), SmtpSecurity::ImplicitTls);
  smtp.extra_ca_file = certificate.certificate_file();
  auto notifier = start_notifier(smtp);
  EXPECT_EQ(deliver_one(*notifier, manager_page()).outcome, DeliveryOutcome::Delivered);
  const auto message = peer.wait_for_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->at("secure"), true);
}

TEST_F(EmailDelivery, RefusedConnectionsAreRetriedThenFail) {
  const test::RefusingPort refusing;
  auto notifier = start_notifier(smtp_config(refusing.port()));
  notifier->submit(manager_page());
  ASSERT_TRUE(log_.wait_for_final(1));
  notifier->stop();
  const auto records = log_.records();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kFastBackoff.max_attempts));
  for (std::size_t index = 0; index + 1 < records.size(); ++index) {
    EXPECT_EQ(records[index].outcome, DeliveryOutcome::Retrying);
    EXPECT_EQ(records[index].detail, "connect: Connection refused");
    EXPECT_EQ(records[index].sink, "email");
  }
  EXPECT_EQ(records.back().outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(records.back().detail, "connect: Connection refused; gave up after 4 attempts");
}

}  // namespace
}  // namespace strata::notify
