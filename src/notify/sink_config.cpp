#include "notify/sink_config.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "notify/http_url.hpp"
#include "notify/mail_address.hpp"

namespace strata::notify {
namespace {

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

bool is_header_name(std::string_view name) {
  // RFC 9110 token characters.
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kTokenSymbols.find(c) != std::string_view::npos;
  });
}

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

bool is_reserved_header(std::string_view name) {
  constexpr std::array<std::string_view, 7> kReserved{
      "Host",       "Content-Length",  "Content-Type",     "Connection",
      "User-Agent", "Idempotency-Key", "Transfer-Encoding"};
  return std::any_of(kReserved.begin(), kReserved.end(),
                     [&](std::string_view reserved) { return equals_ignoring_case(name, reserved); });
}

}  // namespace

Result<void> validate_webhook(const WebhookConfig& webhook) {
  if (webhook.name.empty()) return make_error("webhook without a name");
  const auto where = fmt::format("webhook '{}'", webhook.name);
  if (auto url = parse_http_url(webhook.url); !url)
    return make_error(fmt::format("{}: {}", where, url.error().message));
  for (const auto& [name, value] : webhook.headers) {
    if (!is_header_name(name))
      return make_error(fmt::format("{}: '{}' is not a valid header name", where, name));
    if (is_reserved_header(name))
      return make_error(fmt::format("{}: header '{}' is set by Strata", where, name));
    if (has_control(value))
      return make_error(fmt::format("{}: header '{}' contains control characters", where, name));
  }
  if (webhook.timeout <= 0) return make_error(fmt::format("{}: timeout must be positive", where));
  if (auto backoff = validate_backoff(webhook.backoff); !backoff) {
    return make_error(fmt::format("{}: {}", where, backoff.error().message));
  }
  return {};
}

Result<void> validate_smtp(const SmtpConfig& smtp) {
  if (smtp.host.empty() || has_control(smtp.host) || smtp.host.find(' ') != std::string::npos) {
    return make_error("smtp: invalid or missing host");
  }
  if (smtp.port == 0) return make_error("smtp: port must not be 0");
  if (!is_plain_mail_address(smtp.from_address)) {
    return make_error(
        fmt::format("smtp: from address '{}' is not a plain e-mail address", smtp.from_address));
  }
  if (has_control(smtp.client_name) || smtp.client_name.find(' ') != std::string::npos) {
    return make_error("smtp: client_name must be one word");
  }
  if (!smtp.username.empty()) {
    if (smtp.security == SmtpSecurity::None && !smtp.allow_auth_without_tls) {
      return make_error(
          "smtp: AUTH without TLS would send the password in clear; use starttls or implicit TLS");
    }
    if (smtp.username.find('\0') != std::string::npos || smtp.password.find('\0') != std::string::npos) {
      return make_error("smtp: username and password must not contain NUL");
    }
  }
  if (smtp.timeout <= 0) return make_error("smtp: timeout must be positive");
  if (auto backoff = validate_backoff(smtp.backoff); !backoff) {
    return make_error(fmt::format("smtp: {}", backoff.error().message));
  }
  return {};
}

}  // namespace strata::notify
