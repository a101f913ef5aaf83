#include "notify/escalation_policy.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <utility>

#include "model/equipment_path.hpp"
#include "notify/mail_address.hpp"

namespace strata::notify {
namespace {

using model::scope_covers;

// "a/b/" and "a/b" are one scope (policies are told apart and ranked by it).
std::string_view without_trailing_slashes(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

std::string describe(const EscalationPolicy& policy) {
  return fmt::format("escalation policy (scope '{}', priority '{}')", policy.scope, policy.priority);
}

Result<void> validate_level(const EscalationPolicy& policy, std::size_t index, Timestamp previous_after) {
  const EscalationLevel& level = policy.levels[index];
  const auto where = fmt::format("{} level {}", describe(policy), index + 1);
  if (level.after < 0) return make_error(fmt::format("{}: 'after' must not be negative", where));
  if (level.after < previous_after) {
    return make_error(fmt::format("{}: 'after' is earlier than the previous level's", where));
  }
  if (level.role.empty()) return make_error(fmt::format("{}: no role", where));
  const NotificationSinks& sinks = level.sinks;
  if (!sinks.cockpit && sinks.webhooks.empty() && sinks.email_recipients.empty()) {
    return make_error(fmt::format("{}: no sink (cockpit, webhook or e-mail)", where));
  }
  for (const auto& webhook : sinks.webhooks) {
    if (webhook.empty()) return make_error(fmt::format("{}: empty webhook name", where));
  }
  for (const auto& recipient : sinks.email_recipients) {
    if (!is_plain_mail_address(recipient)) {
      return make_error(fmt::format("{}: '{}' is not a plain e-mail address", where, recipient));
    }
  }
  return {};
}

}  // namespace

Result<void> validate_policies(std::span<const EscalationPolicy> policies) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const auto& policy : policies) {
    if (policy.priority.empty()) {
      return make_error(fmt::format("{}: no priority (use '{}' for any)", describe(policy), kAnyPriority));
    }
    if (!seen.emplace(without_trailing_slashes(policy.scope), policy.priority).second) {
      return make_error(fmt::format("{}: defined twice", describe(policy)));
    }
    if (policy.repeat) {
      if (*policy.repeat <= 0)
        return make_error(fmt::format("{}: 'repeat' must be positive", describe(policy)));
      if (policy.levels.empty()) {
        return make_error(fmt::format("{}: 'repeat' without levels", describe(policy)));
      }
    }
    Timestamp previous_after = 0;
    for (std::size_t index = 0; index < policy.levels.size(); ++index) {
      if (auto checked = validate_level(policy, index, previous_after); !checked) return checked;
      previous_after = policy.levels[index].after;
    }
  }
  return {};
}

std::optional<std::size_t> select_policy(std::span<const EscalationPolicy> policies,
                                         std::string_view equipment_path, std::string_view priority) {
  std::optional<std::size_t> best;
  std::size_t best_scope_length = 0;
  bool best_names_priority = false;
  for (std::size_t index = 0; index < policies.size(); ++index) {
    const auto& policy = policies[index];
    const bool names_priority = policy.priority == priority;
    if (!names_priority && policy.priority != kAnyPriority) continue;
    if (!scope_covers(policy.scope, equipment_path)) continue;
    const std::size_t scope_length = without_trailing_slashes(policy.scope).size();
    const bool better = !best || scope_length > best_scope_length ||
                        (scope_length == best_scope_length && names_priority && !best_names_priority);
    if (better) {
      best = index;
      best_scope_length = scope_length;
      best_names_priority = names_priority;
    }
  }
  return best;
}

std::vector<std::string> unknown_webhooks(std::span<const EscalationPolicy> policies,
                                          std::span<const std::string> configured) {
  std::set<std::string> unknown;
  for (const auto& policy : policies) {
    for (const auto& level : policy.levels) {
      for (const auto& name : level.sinks.webhooks) {
        if (std::find(configured.begin(), configured.end(), name) == configured.end()) unknown.insert(name);
      }
    }
  }
  return {unknown.begin(), unknown.end()};
}

}  // namespace strata::notify
