#include "kpi/unit_evaluation.hpp"

#include <algorithm>
#include <iterator>

namespace strata::kpi {

Performance& Performance::operator+=(const Performance& other) {
  time += other.time;
  quantities += other.quantities;
  ideal_run_time += other.ideal_run_time;
  ideal_rate_unknown = ideal_rate_unknown || other.ideal_rate_unknown;
  produced_outside_planned_time += other.produced_outside_planned_time;
  failures.insert(failures.end(), other.failures.begin(), other.failures.end());
  return *this;
}

KpiValues Performance::kpis() const {
  const double pru = quantities.pq > 0.0 ? ideal_run_time / quantities.pq : 0.0;
  // Time in an unknown state (no data yet, a PLC that was unreachable) is a gap in what we know, not a
  // loss of the equipment: the KPIs are computed over the time whose state is known.
  TimeElements known = time;
  known.pot -= time.not_counted;
  known.not_counted = 0.0;
  auto kpis = compute_kpis(known, quantities, pru, failures);
  if (ideal_rate_unknown) {
    kpis.effectiveness.reset();
    kpis.oee.reset();
    kpis.nee.reset();
  }
  return kpis;
}

namespace {

// Sorted, merged copy of intervals clipped to `period`.
std::vector<Interval> merged(std::span<const Interval> intervals, const Interval& period) {
  std::vector<Interval> clipped;
  for (const auto& interval : intervals) {
    const Interval part{std::max(interval.begin, period.begin), std::min(interval.end, period.end)};
    if (part.length() > 0) clipped.push_back(part);
  }
  std::sort(clipped.begin(), clipped.end(),
            [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  std::vector<Interval> result;
  for (const auto& interval : clipped) {
    if (!result.empty() && interval.begin <= result.back().end) {
      result.back().end = std::max(result.back().end, interval.end);
    } else {
      result.push_back(interval);
    }
  }
  return result;
}

}  // namespace

std::vector<Interval> planned_busy_intervals(const Interval& period, std::span<const Interval> shifts,
                                             std::span<const Interval> planned_downtime) {
  const auto operating = merged(shifts, period);
  const auto planned = merged(planned_downtime, period);
  std::vector<Interval> busy;
  std::size_t next_planned = 0;
  for (const auto& window : operating) {
    Timestamp from = window.begin;
    while (next_planned < planned.size() && planned[next_planned].end <= from) ++next_planned;
    for (std::size_t p = next_planned; p < planned.size() && planned[p].begin < window.end; ++p) {
      if (planned[p].begin > from) busy.push_back({from, planned[p].begin});
      from = std::max(from, planned[p].end);
    }
    if (from < window.end) busy.push_back({from, window.end});
  }
  return busy;
}

std::int64_t count_in(std::span<const CounterIncrement> increments, const Interval& interval) {
  const auto after = [](const CounterIncrement& increment, Timestamp t) { return increment.at <= t; };
  const auto first = std::lower_bound(increments.begin(), increments.end(), interval.begin, after);
  const auto last = std::lower_bound(first, increments.end(), interval.end, after);
  std::int64_t total = 0;
  for (auto it = first; it != last; ++it) total += it->count;
  return total;
}

Result<UnitEvaluation> evaluate_unit(const UnitEvaluationInput& input) {
  static const StateMapping kDefaultMapping;
  const UnitSeries& series = *input.series;
  auto classified =
      classify(ClassifierInput{series.changes, input.period, input.shifts, input.planned_downtime},
               input.mapping != nullptr ? *input.mapping : kDefaultMapping);
  if (!classified) return classified.error();

  UnitEvaluation evaluation;
  auto& performance = evaluation.performance;
  performance.time = classified->time;
  performance.failures = std::move(classified->failures);
  evaluation.stops = std::move(classified->stops);

  const auto busy = planned_busy_intervals(input.period, input.shifts, input.planned_downtime);
  const auto counted = [&](std::span<const CounterIncrement> increments) {
    std::int64_t total = 0;
    for (const auto& interval : busy) {
      total += count_in(increments, interval);
    }
    return static_cast<double>(total);
  };
  auto& quantities = performance.quantities;
  quantities.pq = counted(series.produced);
  quantities.sq = counted(series.defective);
  quantities.rq = counted(series.rework);
  quantities.gq = std::max(0.0, quantities.pq - quantities.sq - quantities.rq);
  performance.produced_outside_planned_time =
      static_cast<double>(count_in(series.produced, input.period)) - quantities.pq;
  const auto* by_product = input.ideal_cycle_seconds_by_product;
  if (by_product == nullptr || by_product->empty() || series.products.empty()) {
    performance.ideal_run_time = input.ideal_cycle_seconds * quantities.pq;
    performance.ideal_rate_unknown = input.ideal_cycle_seconds <= 0.0;
    return evaluation;
  }
  // Σ PRU(product running when counted) × units: the product is the one set at or before the sample.
  const auto pru_at = [&](Timestamp t) {
    const auto& products = series.products;
    const auto after =
        std::upper_bound(products.begin(), products.end(), t,
                         [](Timestamp at, const ProductSample& sample) { return at < sample.at; });
    if (after == products.begin()) return input.ideal_cycle_seconds;
    const auto own = by_product->find(std::prev(after)->product);
    return own != by_product->end() ? own->second : input.ideal_cycle_seconds;
  };
  const auto after_time = [](const CounterIncrement& increment, Timestamp t) { return increment.at <= t; };
  for (const auto& interval : busy) {
    const auto& produced = series.produced;
    auto it = std::lower_bound(produced.begin(), produced.end(), interval.begin, after_time);
    for (; it != produced.end() && it->at <= interval.end; ++it) {
      const double pru = pru_at(it->at);
      if (pru <= 0.0) performance.ideal_rate_unknown = true;
      performance.ideal_run_time += pru * static_cast<double>(it->count);
    }
  }
  return evaluation;
}

}  // namespace strata::kpi
