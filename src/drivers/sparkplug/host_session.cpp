#include "drivers/sparkplug/host_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "drivers/sparkplug/host_value.hpp"

namespace strata::sparkplug {
namespace {

constexpr std::string_view kBdSeq = "bdSeq";

Timestamp millis_to_micros(std::uint64_t ms) {
  return static_cast<Timestamp>(ms) * kMicrosPerMilli;
}

Timestamp source_time(const Metric& metric, const Payload& payload, Timestamp now) {
  if (metric.timestamp) return millis_to_micros(*metric.timestamp);
  if (payload.timestamp) return millis_to_micros(*payload.timestamp);
  return now;
}

std::optional<std::int64_t> bd_seq_of(const Payload& payload) {
  for (const auto& metric : payload.metrics) {
    if (metric.name != kBdSeq) continue;
    if (const auto* value = std::get_if<std::int64_t>(&metric.value)) return *value;
    if (const auto* value = std::get_if<std::uint64_t>(&metric.value))
      return static_cast<std::int64_t>(*value);
  }
  return std::nullopt;
}

void fail(SessionOutput& out, std::string message) {
  ++out.errors;
  out.last_error = std::move(message);
}

}  // namespace

HostSession::HostSession(std::string group_id, std::vector<MetricBinding> bindings,
                         std::chrono::milliseconds reorder_timeout)
    : group_id_(std::move(group_id)),
      bindings_(std::move(bindings)),
      reorder_timeout_(reorder_timeout),
      rebirth_retry_(std::max(reorder_timeout, kMinRebirthRetry)),
      last_(bindings_.size()) {
  for (std::size_t i = 0; i < bindings_.size(); ++i) {
    auto& node = nodes_[bindings_[i].edge_node_id];
    auto& scope = bindings_[i].device_id.empty() ? node.scope : node.devices[bindings_[i].device_id];
    scope.bound.push_back(i);
  }
}

std::vector<std::string> HostSession::edge_nodes() const {
  std::vector<std::string> ids;
  ids.reserve(nodes_.size());
  for (const auto& [id, node] : nodes_) ids.push_back(id);
  return ids;
}

bool HostSession::node_born(std::string_view edge_node_id) const {
  const auto node = nodes_.find(edge_node_id);
  return node != nodes_.end() && node->second.born;
}

DataType HostSession::datatype_of(std::string_view edge_node_id, std::string_view device_id,
                                  std::string_view metric) const {
  const auto node = nodes_.find(edge_node_id);
  if (node == nodes_.end()) return DataType::Unknown;
  const Scope* scope = &node->second.scope;
  if (!device_id.empty()) {
    const auto device = node->second.devices.find(device_id);
    if (device == node->second.devices.end()) return DataType::Unknown;
    scope = &device->second;
  }
  if (!scope->born) return DataType::Unknown;
  const auto info = scope->metrics.find(std::string(metric));
  return info == scope->metrics.end() ? DataType::Unknown : info->second.datatype;
}

void HostSession::handle(std::string_view topic_text, std::string_view bytes, SteadyTime steady_now,
                         Timestamp now, SessionOutput& out) {
  auto topic = parse_topic(topic_text);
  if (!topic) return fail(out, topic.error().message);
  // Commands (our own, echoed by the subscription) and STATE carry nothing for the tags.
  if (topic->type == MessageType::NCmd || topic->type == MessageType::DCmd ||
      topic->type == MessageType::State)
    return;
  if (topic->group_id != group_id_) return;
  const auto found = nodes_.find(topic->edge_node_id);
  if (found == nodes_.end()) return;
  auto payload = decode(bytes);
  if (!payload) return fail(out, fmt::format("{}: {}", topic_text, payload.error().message));
  Node& node = found->second;
  switch (topic->type) {
    case MessageType::NBirth:
      return node_birth(node, *payload, now, out);
    case MessageType::NDeath:
      return node_death(node, *payload, now, out);
    default:
      return sequenced(node, std::move(*topic), std::move(*payload), steady_now, now, out);
  }
}

void HostSession::sequenced(Node& node, Topic topic, Payload payload, SteadyTime steady_now, Timestamp now,
                            SessionOutput& out) {
  if (!node.born || node.awaiting_rebirth) return request_rebirth(topic.edge_node_id, node, steady_now, out);
  if (!payload.seq || *payload.seq > 255) {
    fail(out, fmt::format("{}: {} without a valid seq", topic.edge_node_id, to_string(topic.type)));
    return request_rebirth(topic.edge_node_id, node, steady_now, out);
  }
  const auto seq = static_cast<std::uint8_t>(*payload.seq);
  if (seq != static_cast<std::uint8_t>(node.last_seq + 1)) {
    // Out of order: hold it and give the missing messages reorder_timeout to arrive.
    if (node.held.size() >= kMaxHeld || reorder_timeout_.count() <= 0) {
      return request_rebirth(topic.edge_node_id, node, steady_now, out);
    }
    node.held[seq] = Held{std::move(topic), std::move(payload)};
    if (!node.gap_deadline) node.gap_deadline = steady_now + reorder_timeout_;
    return;
  }
  node.last_seq = seq;
  apply(node, topic, payload, steady_now, now, out);
  while (!node.awaiting_rebirth && node.born) {
    const auto next = node.held.find(static_cast<std::uint8_t>(node.last_seq + 1));
    if (next == node.held.end()) break;
    const Held held = std::move(next->second);
    node.held.erase(next);
    node.last_seq = static_cast<std::uint8_t>(node.last_seq + 1);
    apply(node, held.topic, held.payload, steady_now, now, out);
  }
  // Gap filled: stop the clock. Whatever is still held waits for its own gap with a fresh timeout.
  node.gap_deadline.reset();
  if (!node.held.empty()) node.gap_deadline = steady_now + reorder_timeout_;
}

void HostSession::apply(Node& node, const Topic& topic, const Payload& payload, SteadyTime steady_now,
                        Timestamp now, SessionOutput& out) {
  if (topic.type == MessageType::NData) return data(node.scope, payload, now, out);
  const auto device = node.devices.find(topic.device_id);
  if (device == node.devices.end()) return;  // no tag reads this device; its seq still counted
  Scope& scope = device->second;
  switch (topic.type) {
    case MessageType::DBirth:
      return birth(scope, payload, now, out);
    case MessageType::DDeath:
      scope.born = false;
      return mark_stale(scope, payload.timestamp ? millis_to_micros(*payload.timestamp) : now, out);
    case MessageType::DData:
      if (!scope.born) return request_rebirth(topic.edge_node_id, node, steady_now, out);
      return data(scope, payload, now, out);
    default:
      return;
  }
}

void HostSession::node_birth(Node& node, const Payload& payload, Timestamp now, SessionOutput& out) {
  node.born = true;
  node.awaiting_rebirth = false;
  node.held.clear();
  node.gap_deadline.reset();
  // NBIRTH seq should be 0; other values (0..255) are accepted as the start of the sequence.
  node.last_seq = static_cast<std::uint8_t>(payload.seq.value_or(0));
  node.bd_seq = bd_seq_of(payload);
  // A new session: devices are born again by the DBIRTHs that follow.
  for (auto& [id, device] : node.devices) {
    device.born = false;
    device.metrics.clear();
    device.aliases.clear();
  }
  birth(node.scope, payload, now, out);
}

void HostSession::node_death(Node& node, const Payload& payload, Timestamp now, SessionOutput& out) {
  // An NDEATH whose bdSeq differs from the current NBIRTH's is the Will of an older connection.
  const auto bd_seq = bd_seq_of(payload);
  if (node.bd_seq && bd_seq && *bd_seq != *node.bd_seq) return;
  node.born = false;
  node.awaiting_rebirth = false;
  node.held.clear();
  node.gap_deadline.reset();
  node.scope.born = false;
  mark_stale(node.scope, now, out);
  for (auto& [id, device] : node.devices) {
    device.born = false;
    mark_stale(device, now, out);
  }
}

void HostSession::birth(Scope& scope, const Payload& payload, Timestamp now, SessionOutput& out) {
  scope.born = true;
  scope.metrics.clear();
  scope.aliases.clear();
  for (const auto& metric : payload.metrics) {
    if (metric.name.empty()) {
      fail(out, "BIRTH metric without a name");
      continue;
    }
    scope.metrics[metric.name] = MetricInfo{.datatype = metric.datatype};
    if (metric.alias) scope.aliases[*metric.alias] = metric.name;
  }
  std::vector<bool> found(bindings_.size(), false);
  for (const auto index : scope.bound) {
    const auto info = scope.metrics.find(bindings_[index].metric);
    if (info == scope.metrics.end()) continue;
    info->second.bindings.push_back(index);
    found[index] = true;
  }
  for (const auto& metric : payload.metrics) {
    if (metric.name.empty() || metric.is_historical) continue;
    const auto& info = scope.metrics[metric.name];
    for (const auto index : info.bindings) {
      emit_metric(index, metric.value, info.datatype, source_time(metric, payload, now), out);
    }
  }
  // A tag whose metric this BIRTH does not define has no value in this session.
  for (const auto index : scope.bound) {
    if (!found[index]) emit(index, std::monostate{}, model::Quality::Bad, now, out);
  }
}

void HostSession::data(Scope& scope, const Payload& payload, Timestamp now, SessionOutput& out) {
  for (const auto& metric : payload.metrics) {
    const std::string* name = &metric.name;
    if (name->empty()) {
      const auto alias = metric.alias ? scope.aliases.find(*metric.alias) : scope.aliases.end();
      if (alias == scope.aliases.end()) {
        fail(out, "DATA metric with an alias no BIRTH defined");
        continue;
      }
      name = &alias->second;
    }
    const auto info = scope.metrics.find(*name);
    if (info == scope.metrics.end()) {
      fail(out, fmt::format("DATA metric '{}' not in its BIRTH", *name));
      continue;
    }
    if (metric.is_historical) continue;  // a buffered past value, not the current one
    for (const auto index : info->second.bindings) {
      emit_metric(index, metric.value, info->second.datatype, source_time(metric, payload, now), out);
    }
  }
}

void HostSession::mark_stale(Scope& scope, Timestamp time, SessionOutput& out) {
  for (const auto index : scope.bound) {
    const auto& last = last_[index];
    if (last.quality == model::Quality::Good || last.quality == model::Quality::Uncertain) {
      emit(index, last.value, model::Quality::Stale, time, out);
    }
  }
}

void HostSession::connection_lost(Timestamp now, SessionOutput& out) {
  for (auto& [id, node] : nodes_) {
    node.born = false;
    node.awaiting_rebirth = false;
    node.last_rebirth_request.reset();
    node.held.clear();
    node.gap_deadline.reset();
    node.scope.born = false;
    mark_stale(node.scope, now, out);
    for (auto& [device_id, device] : node.devices) {
      device.born = false;
      mark_stale(device, now, out);
    }
  }
}

void HostSession::rebirth_requested(const std::string& edge_node_id, SteadyTime steady_now) {
  const auto node = nodes_.find(edge_node_id);
  if (node == nodes_.end()) return;
  node->second.awaiting_rebirth = true;
  node->second.last_rebirth_request = steady_now;
  node->second.held.clear();
  node->second.gap_deadline.reset();
}

void HostSession::request_rebirth(const std::string& id, Node& node, SteadyTime steady_now,
                                  SessionOutput& out) {
  node.awaiting_rebirth = true;
  node.held.clear();
  node.gap_deadline.reset();
  if (node.last_rebirth_request && steady_now - *node.last_rebirth_request < rebirth_retry_) return;
  node.last_rebirth_request = steady_now;
  out.rebirth.push_back(id);
}

void HostSession::expire(SteadyTime steady_now, SessionOutput& out) {
  for (auto& [id, node] : nodes_) {
    if (node.gap_deadline && *node.gap_deadline <= steady_now) request_rebirth(id, node, steady_now, out);
  }
}

std::optional<HostSession::SteadyTime> HostSession::next_deadline() const {
  std::optional<SteadyTime> next;
  for (const auto& [id, node] : nodes_) {
    if (node.gap_deadline && (!next || *node.gap_deadline < *next)) next = node.gap_deadline;
  }
  return next;
}

void HostSession::emit(std::size_t binding, model::Value value, model::Quality quality, Timestamp time,
                       SessionOutput& out) {
  auto& last = last_[binding];
  if (last.quality == quality && last.value == value) return;
  last.value = value;
  last.quality = quality;
  out.updates.push_back(model::TagUpdate{
      .tag = bindings_[binding].tag, .value = std::move(value), .quality = quality, .source_time = time});
}

void HostSession::emit_metric(std::size_t binding, const MetricValue& value, DataType datatype,
                              Timestamp time, SessionOutput& out) {
  const auto& metric = bindings_[binding].metric;
  const auto typed = as_datatype(value, datatype);
  if (std::holds_alternative<std::monostate>(typed)) {
    // A null is a legitimate "no value"; anything else lost here did not match the BIRTH's datatype.
    if (!std::holds_alternative<std::monostate>(value)) {
      fail(out, fmt::format("metric '{}' value does not match its BIRTH datatype", metric));
    }
    return emit(binding, std::monostate{}, model::Quality::Bad, time, out);
  }
  auto converted = to_tag_value(typed, bindings_[binding].type);
  if (!converted) {
    fail(out, fmt::format("metric '{}' value does not fit tag type {}", metric,
                          model::to_string(bindings_[binding].type)));
    return emit(binding, std::monostate{}, model::Quality::Bad, time, out);
  }
  emit(binding, std::move(*converted), model::Quality::Good, time, out);
}

}  // namespace strata::sparkplug
