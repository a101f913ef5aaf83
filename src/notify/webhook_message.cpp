#include "notify/webhook_message.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "notify/time_text.hpp"

namespace strata::notify {
namespace {

constexpr unsigned kTooManyRequests = 429;

}  // namespace

std::string webhook_body(const Notification& notification) {
  const nlohmann::json body{
      {"source", "strata"},
      {"notification_id", notification.id},
      {"alarm_id", notification.alarm_id},
      {"equipment", notification.equipment_path},
      {"priority", notification.priority},
      {"message", notification.message},
      {"activated_at", iso8601_utc(notification.activated_at)},
      {"due_at", iso8601_utc(notification.due_at)},
      {"level", notification.level},
      {"role", notification.role},
      {"repeat", notification.repeat},
  };
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AttemptResult classify_http_status(unsigned status, std::optional<Timestamp> retry_after) {
  std::string detail = fmt::format("HTTP {}", status);
  if (status >= 200 && status < 300) {
    return AttemptResult{
        .verdict = AttemptVerdict::Delivered, .detail = std::move(detail), .retry_after = {}};
  }
  if (status >= 500 || status == kTooManyRequests) {
    return AttemptResult{
        .verdict = AttemptVerdict::TransientFailure, .detail = std::move(detail), .retry_after = retry_after};
  }
  return AttemptResult{
      .verdict = AttemptVerdict::PermanentFailure, .detail = std::move(detail), .retry_after = {}};
}

}  // namespace strata::notify
