#pragma once
// One webhook delivery attempt: a fresh connection, one POST, the status line read, the connection
// closed. No keep-alive: pages are rare, and a fresh connection never trips over one a proxy dropped.
// Internal to the Notifier.
#include <memory>
#include <string>

#include "notify/backoff.hpp"
#include "notify/http_url.hpp"
#include "delivery/net.hpp"
#include "notify/sink_config.hpp"

namespace strata::notify {

struct WebhookTarget {
  WebhookConfig config;
  HttpUrl url;
  std::shared_ptr<net::ssl::context> tls;  // set when url.tls
};

[[nodiscard]] Result<WebhookTarget> make_webhook_target(const WebhookConfig& config);

// Never throws for network conditions; the whole attempt is bounded by config.timeout. The
// arguments must outlive the attempt (pass named objects: see net.hpp on g++ 12).
[[nodiscard]] net::awaitable<AttemptResult> post_webhook(const WebhookTarget& target, const std::string& body,
                                                         const std::string& notification_id);

}  // namespace strata::notify
