// The edge node's inbound side: NCMD (Rebirth) and DCMD (PackML commands) from host applications.
// Nothing received here writes a tag: the only accepted write is a unit command, which the engine checks
// against the unit's state machine like any other command.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>

#include "drivers/sparkplug/edge_node.hpp"
#include "drivers/sparkplug/topic.hpp"

namespace strata::sparkplug {
namespace {

std::optional<std::int64_t> integer_of(const MetricValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* u = std::get_if<std::uint64_t>(&value); u != nullptr && *u <= INT64_MAX) {
    return static_cast<std::int64_t>(*u);
  }
  return std::nullopt;
}

}  // namespace

void EdgeNode::on_message(std::uint64_t generation, std::string_view topic_text, std::string_view bytes) {
  {
    std::lock_guard lock(metrics_mutex_);
    ++metrics_.reads;
  }
  const auto topic = parse_topic(topic_text);
  auto payload = decode(bytes);
  if (!topic || !payload) {
    record_error(fmt::format("undecodable command on '{}': {}", topic_text,
                             !topic ? topic.error().message : payload.error().message));
    return;
  }
  if (topic->group_id != connection_.group_id || topic->edge_node_id != connection_.edge_node_id) return;
  if (topic->type == MessageType::NCmd) {
    for (const auto& metric : payload->metrics) {
      if (metric.name == kRebirthMetric) {
        if (const auto* rebirth = std::get_if<bool>(&metric.value); rebirth != nullptr && *rebirth) {
          push(Rebirth{generation});
        }
        continue;
      }
      spdlog::warn("sparkplug edge node {}: NCMD metric '{}' is not supported, ignored", connection_.name,
                   metric.name);
      std::lock_guard lock(metrics_mutex_);
      ++metrics_.write_errors;
    }
  } else if (topic->type == MessageType::DCmd) {
    push(DeviceCommand{topic->device_id, std::move(*payload)});
  }
}

void EdgeNode::on_device_command(const DeviceCommand& command) {
  const auto refuse = [&](const std::string& why) {
    spdlog::warn("sparkplug edge node {}: DCMD for device '{}' refused: {}", connection_.name,
                 command.device_id, why);
    std::lock_guard lock(metrics_mutex_);
    ++metrics_.write_errors;
  };
  const auto device = catalog_.find_device(command.device_id);
  if (!device) {
    refuse("no such device");
    return;
  }
  const auto& published = catalog_.devices()[*device];
  for (const auto& metric : command.payload.metrics) {
    std::optional<std::size_t> index;
    if (!metric.name.empty()) {
      index = catalog_.find_metric(*device, metric.name);
    } else if (metric.alias) {
      index = catalog_.find_alias(*device, *metric.alias);
    }
    const auto name = index ? published.metrics[*index].name : metric.name;
    if (!index || name != kCommandMetric) {
      refuse(fmt::format("writing metric '{}' is not supported (only {} takes commands)",
                         name.empty() ? fmt::format("alias {}", metric.alias.value_or(0)) : name,
                         kCommandMetric));
      continue;
    }
    const auto number = integer_of(metric.value);
    const auto packml = number ? states::command_from_number(*number) : std::nullopt;
    if (!packml) {
      refuse(fmt::format("{} must be a PackML command number 1..10", kCommandMetric));
      continue;
    }
    spdlog::info("sparkplug edge node {}: DCMD {} on {}", connection_.name, states::to_string(*packml),
                 published.unit->id);
    pending_commands_.push_back(PendingCommand{engine_.command(published.unit->id, *packml, "sparkplug DCMD"),
                                               published.unit->id, command.device_id, *packml});
  }
}

void EdgeNode::poll_commands() {
  std::erase_if(pending_commands_, [this](PendingCommand& pending) {
    if (pending.result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
    const auto result = pending.result.get();
    std::lock_guard lock(metrics_mutex_);
    if (const auto* refusal = std::get_if<engine::CommandRefusal>(&result)) {
      spdlog::warn("sparkplug edge node {}: DCMD {} on {} refused by the engine: {}", connection_.name,
                   states::to_string(pending.command), pending.unit_id, refusal->message);
      ++metrics_.write_errors;
    } else {
      ++metrics_.writes;
    }
    return true;
  });
}

}  // namespace strata::sparkplug
