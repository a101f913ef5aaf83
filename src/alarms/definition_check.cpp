#include "alarms/definition_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "alarms/names.hpp"

namespace strata::alarms {

using model::AlarmKind;

Result<void> check_definition(const model::AlarmDefinition& definition, std::size_t priority_count) {
  const auto fail = [&](std::string_view rule) {
    return make_error(fmt::format("alarm {}: {}", definition.id.empty() ? "(no id)" : definition.id, rule));
  };
  const std::string_view kind = to_string(definition.kind);
  if (definition.id.empty()) return fail("has no id");
  if (definition.priority >= priority_count) {
    return fail(fmt::format("priority {} is outside the {} configured priorities", definition.priority,
                            priority_count));
  }
  if (definition.kind == AlarmKind::PackMLFault) {
    if (definition.tag) return fail("a packml_fault alarm takes no tag (it watches its unit's PackML state)");
    if (definition.unit_id.empty()) return fail("a packml_fault alarm needs a unit");
  } else if (!definition.tag) {
    return fail(fmt::format("a {} alarm needs a tag", kind));
  }
  if (definition.setpoint_tag && definition.kind != AlarmKind::Deviation) {
    return fail(fmt::format("only deviation alarms take a setpoint tag, this one is {}", kind));
  }
  if (!definition.active_only_in.empty() && definition.unit_id.empty()) {
    return fail("active_only_in needs a unit whose state to follow");
  }
  if (!std::isfinite(definition.limit) || !std::isfinite(definition.setpoint) ||
      !std::isfinite(definition.normal_value) || !std::isfinite(definition.deadband)) {
    return fail("limit, setpoint, normal value and deadband must be finite numbers");
  }
  if (definition.deadband < 0) return fail("the deadband must not be negative");
  if (definition.on_delay < 0 || definition.off_delay < 0) return fail("delays must not be negative");
  if (definition.max_shelve_duration < 0) return fail("the maximum shelve duration must not be negative");
  if (definition.kind == AlarmKind::Deviation || definition.kind == AlarmKind::RateOfChange) {
    if (definition.limit < 0) return fail(fmt::format("a {} limit must not be negative", kind));
    if (definition.deadband > definition.limit) {
      return fail(
          fmt::format("deadband {} is larger than the limit {}: the alarm could never return to normal",
                      definition.deadband, definition.limit));
    }
  }
  return {};
}

Result<void> check_definitions(std::span<const model::AlarmDefinition> definitions,
                               std::span<const model::AlarmPriority> priorities) {
  if (priorities.empty()) return make_error("the plant has no alarm priorities");
  for (const auto& definition : definitions) {
    if (auto ok = check_definition(definition, priorities.size()); !ok) return ok;
  }
  std::vector<std::string_view> ids;
  ids.reserve(definitions.size());
  for (const auto& definition : definitions) ids.emplace_back(definition.id);
  std::sort(ids.begin(), ids.end());
  if (const auto twin = std::adjacent_find(ids.begin(), ids.end()); twin != ids.end()) {
    return make_error(fmt::format("alarm {} is defined twice", *twin));
  }
  return {};
}

}  // namespace strata::alarms
