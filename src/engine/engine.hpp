#pragma once
// The engine: one thread owns the plant state and applies every input in arrival order. Drivers,
// the API and the store talk to it only through its queue; it hands history and journal events to
// the store writer and change sets to listeners once per tick.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "alarms/alarm_book.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/driver.hpp"
#include "engine/plant_state.hpp"
#include "store/store_writer.hpp"

namespace strata::engine {

struct EngineOptions {
  std::chrono::milliseconds tick{100};  // how often history, journal and listeners are fed
  bool record_history = true;
};

struct CommandAccepted {
  std::string unit_id;
  states::PackMLCommand command = states::PackMLCommand::Undefined;
  states::PackMLState state_before = states::PackMLState::Undefined;
  states::PackMLState target = states::PackMLState::Undefined;
  std::int64_t journal_seq = 0;  // the command's journal entry, committed before the reply
};

// Why a command was refused; `conflict` distinguishes "not now" (state) from "no such thing".
struct CommandRefusal {
  std::string message;
  bool conflict = false;
};
using CommandResult = std::variant<CommandAccepted, CommandRefusal>;

enum class AlarmOperationKind { Acknowledge, Shelve, Unshelve, RemoveFromService, ReturnToService, Reset };

struct AlarmOperation {
  AlarmOperationKind kind = AlarmOperationKind::Acknowledge;
  std::string alarm_id;
  alarms::ShelveRequest shelve{};  // Shelve only
  std::string actor;
  std::string comment;
};

struct AlarmOperationDone {
  alarms::Transition transition;
  std::int64_t journal_seq = 0;  // committed before the reply
};

struct EngineStats {
  std::uint64_t updates_applied = 0;
  std::uint64_t updates_rejected = 0;  // unknown tag index
  std::uint64_t ticks = 0;
};

class Engine final : public UpdateSink {
 public:
  // writer may be null (no persistence); tag_keys maps TagIndex -> store key and must cover all
  // tags when a writer is given.
  Engine(const model::Plant& plant, const Clock& clock, EngineOptions options = {},
         store::StoreWriter* writer = nullptr, std::vector<std::int64_t> tag_keys = {});
  ~Engine() override;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void add_driver(std::unique_ptr<Driver> driver);  // before start()
  void add_listener(ChangeListener* listener);      // before start()
  // The plant's alarms, already restored from the journal; before start().
  void set_alarms(alarms::AlarmBook book);

  // Journals the configuration load, starts the engine thread, then the drivers.
  void start();
  // Stops drivers, drains the queue, flushes the last tick and joins.
  void stop();

  void push(std::vector<model::TagUpdate> batch) override;

  // The future is fulfilled once the command is refused, or accepted and its journal entry committed.
  std::future<CommandResult> command(std::string unit_id, states::PackMLCommand command, std::string origin);

  // An operator's alarm action; refused (error value) or applied and journaled before the future is ready.
  std::future<Result<AlarmOperationDone>> alarm_operation(AlarmOperation operation);

  // Journals an event from outside the engine (e.g. an operator's downtime classification) in order with
  // the engine's own; the future carries its seq once committed (0 without a store).
  std::future<std::int64_t> record(std::string kind, std::string subject, std::string payload);

  // Runs fn(state) on the engine thread and returns its result.
  template <typename Fn>
  auto query(Fn fn) -> std::future<decltype(fn(std::declval<const PlantState&>()))> {
    using R = decltype(fn(std::declval<const PlantState&>()));
    auto promise = std::make_shared<std::promise<R>>();
    auto future = promise->get_future();
    post([promise, fn = std::move(fn)](Engine& engine) mutable {
      if constexpr (std::is_void_v<R>) {
        fn(engine.state_);
        promise->set_value();
      } else {
        promise->set_value(fn(engine.state_));
      }
    });
    return future;
  }

  // Ends the current tick now: everything queued before the call is applied and handed to the
  // store writer and listeners when the future is ready.
  std::future<void> flush();

  // For tests and benchmarks without the thread: applies everything queued, then ends the tick.
  void run_once();
  [[nodiscard]] const PlantState& state() const { return state_; }  // engine thread / not started
  [[nodiscard]] EngineStats stats() const;
  // Every driver's connection metrics; thread-safe (the driver list is fixed once started).
  [[nodiscard]] std::vector<ConnectionMetrics> driver_metrics() const;

 private:
  using Task = std::function<void(Engine&)>;
  using Item = std::variant<std::vector<model::TagUpdate>, Task>;

  void post(Task task);
  void run();
  void drain(std::vector<Item>& items);
  void apply(std::vector<model::TagUpdate>& batch);
  void observe_state_tag(std::size_t unit_index, const model::Value& value, Timestamp time,
                         Timestamp received);
  void observe_mode_tag(std::size_t unit_index, const model::Value& value, Timestamp time);
  void execute_command(const std::string& unit_id, states::PackMLCommand command, const std::string& origin,
                       const std::shared_ptr<std::promise<CommandResult>>& reply);
  void journal(std::string kind, std::string subject, std::string payload);
  // Moves the alarm book's new transitions to the journal and to this tick's change set.
  void journal_alarm_transitions();
  void execute_alarm_operation(const AlarmOperation& operation,
                               const std::shared_ptr<std::promise<Result<AlarmOperationDone>>>& reply);
  // Hands this tick's events to the writer now; `done` gets the last seq once they are durable.
  void commit_events(std::function<void(std::int64_t)> done);
  void end_tick();
  void mark_unit(std::size_t unit_index);
  Driver* driver_for(const model::WorkUnit& unit);

  const model::Plant& plant_;
  const Clock& clock_;
  EngineOptions options_;
  store::StoreWriter* writer_;
  std::vector<std::int64_t> tag_keys_;
  std::vector<std::unique_ptr<Driver>> drivers_;
  std::vector<ChangeListener*> listeners_;

  PlantState state_;
  // Tick-local, engine thread only.
  std::vector<std::uint8_t> tag_dirty_;
  std::vector<std::uint8_t> unit_dirty_;
  std::vector<model::TagIndex> dirty_tags_;
  std::vector<std::uint8_t> observed_;  // by TagIndex: some listener wants every update
  std::vector<model::TagUpdate> samples_;
  std::optional<alarms::AlarmBook> alarm_book_;
  std::vector<alarms::Transition> alarm_transitions_;
  std::vector<std::size_t> dirty_units_;
  std::vector<store::HistoryRecord> history_;
  std::vector<store::JournalEvent> events_;
  EngineStats counters_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  EngineStats stats_;  // copy of counters_ published each tick
  std::thread thread_;
};

}  // namespace strata::engine
