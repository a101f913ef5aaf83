#pragma once
// The e-mail for a notification: RFC 5322 message text (headers + body, CRLF lines) and the SMTP
// DATA transparency rule, as pure functions.
//
// Rules:
//  - Header values come from alarm texts and configuration: control characters become spaces (no
//    header injection) and non-ASCII text is RFC 2047 encoded.
//  - The body is UTF-8 text/plain, sent "8bit" when the server offers 8BITMIME and no line exceeds
//    998 octets, "quoted-printable" otherwise; both are valid everywhere, 8bit stays readable.
//  - Message-ID is derived from the notification id, so a retried delivery carries the same one and
//    mail systems can drop the duplicate.
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "notify/notification.hpp"

namespace strata::notify {

enum class BodyEncoding { EightBit, QuotedPrintable };

struct EmailMessage {
  std::string from_address;  // plain address (is_plain_mail_address)
  std::string from_name;     // display name; may be empty
  std::vector<std::string> to;
  std::string subject;  // UTF-8, one line (controls are replaced anyway)
  Timestamp date = 0;
  std::string message_id;  // without angle brackets: "strata.x@plant.example"
  std::string body;        // UTF-8 text; any line break style
};

[[nodiscard]] std::string email_subject(const Notification& notification);
[[nodiscard]] std::string email_body(const Notification& notification);
// "strata.<readable part>.<hash>@<domain of from_address>"; only dot-atom characters.
[[nodiscard]] std::string message_id_for(std::string_view notification_id, std::string_view from_address);

// Every CR, LF or CRLF becomes CRLF, and the text ends with one.
[[nodiscard]] std::string normalize_line_breaks(std::string_view text);
// EightBit when the server offers 8BITMIME and every line of `body` fits SMTP's 998 octets.
[[nodiscard]] BodyEncoding choose_body_encoding(std::string_view body, bool server_offers_8bitmime);

// The full RFC 5322 message, CRLF line endings, ready for dot_stuff().
[[nodiscard]] std::string compose_email(const EmailMessage& message, BodyEncoding encoding);

// RFC 5321 4.5.2: a '.' opening a line is doubled. Expects CRLF lines (compose_email's output).
// The terminating "." CRLF is not included.
[[nodiscard]] std::string dot_stuff(std::string_view message);

}  // namespace strata::notify
