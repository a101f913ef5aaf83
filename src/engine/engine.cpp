#include "engine/engine.hpp"

#include <nlohmann/json.hpp>
#include <numeric>

#include "engine/alarm_journal.hpp"

namespace strata::engine {
namespace {

using nlohmann::json;
using states::PackMLState;

std::vector<std::optional<std::size_t>> index_units_by_tag(
    const model::Plant& plant, const std::vector<UnitRuntime>& units,
    std::optional<model::TagIndex> model::WorkUnit::*tag) {
  std::vector<std::optional<std::size_t>> by_tag(plant.tags.size());
  for (const auto& runtime : units) {
    if (const auto index = runtime.unit->*tag) by_tag[*index] = runtime.index;
  }
  return by_tag;
}

}  // namespace

Engine::Engine(const model::Plant& plant, const Clock& clock, EngineOptions options,
               store::StoreWriter* writer, std::vector<std::int64_t> tag_keys)
    : plant_(plant), clock_(clock), options_(options), writer_(writer), tag_keys_(std::move(tag_keys)) {
  state_.plant = &plant_;
  state_.values.resize(plant_.tags.size());
  for (const auto* unit : plant_.units()) {
    UnitRuntime runtime;
    runtime.unit = unit;
    runtime.index = state_.units.size();
    runtime.machine = states::UnitStateMachine(PackMLState::Undefined);
    runtime.since = clock_.now();
    state_.units.push_back(std::move(runtime));
  }
  state_.unit_of_state_tag = index_units_by_tag(plant_, state_.units, &model::WorkUnit::state_tag);
  state_.unit_of_mode_tag = index_units_by_tag(plant_, state_.units, &model::WorkUnit::mode_tag);
  if (tag_keys_.empty()) {
    // Without a store there are no stable keys; tag indices serve (history is then dropped each tick).
    tag_keys_.resize(plant_.tags.size());
    std::iota(tag_keys_.begin(), tag_keys_.end(), std::int64_t{0});
  }
  tag_dirty_.assign(plant_.tags.size(), 0);
  observed_.assign(plant_.tags.size(), 0);
  unit_dirty_.assign(state_.units.size(), 0);
}

Engine::~Engine() {
  stop();
}

void Engine::add_driver(std::unique_ptr<Driver> driver) {
  drivers_.push_back(std::move(driver));
}

void Engine::add_listener(ChangeListener* listener) {
  listeners_.push_back(listener);
  for (const auto tag : listener->observed_tags()) {
    if (tag < observed_.size()) observed_[tag] = 1;
  }
}

void Engine::set_alarms(alarms::AlarmBook book) {
  alarm_book_ = std::move(book);
  state_.alarms = &*alarm_book_;
}

void Engine::start() {
  json payload{{"file", plant_.source_file},
               {"enterprise", plant_.enterprise.id},
               {"units", state_.units.size()},
               {"tags", plant_.tags.size()}};
  journal("config_load", plant_.enterprise.id, payload.dump());
  thread_ = std::thread([this] { run(); });
  for (auto& driver : drivers_) driver->start(*this);
}

void Engine::stop() {
  if (!thread_.joinable()) return;
  for (auto& driver : drivers_) driver->stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Engine::push(std::vector<model::TagUpdate> batch) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(batch));
  }
  wake_.notify_one();
}

void Engine::post(Task task) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(task));
  }
  wake_.notify_one();
}

std::future<CommandResult> Engine::command(std::string unit_id, states::PackMLCommand command,
                                           std::string origin) {
  auto reply = std::make_shared<std::promise<CommandResult>>();
  auto future = reply->get_future();
  post([reply, unit_id = std::move(unit_id), command, origin = std::move(origin)](Engine& engine) {
    engine.execute_command(unit_id, command, origin, reply);
  });
  return future;
}

std::future<Result<AlarmOperationDone>> Engine::alarm_operation(AlarmOperation operation) {
  auto reply = std::make_shared<std::promise<Result<AlarmOperationDone>>>();
  auto future = reply->get_future();
  post([reply, operation = std::move(operation)](Engine& engine) {
    engine.execute_alarm_operation(operation, reply);
  });
  return future;
}

void Engine::execute_alarm_operation(const AlarmOperation& operation,
                                     const std::shared_ptr<std::promise<Result<AlarmOperationDone>>>& reply) {
  if (!alarm_book_) {
    reply->set_value(make_error("this plant defines no alarms"));
    return;
  }
  auto& book = *alarm_book_;
  const alarms::OperatorAction action{clock_.now(), operation.actor, operation.comment};
  Result<alarms::Transition> done = make_error("unknown alarm operation");
  switch (operation.kind) {
    case AlarmOperationKind::Acknowledge:
      done = book.acknowledge(operation.alarm_id, action);
      break;
    case AlarmOperationKind::Shelve:
      done = book.shelve(operation.alarm_id, operation.shelve, action);
      break;
    case AlarmOperationKind::Unshelve:
      done = book.unshelve(operation.alarm_id, action);
      break;
    case AlarmOperationKind::RemoveFromService:
      done = book.remove_from_service(operation.alarm_id, action);
      break;
    case AlarmOperationKind::ReturnToService:
      done = book.return_to_service(operation.alarm_id, action);
      break;
    case AlarmOperationKind::Reset:
      done = book.reset(operation.alarm_id, action);
      break;
  }
  if (!done) {
    reply->set_value(done.error());
    return;
  }
  journal_alarm_transitions();
  // Reply only once the transition is durable: an acknowledged alarm stays acknowledged after a crash.
  commit_events([reply, transition = *done](std::int64_t seq) {
    reply->set_value(AlarmOperationDone{transition, seq});
  });
}

void Engine::journal_alarm_transitions() {
  for (auto& emitted : alarm_book_->drain_emitted()) {
    const auto& definition = alarm_book_->definition(emitted.alarm);
    journal(std::string(kAlarmEvent), emitted.transition.alarm_id,
            alarm_event_payload(emitted.transition, emitted.after, definition,
                                alarm_book_->priorities()[definition.priority]));
    alarm_transitions_.push_back(std::move(emitted.transition));
  }
}

std::future<std::int64_t> Engine::record(std::string kind, std::string subject, std::string payload) {
  auto reply = std::make_shared<std::promise<std::int64_t>>();
  auto future = reply->get_future();
  post([reply, kind = std::move(kind), subject = std::move(subject),
        payload = std::move(payload)](Engine& engine) mutable {
    engine.journal(std::move(kind), std::move(subject), std::move(payload));
    engine.commit_events([reply](std::int64_t seq) { reply->set_value(seq); });
  });
  return future;
}

std::future<void> Engine::flush() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  post([done](Engine& engine) {
    engine.end_tick();
    done->set_value();
  });
  return future;
}

EngineStats Engine::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Engine::run() {
  std::vector<Item> items;
  auto next_tick = std::chrono::steady_clock::now() + options_.tick;
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_tick, [this] { return stopping_ || !queue_.empty(); });
      items.swap(queue_);
      stopping = stopping_;
    }
    drain(items);
    if (stopping || std::chrono::steady_clock::now() >= next_tick) {
      end_tick();
      next_tick = std::chrono::steady_clock::now() + options_.tick;
    }
    if (stopping) break;
  }
}

void Engine::run_once() {
  std::vector<Item> items;
  {
    std::lock_guard lock(mutex_);
    items.swap(queue_);
  }
  drain(items);
  end_tick();
}

void Engine::drain(std::vector<Item>& items) {
  for (auto& item : items) {
    if (auto* batch = std::get_if<std::vector<model::TagUpdate>>(&item)) {
      apply(*batch);
    } else {
      std::get<Task>(item)(*this);
    }
  }
  items.clear();
}

void Engine::apply(std::vector<model::TagUpdate>& batch) {
  const Timestamp received = clock_.now();
  const auto tag_count = static_cast<model::TagIndex>(state_.values.size());
  std::uint64_t applied = 0;
  for (auto& update : batch) {
    if (update.tag >= tag_count) {
      ++counters_.updates_rejected;
      continue;
    }
    if (options_.record_history) {
      history_.push_back(store::HistoryRecord{tag_keys_[update.tag], update.source_time, received,
                                              update.value, update.quality});
    }
    if (observed_[update.tag] != 0) samples_.push_back(update);
    auto& current = state_.values[update.tag];
    current.value = std::move(update.value);
    current.quality = update.quality;
    current.source_time = update.source_time;
    current.server_time = received;
    if (tag_dirty_[update.tag] == 0) {
      tag_dirty_[update.tag] = 1;
      dirty_tags_.push_back(update.tag);
    }
    if (alarm_book_) alarm_book_->on_sample(update.tag, current);
    if (const auto unit = state_.unit_of_state_tag[update.tag]) {
      observe_state_tag(*unit, current.value, update.source_time, received);
    } else if (const auto mode_unit = state_.unit_of_mode_tag[update.tag]) {
      observe_mode_tag(*mode_unit, current.value, update.source_time);
    }
    ++applied;
  }
  counters_.updates_applied += applied;
}

void Engine::observe_state_tag(std::size_t unit_index, const model::Value& value, Timestamp time,
                               Timestamp received) {
  auto& runtime = state_.units[unit_index];
  const auto number = model::as_number(value);
  const auto reported = number ? states::state_from_number(static_cast<std::int64_t>(*number)) : std::nullopt;
  if (!reported) {
    json payload{{"reason", "state tag value is not a PackML state number (0..17)"}};
    if (number) payload["value"] = *number;
    journal("state_invalid", runtime.unit->id, payload.dump());
    return;
  }
  const auto before = runtime.machine.state();
  if (runtime.state_reported && before == *reported) return;
  const bool legal = runtime.machine.observe(*reported);
  json payload{{"from", states::to_string(before)},
               {"to", states::to_string(*reported)},
               {"to_number", static_cast<int>(*reported)}};
  // The first report after start-up has no meaningful predecessor to judge.
  if (runtime.state_reported) payload["legal"] = legal;
  runtime.state_reported = true;
  runtime.since = time;
  journal("state_change", runtime.unit->id, payload.dump());
  mark_unit(unit_index);
  // Alarm delays and suppression run on the engine's receive time, like every sample of the batch.
  if (alarm_book_) alarm_book_->on_unit_state(runtime.unit->id, *reported, received);
}

void Engine::observe_mode_tag(std::size_t unit_index, const model::Value& value, Timestamp time) {
  auto& runtime = state_.units[unit_index];
  const auto number = model::as_number(value);
  if (!number) return;
  const auto mode = static_cast<states::UnitMode>(*number);
  const auto before = runtime.machine.mode();
  if (before == mode) return;
  // The PLC owns the mode: adopt it even where a commanded change would have been refused.
  runtime.machine = states::UnitStateMachine(runtime.machine.state(), mode);
  json payload{
      {"from", states::to_string_mode(before)}, {"to", states::to_string_mode(mode)}, {"time", time}};
  journal("mode_change", runtime.unit->id, payload.dump());
  mark_unit(unit_index);
}

void Engine::execute_command(const std::string& unit_id, states::PackMLCommand command,
                             const std::string& origin,
                             const std::shared_ptr<std::promise<CommandResult>>& reply) {
  const auto* runtime = state_.find_unit(unit_id);
  if (runtime == nullptr) {
    reply->set_value(CommandRefusal{"unknown unit '" + unit_id + "'", false});
    return;
  }
  const auto refuse = [&](const std::string& message) {
    json payload{{"command", states::to_string(command)}, {"origin", origin}, {"reason", message}};
    journal("command_rejected", unit_id, payload.dump());
    reply->set_value(CommandRefusal{message, true});
  };
  Driver* driver = driver_for(*runtime->unit);
  if (driver == nullptr) {
    refuse("unit '" + unit_id + "' has no commandable PackML state tag");
    return;
  }
  if (!runtime->state_reported) {
    refuse("the state of unit '" + unit_id + "' is not known yet");
    return;
  }
  const auto state_before = runtime->machine.state();
  const auto target = states::target_of(state_before, command);
  if (!target) {
    refuse(target.error().message);
    return;
  }
  if (auto sent = driver->send_command(*runtime->unit, command); !sent) {
    refuse("driver refused: " + sent.error().message);
    return;
  }
  CommandAccepted accepted{unit_id, command, state_before, *target, 0};
  json payload{{"command", states::to_string(command)},
               {"origin", origin},
               {"from", states::to_string(state_before)},
               {"target", states::to_string(*target)}};
  journal("command", unit_id, payload.dump());
  // Reply only once the command is durable, so an acknowledged command survives a crash.
  commit_events([reply, accepted](std::int64_t seq) mutable {
    accepted.journal_seq = seq;
    reply->set_value(accepted);
  });
}

void Engine::commit_events(std::function<void(std::int64_t)> done) {
  if (writer_ == nullptr) {
    events_.clear();
    done(0);
    return;
  }
  // The tick's earlier events go with it to keep the journal in order.
  writer_->enqueue_events(std::exchange(events_, {}),
                          [done = std::move(done)](const std::vector<store::JournalEvent>& committed) {
                            done(committed.back().seq);
                          });
}

std::vector<ConnectionMetrics> Engine::driver_metrics() const {
  std::vector<ConnectionMetrics> all;
  for (const auto& driver : drivers_) {
    auto metrics = driver->metrics();
    all.insert(all.end(), std::make_move_iterator(metrics.begin()), std::make_move_iterator(metrics.end()));
  }
  return all;
}

Driver* Engine::driver_for(const model::WorkUnit& unit) {
  if (!unit.state_tag) return nullptr;
  const auto scheme = model::source_scheme(plant_.tags[*unit.state_tag].definition.source);
  for (auto& driver : drivers_) {
    if (driver->scheme() == scheme) return driver.get();
  }
  return nullptr;
}

void Engine::journal(std::string kind, std::string subject, std::string payload) {
  events_.push_back(
      store::JournalEvent{0, clock_.now(), std::move(kind), std::move(subject), std::move(payload)});
}

void Engine::mark_unit(std::size_t unit_index) {
  if (unit_dirty_[unit_index] == 0) {
    unit_dirty_[unit_index] = 1;
    dirty_units_.push_back(unit_index);
  }
}

void Engine::end_tick() {
  if (alarm_book_) {
    alarm_book_->advance(clock_.now());
    journal_alarm_transitions();
  }
  if (writer_ != nullptr) {
    if (!history_.empty()) writer_->enqueue_history(std::exchange(history_, {}));
    if (!events_.empty()) writer_->enqueue_events(std::exchange(events_, {}));
  } else {
    history_.clear();
    events_.clear();
  }
  if (!dirty_tags_.empty() || !dirty_units_.empty() || !alarm_transitions_.empty()) {
    const ChangeSet changes{clock_.now(), dirty_tags_, dirty_units_, &state_, samples_, alarm_transitions_};
    for (auto* listener : listeners_) listener->on_changes(changes);
  }
  samples_.clear();
  alarm_transitions_.clear();
  const Timestamp now = clock_.now();
  for (auto* listener : listeners_) listener->on_tick(now);
  for (const auto tag : dirty_tags_) tag_dirty_[tag] = 0;
  for (const auto unit : dirty_units_) unit_dirty_[unit] = 0;
  dirty_tags_.clear();
  dirty_units_.clear();
  ++counters_.ticks;
  std::lock_guard lock(mutex_);
  stats_ = counters_;
}

}  // namespace strata::engine
