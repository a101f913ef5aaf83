#pragma once
// Production counts from PLC counter samples (PackTags ProdProcessedCount / ProdDefectiveCount, standards.md
// §3.5), robust to counter resets and wrap-around.
//
// Rule for a sample value v after a previous value p:
//  - v >= p: the counter advanced by v - p.
//  - v <  p and a modulus m is configured and v + m - p <= max_wrap_increment: the counter wrapped
//    (Int32 PackTags counters roll over at 2,147,483,647), increment v + m - p.
//  - otherwise v < p is a reset (job start, AccTimeSinceReset, PLC restart): the counter restarted from 0,
//    increment v. Resets are routine and wraps of a 2^31 counter rare, so an ambiguous drop (e.g. a reset
//    just before the top) resolves to reset; max_wrap_increment should be the most the counter can
//    plausibly advance between two samples.
// With a modulus, values are first taken modulo m, so a signed Int32 that overflows to -2^31 reads as 0.
// The first sample only sets the baseline: what was counted before it is not ours to attribute.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "kpi/interval.hpp"

namespace strata::kpi {

inline constexpr std::int64_t kInt32CounterModulus = std::int64_t{1} << 31;

struct CounterOptions {
  std::optional<std::int64_t> modulus{};  // e.g. kInt32CounterModulus; none = the counter never wraps
  std::int64_t max_wrap_increment = 1'000'000;
};

struct CounterSample {
  Timestamp at = 0;
  std::int64_t value = 0;
};

// Units counted between the previous sample and the one taken at `at`.
struct CounterIncrement {
  Timestamp at = 0;
  std::int64_t count = 0;
  friend bool operator==(const CounterIncrement&, const CounterIncrement&) = default;
};

class CounterTracker {
 public:
  // Refuses a modulus <= 0 or a negative max_wrap_increment.
  [[nodiscard]] static Result<CounterTracker> create(CounterOptions options = {});

  // The increment since the previous sample (0 for the first); refuses samples older than the previous one.
  Result<std::int64_t> add(const CounterSample& sample);

  [[nodiscard]] std::int64_t total() const { return total_; }
  [[nodiscard]] int resets() const { return resets_; }
  [[nodiscard]] int wraps() const { return wraps_; }

 private:
  explicit CounterTracker(CounterOptions options) : options_(options) {}

  CounterOptions options_;
  std::optional<CounterSample> previous_;
  std::int64_t total_ = 0;
  int resets_ = 0;
  int wraps_ = 0;
};

// Increments of a whole sample series, in sample order (the first sample yields none).
[[nodiscard]] Result<std::vector<CounterIncrement>> counter_increments(std::span<const CounterSample> samples,
                                                                       CounterOptions options = {});

// Sum of increments per interval (e.g. per shift), by the time of the sample that observed them. The units
// were made before that sample, so an increment at t counts in an interval when begin < t <= end: a sample
// taken exactly at a shift change closes the ending shift. Units made between two samples count where the
// later sample falls, so sample often relative to the intervals. An increment counts in every interval that
// takes it; the result has one entry per interval.
[[nodiscard]] std::vector<std::int64_t> attribute_to_intervals(std::span<const CounterIncrement> increments,
                                                               std::span<const Interval> intervals);

}  // namespace strata::kpi
