#include "notify/smtp_reply.hpp"

#include <fmt/core.h>

#include <cctype>
#include <sstream>

namespace strata::notify {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<SmtpReplyLine> parse_reply_line(std::string_view line) {
  if (line.size() < 3) return std::nullopt;
  for (std::size_t index = 0; index < 3; ++index) {
    if (line[index] < '0' || line[index] > '9') return std::nullopt;
  }
  const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (code < 200 || code > 599) return std::nullopt;
  if (line.size() == 3) return SmtpReplyLine{.code = code, .last = true, .text = {}};
  if (line[3] != ' ' && line[3] != '-') return std::nullopt;
  return SmtpReplyLine{.code = code, .last = line[3] == ' ', .text = std::string(line.substr(4))};
}

std::string SmtpReply::summary() const {
  return lines.empty() ? fmt::format("{}", code) : fmt::format("{} {}", code, lines.front());
}

SmtpExtensions parse_ehlo_extensions(const SmtpReply& reply) {
  SmtpExtensions extensions;
  for (std::size_t index = 1; index < reply.lines.size(); ++index) {
    std::istringstream words(upper(reply.lines[index]));
    std::string keyword;
    words >> keyword;
    if (keyword == "STARTTLS") extensions.starttls = true;
    if (keyword == "8BITMIME") extensions.eight_bit_mime = true;
    if (keyword == "AUTH") {
      std::string mechanism;
      while (words >> mechanism) {
        if (mechanism == "PLAIN") extensions.auth_plain = true;
        if (mechanism == "LOGIN") extensions.auth_login = true;
      }
    }
  }
  return extensions;
}

}  // namespace strata::notify
