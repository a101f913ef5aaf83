#pragma once
// Configuration of the delivery sinks, as plain structs the integrator fills from the plant config.
// Durations are µs (parse_duration's unit).
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "notify/backoff.hpp"

namespace strata::notify {

using model::SmtpConfig;
using model::SmtpSecurity;
using model::WebhookConfig;

[[nodiscard]] Result<void> validate_webhook(const WebhookConfig& webhook);
[[nodiscard]] Result<void> validate_smtp(const SmtpConfig& smtp);

}  // namespace strata::notify
