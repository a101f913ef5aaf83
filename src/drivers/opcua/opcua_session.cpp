#include "drivers/opcua/opcua_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "drivers/opcua/opcua_address.hpp"
#include "drivers/opcua/value_codec.hpp"

namespace strata::opcua {
namespace {

// A write the connector neither answers nor dies on within this long is counted as failed (the heartbeat
// would have killed a hung connector long before).
constexpr std::chrono::seconds kWriteGuard{30};

std::string string_member(const nlohmann::json& message, const char* key) {
  const auto it = message.find(key);
  return it != message.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

OpcUaSession::OpcUaSession(OpcUaBinding binding, connector::ConnectorOptions options, std::string password,
                           const Clock& clock)
    : binding_(std::move(binding)), clock_(clock), reported_(binding_.items.size()) {
  metrics_.driver = std::string(kScheme);
  metrics_.connection = binding_.connection.name;
  options.name = binding_.connection.name;
  options.role = "client";
  options.config = client_config(binding_, password);
  process_ = std::make_unique<connector::ConnectorProcess>(std::move(options));
  process_->on_message([this](const nlohmann::json& message) { handle(message); });
  process_->on_state(
      [this](connector::ConnectorState state, const std::string& reason) { on_state(state, reason); });
}

OpcUaSession::~OpcUaSession() {
  stop();
}

void OpcUaSession::start(engine::UpdateSink& sink) {
  sink_ = &sink;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  if (!command_thread_.joinable()) command_thread_ = std::thread([this] { run_commands(); });
  spdlog::info("opcua connection '{}': {} item(s) on {}", name(), binding_.items.size(),
               binding_.connection.endpoint);
  process_->start();
}

void OpcUaSession::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  commands_changed_.notify_all();
  process_->stop();  // fails the write in flight, so the command thread ends promptly
  if (command_thread_.joinable()) command_thread_.join();
}

void OpcUaSession::handle(const nlohmann::json& message) {
  const auto& type = message["type"].get_ref<const std::string&>();
  if (type == "values") {
    const auto items = message.find("items");
    if (items != message.end() && items->is_array()) on_values(*items);
  } else if (type == "connection") {
    const auto state = string_member(message, "state");
    const auto text = string_member(message, "message");
    if (state == "connected") {
      {
        std::lock_guard lock(mutex_);
        metrics_.connected = true;
        if (ever_connected_) ++metrics_.reconnects;
      }
      spdlog::info("opcua connection '{}' {}connected to {}", name(), ever_connected_ ? "re" : "",
                   binding_.connection.endpoint);
      ever_connected_ = true;
    } else {
      {
        std::lock_guard lock(mutex_);
        metrics_.connected = false;
      }
      note_error(text.empty() ? "disconnected" : "disconnected: " + text);
      spdlog::warn("opcua connection '{}' disconnected{}{}", name(), text.empty() ? "" : ": ", text);
      mark_all_bad();
    }
  } else if (type == "item_error") {
    on_item_error(message);
  }
}

void OpcUaSession::on_state(connector::ConnectorState state, const std::string& reason) {
  if (state == connector::ConnectorState::Up || state == connector::ConnectorState::Starting) return;
  {
    std::lock_guard lock(mutex_);
    metrics_.connected = false;
    if (state != connector::ConnectorState::Stopped) {
      ++metrics_.errors;
      metrics_.last_error = reason;
    }
  }
  if (state != connector::ConnectorState::Stopped) mark_all_bad();
}

void OpcUaSession::on_values(const nlohmann::json& items) {
  std::vector<model::TagUpdate> batch;
  std::uint64_t errors = 0;
  const auto now = clock_.now();
  for (const auto& item : items) {
    const auto h = item.find("h");
    if (!item.is_object() || h == item.end() || !h->is_number_unsigned() ||
        h->get<std::size_t>() >= binding_.items.size()) {
      ++errors;
      continue;
    }
    const auto index = h->get<std::size_t>();
    const auto& bound = binding_.items[index];
    auto quality = item.contains("q") ? quality_from_json(item["q"]) : model::Quality::Good;
    const auto t = item.find("t");
    const Timestamp time =
        t != item.end() && t->is_number() ? static_cast<Timestamp>(t->get<double>() * 1000.0) : now;
    model::Value value;
    const auto v = item.find("v");
    if (v != item.end() && !v->is_null()) {
      if (auto converted = value_from_json(*v, bound.type)) {
        value = std::move(*converted);
      } else {
        ++errors;
        if (logged_type_errors_.insert(index).second) {
          spdlog::warn("opcua connection '{}': {} value {} does not fit tag {} of type {}; quality Bad",
                       name(), bound.node_id, v->dump(), bound.tag_id, model::to_string(bound.type));
        }
        quality = model::Quality::Bad;
      }
    } else {
      quality = model::Quality::Bad;  // an empty variant carries no value to show
    }
    report(index, std::move(value), quality, time, batch);
  }
  {
    std::lock_guard lock(mutex_);
    ++metrics_.reads;
    metrics_.errors += errors;
  }
  push(batch);
}

void OpcUaSession::on_item_error(const nlohmann::json& message) {
  const auto h = message.find("h");
  if (h == message.end() || !h->is_number_unsigned() || h->get<std::size_t>() >= binding_.items.size())
    return;
  const auto index = h->get<std::size_t>();
  const auto text = string_member(message, "message");
  note_error(fmt::format("{}: {}", binding_.items[index].node_id, text));
  if (logged_item_errors_.insert(index).second) {
    spdlog::error("opcua connection '{}': cannot monitor {}: {}; quality Bad", name(),
                  binding_.items[index].node_id, text);
  }
  std::vector<model::TagUpdate> batch;
  report(index, {}, model::Quality::Bad, clock_.now(), batch);
  push(batch);
}

void OpcUaSession::mark_all_bad() {
  std::vector<model::TagUpdate> batch;
  const auto now = clock_.now();
  for (std::size_t h = 0; h < reported_.size(); ++h) report(h, {}, model::Quality::Bad, now, batch);
  push(batch);
}

void OpcUaSession::report(std::size_t h, model::Value value, model::Quality quality, Timestamp time,
                          std::vector<model::TagUpdate>& batch) {
  auto& last = reported_[h];
  if (last.quality == quality && last.value == value) return;
  last.value = value;
  last.quality = quality;
  batch.push_back(model::TagUpdate{binding_.items[h].tag, std::move(value), quality, time});
}

void OpcUaSession::push(std::vector<model::TagUpdate>& batch) {
  if (batch.empty() || sink_ == nullptr) return;
  {
    std::lock_guard lock(mutex_);
    metrics_.values += batch.size();
  }
  sink_->push(std::move(batch));
  batch.clear();
}

void OpcUaSession::note_error(const std::string& message) {
  std::lock_guard lock(mutex_);
  ++metrics_.errors;
  metrics_.last_error = message;
}

Result<void> OpcUaSession::queue_command(const BoundCommand& command, states::PackMLCommand number) {
  {
    std::lock_guard lock(mutex_);
    if (!metrics_.connected || stopping_) {
      return make_error(fmt::format("opcua connection '{}' is not connected", name()));
    }
    if (pending_.size() >= kMaxPendingCommands) {
      return make_error(
          fmt::format("opcua connection '{}' has {} commands waiting", name(), pending_.size()));
    }
    pending_.push_back(PendingCommand{command, number});
  }
  commands_changed_.notify_all();
  return {};
}

Result<void> OpcUaSession::write(const WriteTarget& target, nlohmann::json value) {
  auto reply = process_->request({{"type", "write"},
                                  {"node_id", target.node_id},
                                  {"data_type", target.data_type},
                                  {"value", std::move(value)}});
  if (reply.wait_for(kWriteGuard) != std::future_status::ready) {
    return make_error(fmt::format("no answer within {} s", kWriteGuard.count()));
  }
  auto result = reply.get();
  if (!result) return result.error();
  return {};
}

void OpcUaSession::run_commands() {
  while (true) {
    PendingCommand next;
    {
      std::unique_lock lock(mutex_);
      commands_changed_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (stopping_) {
        metrics_.write_errors += pending_.size();
        pending_.clear();
        return;
      }
      next = std::move(pending_.front());
      pending_.pop_front();
    }
    const auto number = static_cast<std::int64_t>(next.command);
    auto written = write(next.target.control_command,
                         value_to_json(model::Value{number}, next.target.control_command.data_type));
    if (written && next.target.change_request) {
      written = write(*next.target.change_request, true);
    }
    std::lock_guard lock(mutex_);
    if (written) {
      ++metrics_.writes;
      spdlog::info("opcua connection '{}': unit {} command {} written", name(), next.target.unit_id,
                   states::to_string(next.command));
    } else {
      ++metrics_.write_errors;
      metrics_.last_error = fmt::format("command {} for unit {}: {}", states::to_string(next.command),
                                        next.target.unit_id, written.error().message);
      spdlog::warn("opcua connection '{}': {}", name(), metrics_.last_error);
    }
  }
}

engine::ConnectionMetrics OpcUaSession::metrics() const {
  std::lock_guard lock(mutex_);
  return metrics_;
}

}  // namespace strata::opcua
