#pragma once
// Time comes from an injectable clock so tests can run hours of plant time in milliseconds.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace strata {

// Microseconds since the Unix epoch, UTC. One integer keeps tag values small and comparisons cheap.
using Timestamp = std::int64_t;
constexpr Timestamp kMicrosPerMilli = 1000;
constexpr Timestamp kMicrosPerSecond = 1'000'000;

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Plant time that only moves when told to; thread-safe so a test can advance it while threads read it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = 1'767'225'600LL * kMicrosPerSecond) : now_(start) {}  // 2026-01-01
  [[nodiscard]] Timestamp now() const override { return now_.load(std::memory_order_acquire); }
  void advance(Timestamp micros) { now_.fetch_add(micros, std::memory_order_acq_rel); }
  void set(Timestamp t) { now_.store(t, std::memory_order_release); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace strata
