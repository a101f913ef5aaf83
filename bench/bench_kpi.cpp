// KPI recomputation for 50 units over 30 days of history (the OEE issue's sizing): classify every unit's
// PackML history per day and per shift, turn PackTags counter samples into quantities per shift, aggregate
// units to lines and the area, and compute the ISO 22400 KPIs of every unit / line / area x shift / day.
//
// The plant is simulated deterministically (own PRNG, fixed seed) once, outside the timed loops, and the
// results are checked once (every planned second accounted for, counts equal to what was made) before
// anything is timed. CPU time of one thread, so every rate is per core.
//
// History: "full" hands the classifier the unit's whole 30-day history for every period (the API allows
// it); "sliced" starts it at the change in force when the period begins, as a store query for the period
// would. Both give the same results (checked), but the failure scan walks the history from its start.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "kpi/classifier.hpp"
#include "kpi/counters.hpp"
#include "kpi/formulas.hpp"
#include "kpi/interval.hpp"
#include "kpi/time_elements.hpp"
#include "states/packml.hpp"

namespace {

namespace kpi = strata::kpi;
namespace states = strata::states;
using strata::kMicrosPerSecond;
using strata::Result;
using strata::Timestamp;
using enum states::PackMLState;

constexpr std::size_t kUnits = 50;
constexpr std::size_t kUnitsPerLine = 10;
constexpr std::size_t kLines = kUnits / kUnitsPerLine;
constexpr std::size_t kEntities = kUnits + kLines + 1;  // units, then lines, then the area
constexpr std::size_t kArea = kUnits + kLines;
constexpr std::size_t kDays = 30;
constexpr std::size_t kShiftsPerDay = 3;
constexpr std::size_t kShifts = kDays * kShiftsPerDay;
constexpr std::size_t kPeriods = kShifts + kDays;  // shifts first, then days

constexpr Timestamp kMilli = 1000;
constexpr Timestamp kMinute = 60 * kMicrosPerSecond;
constexpr Timestamp kHour = 60 * kMinute;
constexpr Timestamp kDay = 24 * kHour;
constexpr Timestamp kShiftLength = 8 * kHour;
constexpr Timestamp kStart = 1'767'225'600LL * kMicrosPerSecond + 6 * kHour;  // 2026-01-01 06:00 UTC
constexpr Timestamp kEnd = kStart + static_cast<Timestamp>(kDays) * kDay;
constexpr Timestamp kSampleEvery = 10 * kMicrosPerSecond;
constexpr std::uint64_t kSeed = 0x5354'5241'5441'4b50ULL;  // "STRATAKP"

const kpi::CounterOptions kCounterOptions{.modulus = kpi::kInt32CounterModulus,
                                          .max_wrap_increment = 1'000'000};

// SplitMix64: tiny, and the same sequence on every standard library (unlike <random> distributions).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E37'79B9'7F4A'7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBULL;
    return z ^ (z >> 31);
  }
  std::int64_t between(std::int64_t low, std::int64_t high) {  // inclusive
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t state_;
};

struct Unit {
  std::vector<kpi::StateChange> changes;
  std::vector<kpi::CounterSample> processed;  // ProdProcessedCount, Int32 as the PLC reports it
  std::vector<kpi::CounterSample> defective;  // ProdDefectiveCount
  double pru = 0.0;                           // planned run time per unit, s
  std::int64_t made = 0;                      // truth: units made between the first and the last sample
  std::int64_t scrapped = 0;
};

struct Plant {
  std::vector<Unit> units;
  std::vector<kpi::Interval> shifts;  // kShifts, 06-14, 14-22, 22-06
  std::vector<kpi::Interval> breaks;  // planned downtime: 15 + 30 + 15 min per shift
  std::vector<kpi::Interval> days;    // kDays, 06:00 to 06:00
};

// Runs of Execute broken by starved/blocked (Suspend), holds, faults (Abort), stops, changeovers in Manual
// mode and communication losses (Undefined); on average a change every ~1.5 minutes of plant time. The crew
// stops the unit for breaks (around their start) and starts it again shortly after they end.
std::vector<kpi::StateChange> simulate_states(Rng& rng, Timestamp from, Timestamp to,
                                              std::span<const kpi::Interval> breaks) {
  std::vector<kpi::StateChange> changes;
  Timestamp t = from;
  states::UnitMode mode = states::kModeProduction;
  const auto enter = [&](states::PackMLState state, std::int64_t min_seconds, std::int64_t max_seconds) {
    changes.push_back({t, state, mode});
    t += rng.between(min_seconds * kMicrosPerSecond, max_seconds * kMicrosPerSecond);
  };
  const auto restart = [&] {
    enter(Resetting, 1, 10);
    enter(Idle, 5, 60);
    enter(Starting, 1, 10);
  };
  std::size_t next_break = 0;
  while (t < to) {
    while (next_break < breaks.size() && breaks[next_break].begin <= t) ++next_break;
    const Timestamp run = rng.between(30 * kMicrosPerSecond, 420 * kMicrosPerSecond);
    if (next_break < breaks.size() && t + run >= breaks[next_break].begin) {
      const kpi::Interval& pause = breaks[next_break];
      changes.push_back({t, Execute, mode});
      t = std::max(t + kMicrosPerSecond,
                   pause.begin + rng.between(-60 * kMicrosPerSecond, 30 * kMicrosPerSecond));
      enter(Stopping, 1, 10);
      changes.push_back({t, Stopped, mode});
      t = std::max(t + kMicrosPerSecond, pause.end + rng.between(0, 120 * kMicrosPerSecond));
      restart();
      ++next_break;
      continue;
    }
    changes.push_back({t, Execute, mode});
    t += run;
    const std::int64_t roll = rng.between(0, 99);
    if (roll < 45) {  // starved / blocked
      enter(Suspending, 1, 3);
      enter(Suspended, 5, 90);
      enter(Unsuspending, 1, 3);
    } else if (roll < 75) {  // minor fault or operator hold
      enter(Holding, 1, 5);
      enter(Held, 10, 300);
      enter(Unholding, 1, 5);
    } else if (roll < 83) {  // malfunction
      enter(Aborting, 1, 5);
      enter(Aborted, 120, 1200);
      enter(Clearing, 5, 30);
      enter(Stopped, 10, 120);
      restart();
    } else if (roll < 93) {  // stop
      enter(Stopping, 1, 10);
      enter(Stopped, 30, 600);
      restart();
    } else if (roll < 98) {  // changeover in Manual mode
      enter(Stopping, 1, 10);
      enter(Stopped, 10, 300);
      mode = states::kModeManual;
      restart();
      enter(Execute, 60, 900);
      enter(Stopping, 1, 10);
      enter(Stopped, 10, 60);
      mode = states::kModeProduction;
      restart();
    } else {  // communication loss
      enter(Undefined, 5, 180);
    }
  }
  return changes;
}

// Counter samples every 10 s (+-300 ms jitter inside the run, exact at both ends so every increment falls
// in a shift). The line makes product while in Execute/Production at 85-97 % of the PRU speed, scraps
// 0.5-3 %, resets both counters about every two days from day 2 on (job start), and the processed counter
// starts just below 2^31 so it wraps on day 0 (Int32 PackTags roll over to negative).
void simulate_counters(Rng& rng, Unit& unit, std::size_t index) {
  const double speed = 0.85 + 0.12 * rng.unit();
  const double scrap = 0.005 + 0.025 * rng.unit();
  const Timestamp cycle = static_cast<Timestamp>(unit.pru / speed * static_cast<double>(kMicrosPerSecond));
  const std::int64_t samples = (kEnd - kStart) / kSampleEvery;  // intervals; samples + 1 points
  std::int64_t processed = kpi::kInt32CounterModulus - 5'000 - 300 * static_cast<std::int64_t>(index);
  std::int64_t defective = rng.between(0, 1000);
  const auto record = [&](Timestamp at) {
    // The PLC's Int32: two's complement of the running count (C++20 defines the narrowing as modular).
    unit.processed.push_back({at, static_cast<std::int32_t>(static_cast<std::uint32_t>(processed))});
    unit.defective.push_back({at, static_cast<std::int32_t>(static_cast<std::uint32_t>(defective))});
  };
  unit.processed.reserve(static_cast<std::size_t>(samples + 1));
  unit.defective.reserve(static_cast<std::size_t>(samples + 1));
  record(kStart);

  const auto& changes = unit.changes;
  std::size_t current = 0;  // the change in force at the window start
  Timestamp producing_carry = 0;
  Timestamp previous = kStart;
  for (std::int64_t i = 1; i <= samples; ++i) {
    const Timestamp at =
        kStart + i * kSampleEvery + (i == samples ? 0 : rng.between(-300 * kMilli, 300 * kMilli));
    // Execute/Production time in [previous, at).
    while (current + 1 < changes.size() && changes[current + 1].at <= previous) ++current;
    Timestamp producing = 0;
    for (Timestamp t = previous; t < at;) {
      const Timestamp next = current + 1 < changes.size() ? std::min(at, changes[current + 1].at) : at;
      if (changes[current].state == Execute && changes[current].mode == states::kModeProduction) {
        producing += next - t;
      }
      t = next;
      if (t < at) ++current;
    }
    producing_carry += producing;
    const std::int64_t made = producing_carry / cycle;
    producing_carry %= cycle;
    std::int64_t scrapped = 0;
    for (std::int64_t k = 0; k < made; ++k) scrapped += rng.chance(scrap) ? 1 : 0;

    if (at >= kStart + 2 * kDay && rng.chance(1.0 / 17'280.0)) {
      processed = 0;
      defective = 0;
    }
    processed += made;
    defective += scrapped;
    unit.made += made;
    unit.scrapped += scrapped;
    record(at);
    previous = at;
  }
}

Plant simulate_plant() {
  Plant plant;
  for (std::size_t day = 0; day < kDays; ++day) {
    const Timestamp day_start = kStart + static_cast<Timestamp>(day) * kDay;
    plant.days.push_back({day_start, day_start + kDay});
    for (std::size_t shift = 0; shift < kShiftsPerDay; ++shift) {
      const Timestamp start = day_start + static_cast<Timestamp>(shift) * kShiftLength;
      plant.shifts.push_back({start, start + kShiftLength});
      plant.breaks.push_back({start + 120 * kMinute, start + 135 * kMinute});
      plant.breaks.push_back({start + 240 * kMinute, start + 270 * kMinute});
      plant.breaks.push_back({start + 360 * kMinute, start + 375 * kMinute});
    }
  }
  plant.units.resize(kUnits);
  for (std::size_t u = 0; u < kUnits; ++u) {
    Rng rng(kSeed + u);
    Unit& unit = plant.units[u];
    unit.pru = 0.5 + 0.5 * rng.unit();  // 60-120 units per minute
    // History from 2 h before the first shift (state known at the start) to 2 h after the last one
    // (repairs that outlast the period still get their TTR).
    unit.changes = simulate_states(rng, kStart - 2 * kHour, kEnd + 2 * kHour, plant.breaks);
    simulate_counters(rng, unit, u);
  }
  return plant;
}

const Plant& plant() {
  static const Plant simulated = simulate_plant();
  return simulated;
}

// ---------------------------------------------------------------------------------------------------------
// The recomputation under test.

enum class History : std::uint8_t { Full, Sliced };

struct DayRange {  // days [first, last)
  std::size_t first = 0;
  std::size_t last = kDays;
};

struct Slot {  // one entity (unit, line, area) over one period (shift, day)
  kpi::TimeElements time;
  kpi::Quantities quantities;
  double pru = 0.0;
  std::vector<kpi::FailureEvent> failures;
  kpi::KpiValues kpi;
};

struct Output {
  std::vector<Slot> slots = std::vector<Slot>(kEntities * kPeriods);
  Slot& at(std::size_t entity, std::size_t period) { return slots[entity * kPeriods + period]; }
  [[nodiscard]] const Slot& at(std::size_t entity, std::size_t period) const {
    return slots[entity * kPeriods + period];
  }
};

std::size_t line_of(std::size_t unit) {
  return kUnits + unit / kUnitsPerLine;
}

template <typename F>
void for_each_period(DayRange days, F&& f) {
  for (std::size_t s = days.first * kShiftsPerDay; s < days.last * kShiftsPerDay; ++s) f(s);
  for (std::size_t d = days.first; d < days.last; ++d) f(kShifts + d);
}

const kpi::Interval& period_interval(const Plant& p, std::size_t period) {
  return period < kShifts ? p.shifts[period] : p.days[period - kShifts];
}

std::span<const kpi::StateChange> changes_for(const std::vector<kpi::StateChange>& all, Timestamp begin,
                                              History history) {
  if (history == History::Full) return all;
  // From the change before the one in force at `begin`, so a failure entered exactly at `begin` still
  // sees the Execute it left.
  const auto in_force =
      std::upper_bound(all.begin(), all.end(), begin,
                       [](Timestamp t, const kpi::StateChange& change) { return t < change.at; });
  const auto before = std::distance(all.begin(), in_force);
  return std::span(all).subspan(static_cast<std::size_t>(before - std::min<std::ptrdiff_t>(before, 2)));
}

// (1) Time elements and failures per unit and period, summed to lines and the area.
Result<void> classify_all(const Plant& p, DayRange days, History history, Output& out) {
  Result<void> status;
  for (std::size_t u = 0; u < kUnits && status.ok(); ++u) {
    for_each_period(days, [&](std::size_t period) {
      if (!status.ok()) return;
      const kpi::Interval& interval = period_interval(p, period);
      auto result = kpi::classify({.changes = changes_for(p.units[u].changes, interval.begin, history),
                                   .period = interval,
                                   .shifts = p.shifts,
                                   .planned_downtime = p.breaks});
      if (!result) {
        status = result.error();
        return;
      }
      Slot& slot = out.at(u, period);
      slot.time = result->time;
      slot.failures = std::move(result->failures);
    });
  }
  if (!status.ok()) return status;
  for_each_period(days, [&](std::size_t period) {
    for (std::size_t e = kUnits; e < kEntities; ++e) {
      out.at(e, period).time = {};
      out.at(e, period).failures.clear();
    }
    Slot& area = out.at(kArea, period);
    for (std::size_t u = 0; u < kUnits; ++u) {
      const Slot& unit = out.at(u, period);
      Slot& line = out.at(line_of(u), period);
      line.time += unit.time;
      area.time += unit.time;
      line.failures.insert(line.failures.end(), unit.failures.begin(), unit.failures.end());
      area.failures.insert(area.failures.end(), unit.failures.begin(), unit.failures.end());
    }
  });
  return status;
}

std::span<const kpi::CounterSample> samples_between(const std::vector<kpi::CounterSample>& samples,
                                                    Timestamp from, Timestamp to) {
  // From the last sample at or before `from`, the baseline (increments count in (begin, end]), to the
  // last one at or before `to`.
  const auto by_time = [](Timestamp t, const kpi::CounterSample& sample) { return t < sample.at; };
  auto first = std::upper_bound(samples.begin(), samples.end(), from, by_time);
  if (first != samples.begin()) --first;
  const auto last = std::upper_bound(first, samples.end(), to, by_time);
  return {first, last};
}

// (2) Counter samples -> PQ / SQ / GQ per unit and shift; days are sums of their shifts; PRU of lines and
// the area is the PQ-weighted mean.
Result<void> quantities_all(const Plant& p, DayRange days, Output& out) {
  const std::size_t first_shift = days.first * kShiftsPerDay;
  const std::size_t shift_count = (days.last - days.first) * kShiftsPerDay;
  const auto shifts = std::span(p.shifts).subspan(first_shift, shift_count);
  const Timestamp from = p.days[days.first].begin;
  const Timestamp to = p.days[days.last - 1].end;
  for (std::size_t u = 0; u < kUnits; ++u) {
    const Unit& unit = p.units[u];
    const auto processed =
        kpi::counter_increments(samples_between(unit.processed, from, to), kCounterOptions);
    if (!processed) return processed.error();
    const auto defective =
        kpi::counter_increments(samples_between(unit.defective, from, to), kCounterOptions);
    if (!defective) return defective.error();
    const std::vector<std::int64_t> pq = kpi::attribute_to_intervals(*processed, shifts);
    const std::vector<std::int64_t> sq = kpi::attribute_to_intervals(*defective, shifts);
    for (std::size_t i = 0; i < shift_count; ++i) {
      Slot& slot = out.at(u, first_shift + i);
      slot.quantities = {.pq = static_cast<double>(pq[i]),
                         .gq = static_cast<double>(pq[i] - sq[i]),
                         .sq = static_cast<double>(sq[i]),
                         .rq = 0.0};
      slot.pru = unit.pru;
    }
    for (std::size_t d = days.first; d < days.last; ++d) {
      Slot& day = out.at(u, kShifts + d);
      day.quantities = {};
      for (std::size_t s = d * kShiftsPerDay; s < (d + 1) * kShiftsPerDay; ++s) {
        day.quantities += out.at(u, s).quantities;
      }
      day.pru = unit.pru;
    }
  }
  for_each_period(days, [&](std::size_t period) {
    for (std::size_t e = kUnits; e < kEntities; ++e) {
      out.at(e, period).quantities = {};
      out.at(e, period).pru = 0.0;
    }
    for (std::size_t u = 0; u < kUnits; ++u) {
      const Slot& unit = out.at(u, period);
      for (Slot* total : {&out.at(line_of(u), period), &out.at(kArea, period)}) {
        total->pru = kpi::weighted_pru(total->pru, total->quantities.pq, unit.pru, unit.quantities.pq);
        total->quantities += unit.quantities;
      }
    }
  });
  return {};
}

// (3) The KPIs of every unit, line and the area for every shift and day.
std::size_t kpis_all(DayRange days, Output& out) {
  std::size_t computed = 0;
  for (std::size_t e = 0; e < kEntities; ++e) {
    for_each_period(days, [&](std::size_t period) {
      Slot& slot = out.at(e, period);
      slot.kpi = kpi::compute_kpis(slot.time, slot.quantities, slot.pru, slot.failures);
      ++computed;
    });
  }
  return computed;
}

Result<void> recompute(const Plant& p, DayRange days, History history, Output& out) {
  if (auto classified = classify_all(p, days, history, out); !classified) return classified;
  if (auto counted = quantities_all(p, days, out); !counted) return counted;
  kpis_all(days, out);
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// Checked once, before anything is timed.

std::string check_elements(const Output& out, std::size_t entity, std::size_t period, double expected_pot) {
  const kpi::TimeElements& t = out.at(entity, period).time;
  const double sum = t.pdot + t.apt + t.asut + t.adet + t.adot + t.not_counted;
  const double tolerance = 1e-9 * t.pot + 1e-6;
  char message[200];
  if (std::fabs(sum - t.pot) > tolerance || std::fabs(t.pot - expected_pot) > tolerance) {
    std::snprintf(message, sizeof message,
                  "entity %zu period %zu: elements sum to %.6f s, POT %.6f s (expect %.0f)", entity, period,
                  sum, t.pot, expected_pot);
    return message;
  }
  return {};
}

std::string verify() {
  const Plant& p = plant();
  Output full;
  if (auto done = recompute(p, {}, History::Full, full); !done) return "recompute: " + done.error().message;

  for (std::size_t e = 0; e < kEntities; ++e) {
    const double units = e < kUnits ? 1.0 : e == kArea ? static_cast<double>(kUnits) : kUnitsPerLine;
    for (std::size_t period = 0; period < kPeriods; ++period) {
      const double pot = units * (period < kShifts ? 8.0 : 24.0) * 3600.0;
      if (auto error = check_elements(full, e, period, pot); !error.empty()) return error;
    }
  }
  // Counts: what was made, through one wrap per unit and the resets.
  std::int64_t made = 0;
  std::int64_t scrapped = 0;
  int wraps = 0;
  int resets = 0;
  for (const Unit& unit : p.units) {
    made += unit.made;
    scrapped += unit.scrapped;
    auto tracker = kpi::CounterTracker::create(kCounterOptions);
    for (const auto& sample : unit.processed) (void)tracker->add(sample);
    wraps += tracker->wraps();
    resets += tracker->resets();
  }
  double pq = 0.0;
  double sq = 0.0;
  for (std::size_t d = 0; d < kDays; ++d) {
    pq += full.at(kArea, kShifts + d).quantities.pq;
    sq += full.at(kArea, kShifts + d).quantities.sq;
  }
  if (pq != static_cast<double>(made) || sq != static_cast<double>(scrapped)) {
    return "counted " + std::to_string(pq) + " / " + std::to_string(sq) + " units, made " +
           std::to_string(made) + " / " + std::to_string(scrapped);
  }
  if (wraps != static_cast<int>(kUnits) || resets == 0) {
    return "expected one Int32 wrap per unit and some resets, got " + std::to_string(wraps) + " wraps, " +
           std::to_string(resets) + " resets";
  }
  // The single-day request with sliced history gives what the full recomputation gave.
  Output day;
  if (auto done = recompute(p, {kDays - 1, kDays}, History::Sliced, day); !done) {
    return "recompute one day: " + done.error().message;
  }
  std::string difference;
  for_each_period({kDays - 1, kDays}, [&](std::size_t period) {
    for (std::size_t e = 0; e < kEntities; ++e) {
      const Slot& a = full.at(e, period);
      const Slot& b = day.at(e, period);
      const char* field = a.time != b.time                         ? "time elements"
                          : a.quantities != b.quantities           ? "quantities"
                          : a.failures.size() != b.failures.size() ? "failures"
                          : a.kpi.oee != b.kpi.oee || a.kpi.mtbf != b.kpi.mtbf || a.kpi.mttr != b.kpi.mttr
                              ? "KPIs"
                              : nullptr;
      if (field != nullptr && difference.empty()) {
        difference =
            std::string("the single day with sliced history differs from the full recomputation in ") +
            field + " of entity " + std::to_string(e) + ", period " + std::to_string(period);
      }
    }
  });
  if (!difference.empty()) return difference;
  return {};
}

const std::string& verification() {
  static const std::string error = verify();
  return error;
}

std::size_t changes_in(DayRange days) {
  const Timestamp from = plant().days[days.first].begin;
  const Timestamp to = plant().days[days.last - 1].end;
  std::size_t count = 0;
  for (const Unit& unit : plant().units) {
    count += static_cast<std::size_t>(
        std::count_if(unit.changes.begin(), unit.changes.end(),
                      [&](const kpi::StateChange& c) { return c.at >= from && c.at < to; }));
  }
  return count;
}

std::size_t samples_in(DayRange days) {
  const Timestamp from = plant().days[days.first].begin;
  const Timestamp to = plant().days[days.last - 1].end;
  std::size_t count = 0;
  for (const Unit& unit : plant().units) {
    count +=
        samples_between(unit.processed, from, to).size() + samples_between(unit.defective, from, to).size();
  }
  return count;
}

bool ready(benchmark::State& state) {
  if (!verification().empty()) {
    state.SkipWithError(verification().c_str());
    return false;
  }
  return true;
}

void report(benchmark::State& state, DayRange days, bool changes, bool samples, std::size_t kpi_sets) {
  const auto per_iteration = benchmark::Counter::kIsIterationInvariantRate;
  if (changes) {
    const auto count = changes_in(days);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
    state.counters["changes/s"] = benchmark::Counter(static_cast<double>(count), per_iteration);
  }
  if (samples) {
    state.counters["samples/s"] = benchmark::Counter(static_cast<double>(samples_in(days)), per_iteration);
  }
  if (kpi_sets > 0) state.counters["kpi_sets"] = static_cast<double>(kpi_sets);
}

// ---------------------------------------------------------------------------------------------------------

// One full recomputation: 50 units x 30 days, 90 shifts + 30 days, units + 5 lines + area.
void BM_KpiRecomputeAll(benchmark::State& state) {
  if (!ready(state)) return;
  const History history = state.range(0) == 0 ? History::Full : History::Sliced;
  Output out;
  for (auto _ : state) {
    if (auto done = recompute(plant(), {}, history, out); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(out.slots.data());
    benchmark::ClobberMemory();
  }
  report(state, {}, true, true, kEntities * kPeriods);
  // What the simulated plant looks like (not timings): seconds of plant time per state change per unit,
  // and the area's 30-day KPIs.
  kpi::TimeElements time;
  kpi::Quantities quantities;
  double pru = 0.0;
  for (std::size_t d = 0; d < kDays; ++d) {
    const Slot& day = out.at(kArea, kShifts + d);
    time += day.time;
    pru = kpi::weighted_pru(pru, quantities.pq, day.pru, day.quantities.pq);
    quantities += day.quantities;
  }
  const kpi::KpiValues area = kpi::compute_kpis(time, quantities, pru);
  state.counters["plant_s/change"] = static_cast<double>(kDays) * 86'400.0 * static_cast<double>(kUnits) /
                                     static_cast<double>(changes_in({}));
  state.counters["area_A"] = area.availability.value_or(0.0);
  state.counters["area_OEE"] = area.oee.value_or(0.0);
}
BENCHMARK(BM_KpiRecomputeAll)->ArgName("sliced")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The typical cockpit request: the latest day (1 day + its 3 shifts) for every unit, line and the area.
void BM_KpiRecomputeOneDay(benchmark::State& state) {
  if (!ready(state)) return;
  const History history = state.range(0) == 0 ? History::Full : History::Sliced;
  const DayRange day{kDays - 1, kDays};
  Output out;
  for (auto _ : state) {
    if (auto done = recompute(plant(), day, history, out); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(out.slots.data());
    benchmark::ClobberMemory();
  }
  report(state, day, true, true, kEntities * (kShiftsPerDay + 1));
}
BENCHMARK(BM_KpiRecomputeOneDay)->ArgName("sliced")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The three phases of the full recomputation on their own.
void BM_KpiPhaseClassify(benchmark::State& state) {
  if (!ready(state)) return;
  const History history = state.range(0) == 0 ? History::Full : History::Sliced;
  Output out;
  for (auto _ : state) {
    if (auto done = classify_all(plant(), {}, history, out); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(out.slots.data());
    benchmark::ClobberMemory();
  }
  report(state, {}, true, false, 0);
}
BENCHMARK(BM_KpiPhaseClassify)->ArgName("sliced")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_KpiPhaseCounters(benchmark::State& state) {
  if (!ready(state)) return;
  Output out;
  for (auto _ : state) {
    if (auto done = quantities_all(plant(), {}, out); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(out.slots.data());
    benchmark::ClobberMemory();
  }
  report(state, {}, false, true, 0);
}
BENCHMARK(BM_KpiPhaseCounters)->Unit(benchmark::kMillisecond);

void BM_KpiPhaseFormulas(benchmark::State& state) {
  if (!ready(state)) return;
  Output out;
  if (auto done = recompute(plant(), {}, History::Sliced, out); !done) {
    state.SkipWithError(done.error().message.c_str());
    return;
  }
  std::size_t computed = 0;
  for (auto _ : state) {
    computed = kpis_all({}, out);
    benchmark::DoNotOptimize(out.slots.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(computed));
  report(state, {}, false, false, computed);
}
BENCHMARK(BM_KpiPhaseFormulas)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
