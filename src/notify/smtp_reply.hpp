#pragma once
// SMTP replies (RFC 5321 4.2) and EHLO extensions, parsed without I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::notify {

struct SmtpReplyLine {
  int code = 0;
  bool last = true;  // "250 text" ends a reply, "250-text" continues it
  std::string text;
};

// nullopt unless the line is three digits (2xx-5xx) followed by nothing, ' ' or '-'.
[[nodiscard]] std::optional<SmtpReplyLine> parse_reply_line(std::string_view line);

struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;  // texts after the code
  [[nodiscard]] int reply_class() const { return code / 100; }
  // "<code> <first line>", for the delivery log.
  [[nodiscard]] std::string summary() const;
};

struct SmtpExtensions {
  bool starttls = false;
  bool eight_bit_mime = false;
  bool auth_plain = false;
  bool auth_login = false;
};

// From an EHLO reply: every line after the first is a keyword with parameters (case-insensitive).
[[nodiscard]] SmtpExtensions parse_ehlo_extensions(const SmtpReply& reply);

}  // namespace strata::notify
