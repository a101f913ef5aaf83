#pragma once
// Escalation policies: who is told about an unacknowledged alarm, and when.
//
// Rules:
//  - A policy applies to alarms whose equipment path lies in its scope ("bottling/packaging" covers
//    "bottling/packaging" and "bottling/packaging/filler", not "bottling/packaging2"; "" is the whole
//    plant; trailing slashes are ignored) and whose priority name equals its priority ("*" = any).
//  - Selection: the most specific scope wins (the longest covering scope). Between two policies with
//    the same scope, the one naming the priority beats "*". (scope, priority) pairs are unique, so
//    there is no further tie. Scope comes first because areas differ in who is on call: a packaging
//    manager should be paged for packaging alarms of every priority before a plant-wide rule applies.
//  - A policy without levels is valid: it silences escalation for its scope (e.g. a lab line) even
//    when a wider policy would apply.
//  - Levels are counted from 1 (level 0 is the operator at the cockpit, never notified). Each level's
//    `after` is measured from the alarm's activation, not from the previous level, and must not
//    decrease from one level to the next; equal delays notify in list order.
//  - `repeat` re-notifies the last level every `repeat` after it while the alarm stays open.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "notify/notification.hpp"

namespace strata::notify {

using model::EscalationLevel;
using model::EscalationPolicy;
using model::kAnyPriority;

// Checks every rule above plus: roles named, every level has at least one sink, e-mail recipients
// look like addresses (no spaces, controls or angle brackets: they end up in SMTP commands), repeat
// positive and only with levels, no duplicate (scope, priority) after normalising the scope.
[[nodiscard]] Result<void> validate_policies(std::span<const EscalationPolicy> policies);

// Index of the policy for an alarm per the selection rule, or nullopt when none applies.
[[nodiscard]] std::optional<std::size_t> select_policy(std::span<const EscalationPolicy> policies,
                                                       std::string_view equipment_path,
                                                       std::string_view priority);

// The webhook names the policies use that `configured` does not contain (sorted, unique): a
// config check for the integrator, since policies and webhooks are configured separately.
[[nodiscard]] std::vector<std::string> unknown_webhooks(std::span<const EscalationPolicy> policies,
                                                        std::span<const std::string> configured);

}  // namespace strata::notify
