#include "notify/email_message.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <string>

#include "notify/mail_address.hpp"
#include "notify/text_encoding.hpp"
#include "notify/time_text.hpp"
#include "notify_test_time.hpp"

namespace strata::notify {
namespace {

using test::at_minute;
using test::kMidnight;

TEST(TimeText, FormatsUtc) {
  EXPECT_EQ(iso8601_utc(at_minute(5) + 250'000), "2026-01-01T00:05:00.250Z");
  EXPECT_EQ(rfc5322_date(at_minute(5)), "Thu, 01 Jan 2026 00:05:00 +0000");
  EXPECT_EQ(iso8601_utc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TextEncoding, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\0user\0secret", 12)), "AHVzZXIAc2VjcmV0");
}

TEST(TextEncoding, QuotedPrintableEscapesAndSoftBreaks) {
  EXPECT_EQ(quoted_printable("Temp = 80 \xC2\xB0"
                             "C\r\n"),
            "Temp =3D 80 =C2=B0C\r\n");
  EXPECT_EQ(quoted_printable("trailing space \r\n"), "trailing space=20\r\n");
  const std::string long_line(100, 'x');
  const std::string encoded = quoted_printable(long_line + "\r\n");
  EXPECT_EQ(encoded, std::string(75, 'x') + "=\r\n" + std::string(25, 'x') + "\r\n");
}

TEST(TextEncoding, HeaderTextIsEncodedOnlyWhenNotAscii) {
  EXPECT_EQ(encode_header_text("Filler jammed"), "Filler jammed");
  EXPECT_EQ(encode_header_text("F\xC3\xBCller"), "=?UTF-8?B?RsO8bGxlcg==?=");
  // Long text splits into words of at most 75 characters, never inside a UTF-8 sequence: 45 bytes
  // fit a word, so 22 two-byte "ü" go into the first and the other 18 into the second.
  const auto umlauts = [](int count) {
    std::string text;
    for (int index = 0; index < count; ++index) text += "\xC3\xBC";
    return text;
  };
  const std::string first = "=?UTF-8?B?" + base64_encode(umlauts(22)) + "?=";
  const std::string second = "=?UTF-8?B?" + base64_encode(umlauts(18)) + "?=";
  EXPECT_LE(first.size(), 75U);
  EXPECT_EQ(encode_header_text(umlauts(40)), first + "\r\n " + second);
}

TEST(TextEncoding, SingleLineRemovesControls) {
  EXPECT_EQ(single_line("a\r\nBcc: evil@x\tb"), "a  Bcc: evil@x b");
}

TEST(MailAddress, AcceptsPlainAddressesOnly) {
  EXPECT_TRUE(is_plain_mail_address("ops@plant.example"));
  EXPECT_TRUE(is_plain_mail_address("first.last+alarms@sub.plant.example"));
  EXPECT_FALSE(is_plain_mail_address("ops"));
  EXPECT_FALSE(is_plain_mail_address("@plant.example"));
  EXPECT_FALSE(is_plain_mail_address("ops@"));
  EXPECT_FALSE(is_plain_mail_address("a@b@c"));
  EXPECT_FALSE(is_plain_mail_address("ops@plant.example> SIZE=1"));
  EXPECT_FALSE(is_plain_mail_address("ops@plant.example\r\nDATA"));
  EXPECT_FALSE(is_plain_mail_address("J\xC3\xBCrgen@plant.example"));
  EXPECT_EQ(mail_domain("ops@plant.example"), "plant.example");
}

TEST(EmailMessage, DotStuffingDoublesLeadingDotsOnly) {
  EXPECT_EQ(dot_stuff(".\r\n..\r\na.b\r\n.x\r\n"), "..\r\n...\r\na.b\r\n..x\r\n");
  EXPECT_EQ(dot_stuff("no dots\r\n"), "no dots\r\n");
}

TEST(EmailMessage, LineBreaksBecomeCrlf) {
  EXPECT_EQ(normalize_line_breaks("a\nb\rc\r\nd"), "a\r\nb\r\nc\r\nd\r\n");
  EXPECT_EQ(normalize_line_breaks("done\r\n"), "done\r\n");
}

TEST(EmailMessage, EightBitOnlyWhenOfferedAndLinesFit) {
  EXPECT_EQ(choose_body_encoding("caf\xC3\xA9\r\n", true), BodyEncoding::EightBit);
  EXPECT_EQ(choose_body_encoding("caf\xC3\xA9\r\n", false), BodyEncoding::QuotedPrintable);
  EXPECT_EQ(choose_body_encoding(std::string(999, 'x') + "\r\n", true), BodyEncoding::QuotedPrintable);
  EXPECT_EQ(choose_body_encoding(std::string(998, 'x') + "\r\n", true), BodyEncoding::EightBit);
}

TEST(EmailMessage, MessageIdIsStableAndSafe) {
  const auto id = message_id_for("filler.jam@1767225600000000/L1/R0", "alarms@plant.example");
  EXPECT_EQ(id, message_id_for("filler.jam@1767225600000000/L1/R0", "alarms@plant.example"));
  EXPECT_NE(id, message_id_for("filler.jam@1767225600000000/L1/R1", "alarms@plant.example"));
  EXPECT_TRUE(id.starts_with("strata.filler-jam-1767225600000000-L1-R0."));
  EXPECT_TRUE(id.ends_with("@plant.example"));
  EXPECT_EQ(id.find_first_of(" <>\r\n"), std::string::npos);
}

TEST(EmailMessage, ComposesRfc5322Headers) {
  const EmailMessage message{
      .from_address = "alarms@plant.example",
      .from_name = "Strata \"Plant\" Alarms",
      .to = {"supervisor@plant.example", "manager@plant.example"},
      .subject = "[Strata] high alarm at bottling/filler: Filler jammed\r\nBcc: evil@x",
      .date = at_minute(5),
      .message_id = "strata.x.1@plant.example",
      .body = "line one\n.\nF\xC3\xBCllstand"};
  EXPECT_EQ(compose_email(message, BodyEncoding::EightBit),
            "Date: Thu, 01 Jan 2026 00:05:00 +0000\r\n"
            "From: \"Strata \\\"Plant\\\" Alarms\" <alarms@plant.example>\r\n"
            "To: supervisor@plant.example, manager@plant.example\r\n"
            "Subject: [Strata] high alarm at bottling/filler: Filler jammed  Bcc: evil@x\r\n"
            "Message-ID: <strata.x.1@plant.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "\r\n"
            "line one\r\n"
            ".\r\n"
            "F\xC3\xBCllstand\r\n");
  const std::string quoted = compose_email(message, BodyEncoding::QuotedPrintable);
  EXPECT_NE(quoted.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_TRUE(quoted.ends_with("\r\nline one\r\n.\r\nF=C3=BCllstand\r\n"));
}

TEST(EmailMessage, LongRecipientListsAreFolded) {
  EmailMessage message{.from_address = "alarms@plant.example",
                       .from_name = {},
                       .to = {},
                       .subject = "s",
                       .date = kMidnight,
                       .message_id = "m@plant.example",
                       .body = "b"};
  for (int index = 0; index < 6; ++index)
    message.to.push_back(fmt::format("recipient{}@plant.example", index));
  const std::string text = compose_email(message, BodyEncoding::EightBit);
  const auto headers_end = text.find("\r\n\r\n");
  std::size_t line_start = 0;
  while (line_start < headers_end) {
    const auto line_end = text.find("\r\n", line_start);
    EXPECT_LE(line_end - line_start, 78U) << text.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
  }
  EXPECT_NE(text.find("From: alarms@plant.example\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: recipient0@plant.example, recipient1@plant.example,\r\n recipient2@"),
            std::string::npos);
}

TEST(EmailMessage, SubjectAndBodyDescribeTheAlarm) {
  const Notification notification{.id = "filler.jam@1/L2/R3",
                                  .alarm_id = "filler.jam",
                                  .equipment_path = "bottling/packaging/filler",
                                  .priority = "high",
                                  .message = "Filler jammed",
                                  .activated_at = kMidnight,
                                  .level = 2,
                                  .role = "area_manager",
                                  .sinks = {},
                                  .due_at = at_minute(60),
                                  .repeat = 3};
  EXPECT_EQ(email_subject(notification),
            "[Strata] high alarm at bottling/packaging/filler: Filler jammed (reminder 3)");
  const std::string body = email_body(notification);
  EXPECT_TRUE(body.starts_with("Filler jammed\n\n"));
  EXPECT_NE(body.find("Active since: 2026-01-01T00:00:00.000Z\n"), std::string::npos);
  EXPECT_NE(body.find("Escalation:   level 2 (area_manager), reminder 3\n"), std::string::npos);
  EXPECT_NE(body.find("Notification: filler.jam@1/L2/R3\n"), std::string::npos);
}

}  // namespace
}  // namespace strata::notify
