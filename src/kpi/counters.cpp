#include "kpi/counters.hpp"

#include <algorithm>
#include <string>

namespace strata::kpi {

Result<CounterTracker> CounterTracker::create(CounterOptions options) {
  if (options.modulus && *options.modulus <= 0) {
    return make_error("counter modulus must be positive, got " + std::to_string(*options.modulus));
  }
  if (options.max_wrap_increment < 0) {
    return make_error("max_wrap_increment must not be negative");
  }
  return CounterTracker(options);
}

Result<std::int64_t> CounterTracker::add(const CounterSample& sample) {
  if (previous_ && sample.at < previous_->at) {
    return make_error("counter sample at " + std::to_string(sample.at) +
                      " is older than the previous one at " + std::to_string(previous_->at));
  }
  CounterSample current = sample;
  if (options_.modulus) {
    const std::int64_t m = *options_.modulus;
    current.value = ((current.value % m) + m) % m;
  }
  std::int64_t increment = 0;
  if (previous_) {
    const std::int64_t before = previous_->value;
    if (current.value >= before) {
      increment = current.value - before;
    } else if (options_.modulus &&
               current.value + *options_.modulus - before <= options_.max_wrap_increment) {
      increment = current.value + *options_.modulus - before;
      ++wraps_;
    } else {
      increment = current.value > 0 ? current.value : 0;  // a negative count is noise, not production
      ++resets_;
    }
  }
  previous_ = current;
  total_ += increment;
  return increment;
}

Result<std::vector<CounterIncrement>> counter_increments(std::span<const CounterSample> samples,
                                                         CounterOptions options) {
  auto tracker = CounterTracker::create(options);
  if (!tracker) {
    return tracker.error();
  }
  std::vector<CounterIncrement> increments;
  increments.reserve(samples.empty() ? 0 : samples.size() - 1);
  bool first = true;
  for (const auto& sample : samples) {
    auto increment = tracker->add(sample);
    if (!increment) {
      return increment.error();
    }
    if (!first) {
      increments.push_back({sample.at, *increment});
    }
    first = false;
  }
  return increments;
}

std::vector<std::int64_t> attribute_to_intervals(std::span<const CounterIncrement> increments,
                                                 std::span<const Interval> intervals) {
  // Prefix sums over the increments in time order make each interval two binary searches, so a
  // month of 10-second samples against 90 shifts stays linear in the samples (intervals may overlap,
  // e.g. a day and its shifts).
  std::vector<CounterIncrement> ordered(increments.begin(), increments.end());
  const auto by_time = [](const CounterIncrement& a, const CounterIncrement& b) { return a.at < b.at; };
  if (!std::is_sorted(ordered.begin(), ordered.end(), by_time)) {
    std::stable_sort(ordered.begin(), ordered.end(), by_time);
  }
  std::vector<std::int64_t> prefix(ordered.size() + 1, 0);
  for (std::size_t i = 0; i < ordered.size(); ++i) prefix[i + 1] = prefix[i] + ordered[i].count;
  // Index of the first increment with at > t.
  const auto first_after = [&](Timestamp t) {
    return static_cast<std::size_t>(std::upper_bound(ordered.begin(), ordered.end(), t,
                                                     [](Timestamp value, const CounterIncrement& increment) {
                                                       return value < increment.at;
                                                     }) -
                                    ordered.begin());
  };
  std::vector<std::int64_t> sums;
  sums.reserve(intervals.size());
  for (const auto& interval : intervals) {
    if (interval.end <= interval.begin) {
      sums.push_back(0);
      continue;
    }
    sums.push_back(prefix[first_after(interval.end)] - prefix[first_after(interval.begin)]);
  }
  return sums;
}

}  // namespace strata::kpi
