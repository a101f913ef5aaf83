#pragma once
// Collects the Notifier's delivery log and lets a test wait for final outcomes. The wait has a hang
// guard only: tests assert on what happened, never on how long it took.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "notify/delivery_record.hpp"
#include "delivery/notifier.hpp"

namespace strata::notify::test {

class DeliveryLogRecorder {
 public:
  [[nodiscard]] DeliveryLog callback() {
    return [this](const DeliveryRecord& record) {
      {
        std::lock_guard lock(mutex_);
        records_.push_back(record);
      }
      changed_.notify_all();
    };
  }

  // Waits until `count` records are final (delivered or failed); false if that never happens.
  [[nodiscard]] bool wait_for_final(std::size_t count) {
    return wait_for([&] { return final_count() >= count; });
  }
  // Waits until any record has `outcome`.
  [[nodiscard]] bool wait_for_outcome(DeliveryOutcome outcome) {
    return wait_for([&] {
      for (const auto& record : records_) {
        if (record.outcome == outcome) return true;
      }
      return false;
    });
  }

  [[nodiscard]] std::vector<DeliveryRecord> records() const {
    std::lock_guard lock(mutex_);
    return records_;
  }

 private:
  template <typename Predicate>
  bool wait_for(Predicate predicate) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kHangGuard, predicate);
  }
  [[nodiscard]] std::size_t final_count() const {
    std::size_t count = 0;
    for (const auto& record : records_) count += record.outcome != DeliveryOutcome::Retrying ? 1 : 0;
    return count;
  }

  static constexpr std::chrono::seconds kHangGuard{60};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<DeliveryRecord> records_;
};

}  // namespace strata::notify::test
