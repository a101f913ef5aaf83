#include "kpi/classifier.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>

namespace strata::kpi {
namespace {

using states::PackMLState;

// Accumulated in integer microseconds so a week of segments adds up exactly; seconds only at the end.
struct Micros {
  Timestamp pot = 0;
  Timestamp pdot = 0;
  Timestamp apt = 0;
  Timestamp asut = 0;
  Timestamp adet = 0;
  Timestamp adot = 0;
  Timestamp not_counted = 0;

  void add(TimeCategory category, Timestamp length) {
    switch (category) {
      case TimeCategory::Production:
        apt += length;
        return;
      case TimeCategory::Setup:
        asut += length;
        return;
      case TimeCategory::Delay:
        adet += length;
        return;
      case TimeCategory::Down:
        adot += length;
        return;
      case TimeCategory::NotCounted:
        break;
    }
    not_counted += length;
  }

  [[nodiscard]] TimeElements in_seconds() const {
    TimeElements time;
    time.pot = to_seconds(pot);
    time.pdot = to_seconds(pdot);
    time.apt = to_seconds(apt);
    time.asut = to_seconds(asut);
    time.adet = to_seconds(adet);
    time.adot = to_seconds(adot);
    time.aoet = to_seconds(apt + asut + adet + adot);
    time.not_counted = to_seconds(not_counted);
    return time;
  }
};

enum class EdgeKind : std::uint8_t { ShiftBegin, ShiftEnd, PlannedBegin, PlannedEnd };

struct Edge {
  Timestamp at = 0;
  EdgeKind kind = EdgeKind::ShiftBegin;
};

struct UnitState {
  PackMLState state = PackMLState::Undefined;
  states::UnitMode mode = states::kModeInvalid;
  bool known = false;
};

Result<void> check_intervals(std::span<const Interval> intervals, const char* what) {
  for (const auto& interval : intervals) {
    if (interval.end < interval.begin) {
      return make_error(std::string(what) + " interval ends (" + std::to_string(interval.end) +
                        ") before it begins (" + std::to_string(interval.begin) + ")");
    }
  }
  return {};
}

Result<void> check(const ClassifierInput& input) {
  if (input.period.end < input.period.begin) {
    return make_error("period ends before it begins");
  }
  if (auto shifts = check_intervals(input.shifts, "shift"); !shifts) {
    return shifts;
  }
  if (auto planned = check_intervals(input.planned_downtime, "planned downtime"); !planned) {
    return planned;
  }
  const auto unordered =
      std::adjacent_find(input.changes.begin(), input.changes.end(),
                         [](const StateChange& a, const StateChange& b) { return b.at < a.at; });
  if (unordered != input.changes.end()) {
    return make_error("state changes are not chronological at " + std::to_string(std::next(unordered)->at));
  }
  return {};
}

void add_edges(std::span<const Interval> intervals, const Interval& period, EdgeKind begin, EdgeKind end,
               std::vector<Edge>& edges) {
  for (const auto& interval : intervals) {
    const Interval clipped{std::max(interval.begin, period.begin), std::min(interval.end, period.end)};
    if (clipped.length() > 0) {
      edges.push_back({clipped.begin, begin});
      edges.push_back({clipped.end, end});
    }
  }
}

// Builds stop records from consecutive non-Production segments. Time in no category (state unknown) is
// never joined with a real stop: it is a gap in the data, not part of a stop.
class StopCollector {
 public:
  void add(const Interval& segment, const UnitState& unit, TimeCategory category, bool split_here) {
    const bool known_changes =
        open_ && ((open_->category == TimeCategory::NotCounted) != (category == TimeCategory::NotCounted));
    if (open_ && open_->span.end == segment.begin && !split_here && !known_changes) {
      open_->span.end = segment.end;
      return;
    }
    close();
    open_ = StopInterval{segment, unit.state, unit.mode, category};
  }
  void close() {
    if (open_) {
      stops_.push_back(*open_);
      open_.reset();
    }
  }
  std::vector<StopInterval> take() {
    close();
    return std::move(stops_);
  }

 private:
  std::optional<StopInterval> open_;
  std::vector<StopInterval> stops_;
};

bool is_failure_state(PackMLState state) {
  return state == PackMLState::Holding || state == PackMLState::Held || state == PackMLState::Aborting ||
         state == PackMLState::Aborted;
}

std::vector<FailureEvent> find_failures(std::span<const StateChange> changes, const Interval& period) {
  std::vector<FailureEvent> failures;
  bool awaiting_repair = false;  // only the latest failure can be: a new one needs Execute, which repairs
  Timestamp run_since_repair = 0;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const StateChange& change = changes[i];
    if (change.at >= period.end && !awaiting_repair) {
      break;  // later history only matters to finish an open repair
    }
    if (i > 0) {
      const PackMLState previous = changes[i - 1].state;
      if (previous == PackMLState::Execute && is_failure_state(change.state) && period.contains(change.at)) {
        awaiting_repair = true;
        failures.push_back({change.at, change.state, to_seconds(run_since_repair), std::nullopt});
        run_since_repair = 0;
      } else if (awaiting_repair && change.state == PackMLState::Execute &&
                 previous != PackMLState::Execute) {
        FailureEvent& failure = failures.back();
        failure.time_to_repair = to_seconds(change.at - failure.at);
        awaiting_repair = false;
      }
    }
    if (change.state == PackMLState::Execute) {
      const Timestamp until = i + 1 < changes.size() ? changes[i + 1].at : period.end;
      run_since_repair += overlap({change.at, until}, period);
    }
  }
  return failures;
}

}  // namespace

Result<Classification> classify(const ClassifierInput& input, const StateMapping& mapping) {
  if (auto valid = check(input); !valid) {
    return valid.error();
  }
  const Interval& period = input.period;

  std::vector<Edge> edges;
  edges.reserve(2 * (input.shifts.size() + input.planned_downtime.size()));
  add_edges(input.shifts, period, EdgeKind::ShiftBegin, EdgeKind::ShiftEnd, edges);
  add_edges(input.planned_downtime, period, EdgeKind::PlannedBegin, EdgeKind::PlannedEnd, edges);
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.at < b.at; });

  // The state at the period start is the last one entered at or before it.
  const auto& changes = input.changes;
  auto next_change = std::upper_bound(changes.begin(), changes.end(), period.begin,
                                      [](Timestamp t, const StateChange& change) { return t < change.at; });
  UnitState unit;
  if (next_change != changes.begin()) {
    const StateChange& last = *std::prev(next_change);
    unit = {last.state, last.mode, true};
  }

  Micros micros;
  StopCollector stops;
  std::size_t next_edge = 0;
  int open_shifts = 0;  // counters rather than flags: windows may overlap
  int open_planned = 0;
  for (Timestamp t = period.begin; t < period.end;) {
    bool shift_boundary = false;
    for (; next_edge < edges.size() && edges[next_edge].at == t; ++next_edge) {
      switch (edges[next_edge].kind) {
        case EdgeKind::ShiftBegin:
          ++open_shifts;
          shift_boundary = true;
          break;
        case EdgeKind::ShiftEnd:
          --open_shifts;
          shift_boundary = true;
          break;
        case EdgeKind::PlannedBegin:
          ++open_planned;
          break;
        case EdgeKind::PlannedEnd:
          --open_planned;
          break;
      }
    }
    for (; next_change != changes.end() && next_change->at == t; ++next_change) {
      unit = {next_change->state, next_change->mode, true};
    }

    Timestamp next = period.end;
    if (next_edge < edges.size()) {
      next = std::min(next, edges[next_edge].at);
    }
    if (next_change != changes.end()) {
      next = std::min(next, next_change->at);
    }
    const Interval segment{t, next};
    const Timestamp length = segment.length();

    if (open_shifts > 0 && open_planned == 0) {
      micros.pot += length;
      const TimeCategory category =
          unit.known ? mapping.category(unit.state, unit.mode) : TimeCategory::NotCounted;
      micros.add(category, length);
      if (category == TimeCategory::Production) {
        stops.close();
      } else {
        stops.add(segment, unit, category, shift_boundary);
      }
    } else {
      if (open_shifts > 0) {
        micros.pot += length;
        micros.pdot += length;  // planned wins over whatever the unit does, even a fault
      }
      stops.close();
    }
    t = next;
  }

  Classification result;
  result.time = micros.in_seconds();
  result.stops = stops.take();
  result.failures = find_failures(changes, period);
  return result;
}

}  // namespace strata::kpi
