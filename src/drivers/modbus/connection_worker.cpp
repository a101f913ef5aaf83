#include "drivers/modbus/connection_worker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "drivers/modbus/register_codec.hpp"

namespace strata::modbus {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::vector<AddressSpan> spans_of(const std::vector<BoundTag>& tags) {
  std::vector<AddressSpan> spans;
  spans.reserve(tags.size());
  for (const auto& tag : tags) {
    spans.push_back(
        AddressSpan{.table = tag.address.table, .offset = tag.address.offset, .count = tag.address.width()});
  }
  return spans;
}

std::string describe_request(const ReadRequest& request) {
  const auto table = to_string(request.table);
  if (request.count == 1) return fmt::format("{}{}", table, request.offset);
  return fmt::format("{}{}..{}{}", table, request.offset, table, request.offset + request.count - 1);
}

}  // namespace

ConnectionWorker::ConnectionWorker(ConnectionBinding binding, const Clock& clock)
    : binding_(std::move(binding)),
      clock_(clock),
      plan_(plan_reads(spans_of(binding_.tags), plan_limits(binding_.settings))),
      session_(binding_.settings),
      reported_(binding_.tags.size()),
      request_refused_(plan_.size(), false) {
  stats_.connection = binding_.settings.name;
}

ConnectionWorker::~ConnectionWorker() {
  stop();
}

void ConnectionWorker::start(engine::UpdateSink& sink) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, &sink] { run(sink); });
}

void ConnectionWorker::stop() {
  request_stop();
  join();
}

void ConnectionWorker::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void ConnectionWorker::join() {
  if (thread_.joinable()) thread_.join();
}

Result<void> ConnectionWorker::queue_command(const BoundUnit& unit, states::PackMLCommand command) {
  {
    std::lock_guard lock(mutex_);
    if (!connected_) {
      return make_error(fmt::format("modbus connection '{}' is not connected{}", name(),
                                    stats_.last_error.empty() ? "" : " (" + stats_.last_error + ")"));
    }
    if (pending_.size() >= kMaxPendingCommands) {
      return make_error(
          fmt::format("modbus connection '{}' has {} commands waiting", name(), pending_.size()));
    }
    pending_.push_back(PendingCommand{unit.unit_id, unit.target, command});
  }
  wake_.notify_all();
  return {};
}

ConnectionStats ConnectionWorker::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void ConnectionWorker::run(engine::UpdateSink& sink) {
  const auto& settings = binding_.settings;
  auto backoff = std::chrono::duration_cast<SteadyClock::duration>(settings.reconnect.initial);
  const auto max_backoff = std::chrono::duration_cast<SteadyClock::duration>(settings.reconnect.max);
  const auto interval = std::chrono::duration_cast<SteadyClock::duration>(settings.poll_interval);
  // When to connect (disconnected) or poll (connected) next; commands wake the thread earlier.
  auto next_due = SteadyClock::now();
  const auto retry_later = [&] {
    next_due = SteadyClock::now() + backoff;
    backoff = std::min(backoff * 2, max_backoff);
  };
  std::vector<PendingCommand> commands;
  std::vector<Reading> readings;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_due, [&] { return stopping_ || !pending_.empty(); });
      if (stopping_) break;
      commands.swap(pending_);
    }
    if (!session_.connected()) {
      if (SteadyClock::now() < next_due) continue;
      if (!try_connect()) {
        retry_later();
        continue;
      }
      backoff = std::chrono::duration_cast<SteadyClock::duration>(settings.reconnect.initial);
      next_due = SteadyClock::now();
    }

    for (std::size_t i = 0; i < commands.size(); ++i) {
      if (auto written = write_command(commands[i]); written.status == IoStatus::Lost) {
        {
          std::lock_guard lock(mutex_);
          stats_.commands_failed += commands.size() - i - 1;  // never attempted
        }
        lose_connection(written.message, sink);
        break;
      }
    }
    commands.clear();
    if (!session_.connected()) {
      retry_later();
      continue;
    }
    if (SteadyClock::now() < next_due) continue;

    readings.clear();
    if (auto polled = poll(readings); !polled.ok()) {
      lose_connection(polled.message, sink);
      retry_later();
      continue;
    }
    std::vector<model::TagUpdate> batch;
    commit(readings, batch);
    push(batch, sink);
    // Fixed rate; after an overrun the next poll starts at once rather than catching up a burst.
    next_due = std::max(next_due + interval, SteadyClock::now());
  }
  session_.close();
  std::lock_guard lock(mutex_);
  connected_ = false;
  stats_.connected = false;
  stats_.commands_failed += pending_.size();
  pending_.clear();
}

bool ConnectionWorker::try_connect() {
  const auto outcome = session_.connect();
  if (!outcome.ok()) {
    const auto message = "connecting: " + outcome.message;
    note_error(message);
    // Logged once per outage: the loss was already logged, or this is the first attempt ever.
    if (!ever_connected_ && failed_attempts_ == 0) {
      spdlog::warn("modbus connection {}: {}; retrying with backoff up to {} ms", describe(), message,
                   binding_.settings.reconnect.max.count());
    }
    ++failed_attempts_;
    return false;
  }
  if (ever_connected_) {
    const auto outage = std::chrono::duration<double>(SteadyClock::now() - lost_at_).count();
    spdlog::info("modbus connection {} reconnected after {:.1f} s ({} failed attempt(s))", describe(), outage,
                 failed_attempts_);
  } else {
    spdlog::info("modbus connection {} connected, polling {} tag(s) in {} request(s) every {} ms", describe(),
                 binding_.tags.size(), plan_.size(), binding_.settings.poll_interval.count());
  }
  {
    std::lock_guard lock(mutex_);
    connected_ = true;
    stats_.connected = true;
    if (ever_connected_) ++stats_.reconnects;
  }
  ever_connected_ = true;
  failed_attempts_ = 0;
  return true;
}

IoOutcome ConnectionWorker::poll(std::vector<Reading>& readings) {
  for (std::size_t i = 0; i < plan_.size(); ++i) {
    IoOutcome outcome;
    read_request(i, outcome, readings);
    if (outcome.status == IoStatus::Lost) return outcome;
  }
  std::lock_guard lock(mutex_);
  ++stats_.polls;
  return {};
}

void ConnectionWorker::read_request(std::size_t request_index, IoOutcome& outcome,
                                    std::vector<Reading>& readings) {
  const auto& request = plan_[request_index];
  const bool bit_table = request.table == Table::Coil || request.table == Table::DiscreteInput;
  count_request();
  const auto sent = SteadyClock::now();
  if (bit_table) {
    bits_.resize(static_cast<std::size_t>(request.count));
    outcome = session_.read_bits(request.table, request.offset, bits_);
  } else {
    registers_.resize(static_cast<std::size_t>(request.count));
    outcome = session_.read_registers(request.table, request.offset, registers_);
  }
  if (outcome.status != IoStatus::Lost) count_answer(SteadyClock::now() - sent);
  const Timestamp now = clock_.now();
  if (!outcome.ok())
    outcome.message = fmt::format("reading {}: {}", describe_request(request), outcome.message);
  if (outcome.status == IoStatus::Lost) return;

  if (outcome.status == IoStatus::Refused) {
    note_error(outcome.message);
    if (!request_refused_[request_index]) {
      spdlog::warn("modbus connection {}: {}; its tags are bad until it reads again", describe(),
                   outcome.message);
      request_refused_[request_index] = true;
    }
    for (const auto slot : request.spans) readings.push_back(Reading{slot, {}, model::Quality::Bad, now});
    return;
  }
  if (request_refused_[request_index]) {
    spdlog::info("modbus connection {}: reading {} works again", describe(), describe_request(request));
    request_refused_[request_index] = false;
  }
  for (const auto slot : request.spans) {
    const auto& tag = binding_.tags[slot];
    const auto start = static_cast<std::size_t>(tag.address.offset - request.offset);
    model::Value value;
    if (bit_table) {
      value = bits_[start] != 0;
    } else {
      const std::span<const std::uint16_t> registers(registers_.data() + start,
                                                     static_cast<std::size_t>(tag.address.width()));
      value = decode_registers(tag.address, registers, tag.type);
    }
    readings.push_back(Reading{slot, std::move(value), model::Quality::Good, now});
  }
}

void ConnectionWorker::commit(const std::vector<Reading>& readings, std::vector<model::TagUpdate>& batch) {
  for (const auto& reading : readings) {
    auto& last = reported_[reading.slot];
    const auto index = binding_.tags[reading.slot].index;
    if (reading.quality != model::Quality::Good) {
      // Keep the last value so the engine shows what was known, flagged as no longer trustworthy.
      if (last.quality == reading.quality) continue;
      last.quality = reading.quality;
      batch.push_back(model::TagUpdate{index, last.value, reading.quality, reading.time});
      continue;
    }
    if (last.quality == model::Quality::Good && same_value(last.value, reading.value)) continue;
    last = Reported{reading.value, model::Quality::Good};
    batch.push_back(model::TagUpdate{index, reading.value, model::Quality::Good, reading.time});
  }
}

void ConnectionWorker::lose_connection(const std::string& message, engine::UpdateSink& sink) {
  session_.close();
  lost_at_ = SteadyClock::now();
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    connected_ = false;
    stats_.connected = false;
    dropped = pending_.size();
    stats_.commands_failed += dropped;
    pending_.clear();
  }
  note_error(message);
  spdlog::warn("modbus connection {} lost: {}; its tags are bad, reconnecting", describe(), message);
  if (dropped > 0) spdlog::warn("modbus connection {}: dropped {} queued command(s)", describe(), dropped);

  const Timestamp now = clock_.now();
  std::vector<Reading> readings;
  for (std::size_t slot = 0; slot < binding_.tags.size(); ++slot) {
    readings.push_back(Reading{slot, {}, model::Quality::Bad, now});
  }
  std::vector<model::TagUpdate> batch;
  commit(readings, batch);
  push(batch, sink);
}

void ConnectionWorker::push(std::vector<model::TagUpdate>& batch, engine::UpdateSink& sink) {
  if (batch.empty()) return;
  {
    std::lock_guard lock(mutex_);
    stats_.values_pushed += batch.size();
  }
  sink.push(std::move(batch));
}

IoOutcome ConnectionWorker::write_command(const PendingCommand& command) {
  const auto& control = command.target.control_command;
  std::vector<std::uint16_t> registers(static_cast<std::size_t>(control.width()));
  const auto number = static_cast<std::int64_t>(command.command);
  if (auto encoded = encode_integer(control, number, registers); !encoded) {
    // Unreachable for validated targets: command numbers 1..10 fit every integer type.
    throw std::logic_error(encoded.error().message);
  }
  count_request();
  auto outcome = session_.write_registers(control.offset, registers);
  if (outcome.ok() && command.target.change_request)
    outcome = set_change_request(*command.target.change_request);

  const auto what = fmt::format("{} to unit {}", states::to_string(command.command), command.unit_id);
  if (outcome.ok()) {
    spdlog::debug("modbus connection {}: wrote {}", describe(), what);
    std::lock_guard lock(mutex_);
    ++stats_.commands_written;
    return outcome;
  }
  outcome.message = fmt::format("writing {}: {}", what, outcome.message);
  {
    std::lock_guard lock(mutex_);
    ++stats_.commands_failed;
  }
  // A loss is counted and logged by lose_connection; a refusal ends here.
  if (outcome.status == IoStatus::Refused) {
    note_error(outcome.message);
    spdlog::error("modbus connection {}: {}", describe(), outcome.message);
  }
  return outcome;
}

IoOutcome ConnectionWorker::set_change_request(const ModbusAddress& address) {
  count_request();
  if (address.table == Table::Coil) return session_.write_coil(address.offset, true);
  // A bit of a holding register: read-modify-write, since FC22 (mask write) is missing on many PLCs.
  std::uint16_t word = 0;
  auto outcome = session_.read_registers(Table::HoldingRegister, address.offset, std::span(&word, 1));
  if (!outcome.ok()) return outcome;
  word = static_cast<std::uint16_t>(word | (1U << *address.bit));
  count_request();
  return session_.write_registers(address.offset, std::span<const std::uint16_t>(&word, 1));
}

void ConnectionWorker::count_answer(SteadyClock::duration round_trip) {
  std::lock_guard lock(mutex_);
  ++stats_.reads_answered;
  stats_.read_seconds_sum += std::chrono::duration<double>(round_trip).count();
}

void ConnectionWorker::count_request() {
  std::lock_guard lock(mutex_);
  ++stats_.requests;
}

void ConnectionWorker::note_error(const std::string& message) {
  std::lock_guard lock(mutex_);
  ++stats_.errors;
  stats_.last_error = message;
  stats_.last_error_time = clock_.now();
}

std::string ConnectionWorker::describe() const {
  return fmt::format("'{}' ({}:{})", binding_.settings.name, binding_.settings.host, binding_.settings.port);
}

}  // namespace strata::modbus
