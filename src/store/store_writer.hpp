#pragma once
// Background writer: the engine hands it history and events without blocking; it commits them in
// batches (one transaction per batch, never one per value) on its own thread and connection.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace strata::store {

struct WriterOptions {
  int flush_interval_ms = 100;  // longest an accepted value waits before its commit
  std::size_t max_batch_values = 50'000;
};

struct WriterStats {
  std::uint64_t history_values_written = 0;
  std::uint64_t events_written = 0;
  std::uint64_t transactions = 0;
  std::uint64_t errors = 0;
};

class StoreWriter {
 public:
  StoreWriter(std::unique_ptr<Store> store, WriterOptions options = {});
  ~StoreWriter();  // flushes everything accepted, then stops
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  void enqueue_history(std::vector<HistoryRecord> records);
  // on_committed (optional) runs on the writer thread once the events are durable, with their seqs.
  void enqueue_events(std::vector<JournalEvent> events,
                      std::function<void(const std::vector<JournalEvent>&)> on_committed = {});
  // Blocks until everything enqueued before the call is committed.
  void flush();
  [[nodiscard]] WriterStats stats() const;

 private:
  struct PendingEvents {
    std::vector<JournalEvent> events;
    std::function<void(const std::vector<JournalEvent>&)> on_committed;
  };
  void run();

  std::unique_ptr<Store> store_;
  WriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::vector<HistoryRecord> pending_history_;
  std::deque<PendingEvents> pending_events_;
  std::uint64_t enqueued_generation_ = 0;
  std::uint64_t committed_generation_ = 0;
  bool stopping_ = false;
  WriterStats stats_;
  std::thread thread_;
};

}  // namespace strata::store
