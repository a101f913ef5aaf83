#include "notify/email_message.hpp"

#include <fmt/core.h>

#include <cstdint>

#include "notify/mail_address.hpp"
#include "notify/text_encoding.hpp"
#include "notify/time_text.hpp"

namespace strata::notify {
namespace {

constexpr std::size_t kMaxSmtpLineOctets = 998;  // RFC 5321 4.5.3.1.6, without CRLF
constexpr std::size_t kFoldColumn = 78;          // RFC 5322 2.1.1 recommended line length
constexpr std::size_t kMessageIdReadablePart = 48;

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A display name as a quoted-string, or as encoded-words when it is not ASCII.
std::string display_name(std::string_view name) {
  const std::string line = single_line(name);
  if (!is_ascii(line)) return encode_header_text(line);
  std::string quoted = "\"";
  for (const char c : line) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

// "To: a, b, ..." folded before an address that would pass the recommended line length.
std::string address_list_header(std::string_view name, const std::vector<std::string>& addresses) {
  std::string header = fmt::format("{}: ", name);
  std::size_t column = header.size();
  for (std::size_t index = 0; index < addresses.size(); ++index) {
    const std::string address = single_line(addresses[index]);
    if (index > 0) {
      header += ',';
      ++column;
      if (column + 1 + address.size() > kFoldColumn) {
        header += "\r\n";
        column = 0;
      }
      header += ' ';
      ++column;
    }
    header += address;
    column += address.size();
  }
  return header;
}

bool has_overlong_line(std::string_view text) {
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    auto line_end = text.find("\r\n", line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    if (line_end - line_start > kMaxSmtpLineOctets) return true;
    line_start = line_end + 2;
  }
  return false;
}

}  // namespace

std::string email_subject(const Notification& notification) {
  std::string subject = fmt::format("[Strata] {} alarm at {}: {}", notification.priority,
                                    notification.equipment_path, notification.message);
  if (notification.repeat > 0) subject += fmt::format(" (reminder {})", notification.repeat);
  return single_line(subject);
}

std::string email_body(const Notification& notification) {
  std::string escalation = fmt::format("level {} ({})", notification.level, notification.role);
  if (notification.repeat > 0) escalation += fmt::format(", reminder {}", notification.repeat);
  return fmt::format(
      "{}\n"
      "\n"
      "Equipment:    {}\n"
      "Priority:     {}\n"
      "Active since: {}\n"
      "Escalation:   {}\n"
      "Alarm id:     {}\n"
      "Notification: {}\n"
      "\n"
      "The alarm is not acknowledged. Acknowledge it in the Strata cockpit to stop further notifications.\n",
      notification.message, notification.equipment_path, notification.priority,
      iso8601_utc(notification.activated_at), escalation, notification.alarm_id, notification.id);
}

std::string message_id_for(std::string_view notification_id, std::string_view from_address) {
  std::string readable;
  for (const char c : notification_id.substr(0, kMessageIdReadablePart)) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    readable += keep ? c : '-';
  }
  std::string_view domain = mail_domain(from_address);
  if (domain.empty()) domain = "strata.invalid";
  return fmt::format("strata.{}.{:016x}@{}", readable, fnv1a(notification_id), domain);
}

std::string normalize_line_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16 + 2);
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char c = text[index];
    if (c == '\r') {
      if (index + 1 < text.size() && text[index + 1] == '\n') ++index;
      out += "\r\n";
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

BodyEncoding choose_body_encoding(std::string_view body, bool server_offers_8bitmime) {
  if (!server_offers_8bitmime || has_overlong_line(body)) return BodyEncoding::QuotedPrintable;
  return BodyEncoding::EightBit;
}

std::string compose_email(const EmailMessage& message, BodyEncoding encoding) {
  const std::string from = message.from_name.empty() ? single_line(message.from_address)
                                                     : fmt::format("{} <{}>", display_name(message.from_name),
                                                                   single_line(message.from_address));
  const std::string body = normalize_line_breaks(message.body);
  std::string text;
  text += fmt::format("Date: {}\r\n", rfc5322_date(message.date));
  text += fmt::format("From: {}\r\n", from);
  text += address_list_header("To", message.to) + "\r\n";
  text += fmt::format("Subject: {}\r\n", encode_header_text(single_line(message.subject)));
  text += fmt::format("Message-ID: <{}>\r\n", single_line(message.message_id));
  text += "MIME-Version: 1.0\r\n";
  text += "Content-Type: text/plain; charset=utf-8\r\n";
  text += fmt::format("Content-Transfer-Encoding: {}\r\n",
                      encoding == BodyEncoding::EightBit ? "8bit" : "quoted-printable");
  // RFC 3834: vacation responders must not answer machine-generated mail (no reply loops).
  text += "Auto-Submitted: auto-generated\r\n";
  text += "\r\n";
  text += encoding == BodyEncoding::EightBit ? body : quoted_printable(body);
  return text;
}

std::string dot_stuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 16);
  bool line_start = true;
  for (std::size_t index = 0; index < message.size(); ++index) {
    const char c = message[index];
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n' && index > 0 && message[index - 1] == '\r';
  }
  return out;
}

}  // namespace strata::notify
