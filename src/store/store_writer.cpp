#include "store/store_writer.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <utility>

namespace strata::store {
namespace {

// While stopping with a store that keeps failing, give up after this many attempts rather than
// hang the destructor forever; what is lost is reported on stderr.
constexpr int kStopAttempts = 5;

template <typename T>
void prepend(std::vector<T>& target, std::vector<T>&& front) {
  if (front.empty()) return;
  front.insert(front.end(), std::make_move_iterator(target.begin()), std::make_move_iterator(target.end()));
  target = std::move(front);
}

}  // namespace

StoreWriter::StoreWriter(std::unique_ptr<Store> store, WriterOptions options)
    : store_(std::move(store)), options_(options) {
  if (store_ == nullptr) {  // a programming error, not a runtime condition
    fmt::print(stderr, "strata store writer: constructed without a Store\n");
    std::abort();
  }
  if (options_.flush_interval_ms < 1) options_.flush_interval_ms = 1;
  if (options_.max_batch_values == 0) options_.max_batch_values = 1;
  thread_ = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StoreWriter::enqueue_history(std::vector<HistoryRecord> records) {
  bool full = false;
  {
    std::lock_guard lock(mutex_);
    if (pending_history_.empty()) {
      pending_history_ = std::move(records);
    } else {
      pending_history_.insert(pending_history_.end(), std::make_move_iterator(records.begin()),
                              std::make_move_iterator(records.end()));
    }
    ++enqueued_generation_;
    full = pending_history_.size() >= options_.max_batch_values;
  }
  if (full) wake_.notify_one();
}

void StoreWriter::enqueue_events(std::vector<JournalEvent> events,
                                 std::function<void(const std::vector<JournalEvent>&)> on_committed) {
  {
    std::lock_guard lock(mutex_);
    pending_events_.push_back(PendingEvents{std::move(events), std::move(on_committed)});
    ++enqueued_generation_;
  }
  wake_.notify_one();  // events are rare and should be durable promptly: do not wait for the interval
}

void StoreWriter::flush() {
  std::unique_lock lock(mutex_);
  const auto target = enqueued_generation_;
  if (committed_generation_ >= target) return;
  // An empty entry wakes the writer now instead of at its next interval; it commits nothing.
  pending_events_.push_back(PendingEvents{});
  lock.unlock();
  wake_.notify_one();
  lock.lock();
  flushed_.wait(lock, [&] { return committed_generation_ >= target; });
}

WriterStats StoreWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void StoreWriter::run() {
  const auto interval = std::chrono::milliseconds(options_.flush_interval_ms);
  bool last_failed = false;
  int stop_attempts = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (last_failed) {
      // Back off a full interval after an error: retry, but never spin on a broken store.
      wake_.wait_for(lock, interval, [] { return false; });
    } else {
      wake_.wait_for(lock, interval, [&] {
        return stopping_ || !pending_events_.empty() || pending_history_.size() >= options_.max_batch_values;
      });
    }
    if (pending_history_.empty() && pending_events_.empty()) {
      committed_generation_ = enqueued_generation_;
      flushed_.notify_all();
      if (stopping_) return;
      continue;
    }
    if (stopping_ && last_failed && ++stop_attempts >= kStopAttempts) {
      std::size_t lost_events = 0;
      for (const auto& pending : pending_events_) lost_events += pending.events.size();
      fmt::print(stderr,
                 "strata store writer: giving up at shutdown, dropping {} history values and {} events\n",
                 pending_history_.size(), lost_events);
      pending_history_.clear();
      pending_events_.clear();
      committed_generation_ = enqueued_generation_;
      flushed_.notify_all();
      return;
    }

    // Take everything pending; enqueuers keep going on fresh vectors while we write.
    const auto generation = enqueued_generation_;
    std::vector<HistoryRecord> history = std::move(pending_history_);
    pending_history_.clear();
    std::deque<PendingEvents> event_groups = std::move(pending_events_);
    pending_events_.clear();
    lock.unlock();

    WriterStats done;
    bool failed = false;

    // Events first, all groups of this cycle in one transaction of their own.
    std::vector<std::size_t> group_sizes;
    group_sizes.reserve(event_groups.size());
    std::vector<JournalEvent> events;
    for (auto& group : event_groups) {
      group_sizes.push_back(group.events.size());
      events.insert(events.end(), std::make_move_iterator(group.events.begin()),
                    std::make_move_iterator(group.events.end()));
      group.events.clear();
    }
    bool events_failed = false;
    if (!events.empty()) {
      if (auto appended = store_->append_events(events); appended) {
        ++done.transactions;
        done.events_written += events.size();
      } else {
        events_failed = true;
        ++done.errors;
        fmt::print(stderr, "strata store writer: {} events not committed, will retry: {}\n", events.size(),
                   appended.error().message);
      }
    }
    // Give each group its events back: with seqs once committed, unchanged to retry on failure.
    {
      auto next = events.begin();
      for (std::size_t i = 0; i < event_groups.size(); ++i) {
        const auto end = next + static_cast<std::ptrdiff_t>(group_sizes[i]);
        event_groups[i].events.assign(std::make_move_iterator(next), std::make_move_iterator(end));
        next = end;
      }
    }
    if (!events_failed) {
      for (const auto& group : event_groups) {
        if (group.on_committed) group.on_committed(group.events);
      }
      event_groups.clear();
    }
    failed = events_failed;

    // History in transactions of at most max_batch_values values.
    std::vector<HistoryRecord> history_left;
    if (!history.empty()) {
      std::size_t begin = 0;
      while (begin < history.size()) {
        const std::size_t end = std::min(history.size(), begin + options_.max_batch_values);
        Result<void> appended;
        if (begin == 0 && end == history.size()) {
          appended = store_->append_history(history);
        } else {
          std::vector<HistoryRecord> chunk(
              std::make_move_iterator(history.begin() + static_cast<std::ptrdiff_t>(begin)),
              std::make_move_iterator(history.begin() + static_cast<std::ptrdiff_t>(end)));
          appended = store_->append_history(chunk);
          if (!appended) {
            // Put the chunk back so the retry sees the values in their original order.
            std::move(chunk.begin(), chunk.end(), history.begin() + static_cast<std::ptrdiff_t>(begin));
          }
        }
        if (!appended) {
          failed = true;
          ++done.errors;
          fmt::print(stderr, "strata store writer: {} history values not committed, will retry: {}\n",
                     history.size() - begin, appended.error().message);
          history_left.assign(std::make_move_iterator(history.begin() + static_cast<std::ptrdiff_t>(begin)),
                              std::make_move_iterator(history.end()));
          break;
        }
        ++done.transactions;
        done.history_values_written += end - begin;
        begin = end;
      }
    }

    lock.lock();
    stats_.history_values_written += done.history_values_written;
    stats_.events_written += done.events_written;
    stats_.transactions += done.transactions;
    stats_.errors += done.errors;
    prepend(pending_history_, std::move(history_left));
    if (events_failed) {
      for (auto it = event_groups.rbegin(); it != event_groups.rend(); ++it) {
        if (!it->events.empty() || it->on_committed) pending_events_.push_front(std::move(*it));
      }
    }
    last_failed = failed;
    if (!failed) {
      committed_generation_ = generation;
      flushed_.notify_all();
    }
  }
}

}  // namespace strata::store
