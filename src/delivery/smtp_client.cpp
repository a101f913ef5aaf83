#include "delivery/smtp_client.hpp"

#include <fmt/core.h>

#include <optional>
#include <vector>

#include "notify/email_message.hpp"
#include "notify/smtp_reply.hpp"
#include "notify/text_encoding.hpp"
#include "delivery/transport.hpp"

namespace strata::notify {
namespace {

// RFC 5321 4.5.3.1.5 allows 512 octets per reply line; be generous, but bounded.
constexpr std::size_t kMaxReplyBytes = 16 * 1024;
constexpr std::size_t kMaxReplyLines = 100;

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

AttemptResult permanent(std::string detail) {
  return AttemptResult{
      .verdict = AttemptVerdict::PermanentFailure, .detail = std::move(detail), .retry_after = {}};
}

// Follows the coroutine rules in net.hpp.
class SmtpSession {
 public:
  SmtpSession(const net::any_io_executor& executor, const SmtpTarget& target)
      : target_(target), stream_(executor, *target.tls) {}

  net::awaitable<AttemptResult> deliver(const Notification& notification, Timestamp now) {
    const AttemptResult result = co_await transact(notification, now);
    if (connection_usable_) {
      const auto ignored_reply = co_await command("QUIT", "QUIT");  // courtesy; the outcome is settled
      (void)ignored_reply;
    }
    error_code ignored;
    stream_.next_layer().socket().close(ignored);
    co_return result;
  }

 private:
  [[nodiscard]] Timestamp timeout() const { return target_.config.timeout; }

  net::awaitable<AttemptResult> transact(const Notification& notification, Timestamp now) {
    const bool opened = co_await open();
    if (!opened) co_return *failure_;

    const SmtpConfig& config = target_.config;
    const EmailMessage message{.from_address = config.from_address,
                               .from_name = config.from_name,
                               .to = notification.sinks.email_recipients,
                               .subject = email_subject(notification),
                               .date = now,
                               .message_id = message_id_for(notification.id, config.from_address),
                               .body = email_body(notification)};
    const BodyEncoding encoding =
        choose_body_encoding(normalize_line_breaks(message.body), extensions_.eight_bit_mime);
    std::string mail_from = fmt::format("MAIL FROM:<{}>", config.from_address);
    if (encoding == BodyEncoding::EightBit) mail_from += " BODY=8BITMIME";
    const auto mail_reply = co_await command("MAIL FROM", mail_from);
    if (!mail_reply || !accept(*mail_reply, 2, "MAIL FROM")) co_return *failure_;

    std::vector<std::string> rejected;
    std::size_t accepted = 0;
    for (const auto& recipient : message.to) {
      const std::string rcpt_to = fmt::format("RCPT TO:<{}>", recipient);
      const auto rcpt_reply = co_await command("RCPT TO", rcpt_to);
      if (!rcpt_reply) co_return *failure_;
      if (rcpt_reply->reply_class() == 2) {
        ++accepted;
      } else if (rcpt_reply->reply_class() == 5) {
        rejected.push_back(fmt::format("{} ({})", recipient, rcpt_reply->summary()));
      } else {
        accept(*rcpt_reply, 2, fmt::format("RCPT TO <{}>", recipient));
        co_return *failure_;
      }
    }
    if (accepted == 0) co_return permanent(fmt::format("all recipients rejected: {}", join(rejected, "; ")));

    const auto data_reply = co_await command("DATA", "DATA");
    if (!data_reply || !accept(*data_reply, 3, "DATA")) co_return *failure_;
    std::string data = dot_stuff(compose_email(message, encoding));
    data += ".\r\n";
    const bool sent = co_await write("sending the message", data);
    if (!sent) co_return *failure_;
    const auto final_reply = co_await read_reply("end of data");
    if (!final_reply || !accept(*final_reply, 2, "end of data")) co_return *failure_;

    std::string detail = final_reply->summary();
    if (!rejected.empty()) detail += fmt::format("; rejected: {}", join(rejected, "; "));
    co_return AttemptResult{
        .verdict = AttemptVerdict::Delivered, .detail = std::move(detail), .retry_after = {}};
  }

  // Connect, greet, EHLO, STARTTLS and AUTH as configured.
  net::awaitable<bool> open() {
    const SmtpConfig& config = target_.config;
    error_code ec;
    const auto endpoints = co_await resolve_within(config.host, config.port, as_duration(timeout()), ec);
    if (ec) co_return fail(transport_failure(fmt::format("resolving {}", config.host), ec, timeout()));
    stream_.next_layer().expires_after(as_duration(timeout()));  // one deadline for the whole session
    co_await stream_.next_layer().async_connect(endpoints, capture(ec));
    if (ec) co_return fail(transport_failure("connect", ec, timeout()));
    connection_usable_ = true;
    if (config.security == SmtpSecurity::ImplicitTls) {
      const bool secured = co_await handshake();
      if (!secured) co_return false;
    }
    const auto greeting = co_await read_reply("greeting");
    if (!greeting || !accept(*greeting, 2, "greeting")) co_return false;
    const bool greeted = co_await hello();
    if (!greeted) co_return false;
    if (config.security == SmtpSecurity::StartTls) {
      const bool secured = co_await start_tls();
      if (!secured) co_return false;
    }
    if (!config.username.empty()) {
      const bool authenticated = co_await authenticate();
      if (!authenticated) co_return false;
    }
    co_return true;
  }

  net::awaitable<bool> hello() {
    const std::string ehlo = fmt::format("EHLO {}", target_.client_name);
    const auto reply = co_await command("EHLO", ehlo);
    if (!reply) co_return false;
    if (reply->reply_class() == 2) {
      extensions_ = parse_ehlo_extensions(*reply);
      co_return true;
    }
    const bool needs_extensions =
        target_.config.security == SmtpSecurity::StartTls || !target_.config.username.empty();
    if (reply->reply_class() != 5 || needs_extensions) co_return accept(*reply, 2, "EHLO");
    const std::string helo = fmt::format("HELO {}", target_.client_name);
    const auto helo_reply = co_await command("HELO", helo);
    if (!helo_reply || !accept(*helo_reply, 2, "HELO")) co_return false;
    extensions_ = SmtpExtensions{};
    co_return true;
  }

  net::awaitable<bool> start_tls() {
    if (!extensions_.starttls) co_return fail(permanent("server does not offer STARTTLS"));
    const auto reply = co_await command("STARTTLS", "STARTTLS");
    if (!reply || !accept(*reply, 2, "STARTTLS")) co_return false;
    if (!input_.empty()) co_return fail(permanent("STARTTLS: server sent data ahead of the TLS handshake"));
    const bool secured = co_await handshake();
    if (!secured) co_return false;
    const bool greeted = co_await hello();  // RFC 3207 4.2: forget what was learnt before TLS
    co_return greeted;
  }

  net::awaitable<bool> handshake() {
    if (auto identity = expect_server_identity(stream_, target_.config.host); !identity) {
      co_return fail(permanent(identity.error().message));
    }
    error_code ec;
    co_await stream_.async_handshake(net::ssl::stream_base::client, capture(ec));
    if (ec) {
      connection_usable_ = false;
      co_return fail(tls_handshake_failure(stream_, ec, timeout()));
    }
    tls_active_ = true;
    co_return true;
  }

  net::awaitable<bool> authenticate() {
    const SmtpConfig& config = target_.config;
    if (extensions_.auth_plain) {
      std::string credentials;
      credentials += '\0';
      credentials += config.username;
      credentials += '\0';
      credentials += config.password;
      const std::string auth_plain = fmt::format("AUTH PLAIN {}", base64_encode(credentials));
      const auto reply = co_await command("AUTH PLAIN", auth_plain);
      co_return reply&& accept(*reply, 2, "AUTH PLAIN");
    }
    if (!extensions_.auth_login) co_return fail(permanent("server offers neither AUTH PLAIN nor AUTH LOGIN"));
    const auto challenge = co_await command("AUTH LOGIN", "AUTH LOGIN");
    if (!challenge || !accept(*challenge, 3, "AUTH LOGIN")) co_return false;
    const std::string username = base64_encode(config.username);
    const auto username_reply = co_await command("AUTH LOGIN username", username);
    if (!username_reply || !accept(*username_reply, 3, "AUTH LOGIN username")) co_return false;
    const std::string password = base64_encode(config.password);
    const auto password_reply = co_await command("AUTH LOGIN password", password);
    co_return password_reply&& accept(*password_reply, 2, "AUTH LOGIN password");
  }

  // Sends one command line; `step` names it in the delivery log (never the line: it may hold secrets).
  net::awaitable<std::optional<SmtpReply>> command(std::string_view step, std::string_view line) {
    std::string text(line);
    text += "\r\n";
    const bool sent = co_await write(step, text);
    if (!sent) co_return std::nullopt;
    auto reply = co_await read_reply(step);
    co_return reply;
  }

  net::awaitable<bool> write(std::string_view step, std::string_view data) {
    error_code ec;
    if (tls_active_) {
      co_await net::async_write(stream_, net::buffer(data), capture(ec));
    } else {
      co_await net::async_write(stream_.next_layer(), net::buffer(data), capture(ec));
    }
    if (ec) {
      connection_usable_ = false;
      co_return fail(transport_failure(step, ec, timeout()));
    }
    co_return true;
  }

  net::awaitable<std::optional<SmtpReply>> read_reply(std::string_view step) {
    SmtpReply reply;
    for (std::size_t count = 0; count < kMaxReplyLines; ++count) {
      error_code ec;
      std::size_t length = 0;
      auto buffer = net::dynamic_buffer(input_, kMaxReplyBytes);
      if (tls_active_) {
        length = co_await net::async_read_until(stream_, buffer, "\r\n", capture(ec));
      } else {
        length = co_await net::async_read_until(stream_.next_layer(), buffer, "\r\n", capture(ec));
      }
      if (ec) {
        connection_usable_ = false;
        fail(transport_failure(step, ec, timeout()));
        co_return std::nullopt;
      }
      const std::string line = input_.substr(0, length - 2);
      input_.erase(0, length);
      const auto parsed = parse_reply_line(line);
      if (!parsed || (reply.code != 0 && parsed->code != reply.code)) {
        connection_usable_ = false;  // out of step with the server: do not talk on
        fail(AttemptResult{.verdict = AttemptVerdict::TransientFailure,
                           .detail = fmt::format("{}: malformed reply '{}'", step, single_line(line)),
                           .retry_after = {}});
        co_return std::nullopt;
      }
      reply.code = parsed->code;
      reply.lines.push_back(parsed->text);
      if (parsed->last) co_return reply;
    }
    connection_usable_ = false;
    fail(AttemptResult{.verdict = AttemptVerdict::TransientFailure,
                       .detail = fmt::format("{}: reply has too many lines", step),
                       .retry_after = {}});
    co_return std::nullopt;
  }

  // Whether `reply` is of `expected_class`; otherwise records why the attempt failed.
  bool accept(const SmtpReply& reply, int expected_class, std::string_view step) {
    if (reply.reply_class() == expected_class) return true;
    const auto verdict =
        reply.reply_class() == 4 ? AttemptVerdict::TransientFailure : AttemptVerdict::PermanentFailure;
    fail(AttemptResult{
        .verdict = verdict, .detail = fmt::format("{}: {}", step, reply.summary()), .retry_after = {}});
    return false;
  }

  bool fail(AttemptResult result) {
    if (!failure_) failure_ = std::move(result);
    return false;
  }

  const SmtpTarget& target_;
  TlsStream stream_;
  bool tls_active_ = false;
  bool connection_usable_ = false;
  std::string input_;
  SmtpExtensions extensions_;
  std::optional<AttemptResult> failure_;
};

}  // namespace

Result<SmtpTarget> make_smtp_target(const SmtpConfig& config) {
  if (auto valid = validate_smtp(config); !valid) return valid.error();
  auto context = make_tls_client_context(config.extra_ca_file);
  if (!context) return make_error(fmt::format("smtp: {}", context.error().message));
  std::string client_name = config.client_name;
  if (client_name.empty()) {
    error_code ec;
    client_name = net::ip::host_name(ec);
    if (ec || client_name.empty()) client_name = "localhost";
  }
  return SmtpTarget{
      .config = config, .tls = std::move(context.value()), .client_name = std::move(client_name)};
}

net::awaitable<AttemptResult> send_email(const SmtpTarget& target, const Notification& notification,
                                         Timestamp now) {
  const auto executor = co_await net::this_coro::executor;
  SmtpSession session(executor, target);
  const AttemptResult result = co_await session.deliver(notification, now);
  co_return result;
}

}  // namespace strata::notify
