#include "alarms/kpi_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace strata::alarms {
namespace {

constexpr Timestamp kTenMinutes = 600 * kMicrosPerSecond;
constexpr Timestamp kHour = 3600 * kMicrosPerSecond;
constexpr Timestamp kDay = 24 * kHour;
constexpr std::size_t kBadActorCount = 10;
constexpr std::size_t kIntervalOverloadAbove = 10;  // "% 10-min periods containing > 10 alarms"
constexpr std::size_t kHourOverloadAbove = 30;      // "% hours containing > 30 alarms"

// ISA-18.2 rate targets per operating position (standards.md §4.4): very likely acceptable / manageable.
constexpr double kPerDayAcceptable = 150;
constexpr double kPerDayManageable = 300;
constexpr double kPerHourAcceptable = 6;
constexpr double kPerHourManageable = 12;
constexpr double kPer10MinAcceptable = 1;
constexpr double kPer10MinManageable = 2;

double as_double(std::size_t count) {
  return static_cast<double>(count);
}

double percent(std::size_t part, std::size_t whole) {
  return whole == 0 ? 0.0 : 100.0 * as_double(part) / as_double(whole);
}

std::size_t intervals_in(Timestamp length, Timestamp interval) {
  return static_cast<std::size_t>((length + interval - 1) / interval);
}

using Slice = std::span<const AlarmActivation* const>;

class PositionReport {
 public:
  PositionReport(const KpiReportInput& input, const std::vector<double>& priority_targets)
      : input_(input), priority_targets_(priority_targets) {}

  PositionKpis build(std::string_view position, Slice slice, std::size_t shelved) {
    kpis_ = PositionKpis{};
    kpis_.position = std::string(position);
    kpis_.shelved = shelved;
    const Timestamp length = period().end - period().begin;
    kpis_.intervals = intervals_in(length, kTenMinutes);
    per_interval_.assign(kpis_.intervals, 0);
    per_hour_.assign(intervals_in(length, kHour), 0);
    per_priority_.assign(input_.rules.priority_count, 0);
    bad_actors_.clear();

    // The slice is sorted by alarm id, then activation time: one run per alarm.
    for (std::size_t first = 0; first < slice.size();) {
      std::size_t last = first;
      while (last < slice.size() && slice[last]->alarm_id == slice[first]->alarm_id) ++last;
      add_alarm(slice.subspan(first, last - first));
      first = last;
    }
    rates(length);
    floods();
    bad_actors();
    priority_mix();
    return std::move(kpis_);
  }

 private:
  [[nodiscard]] const ReportPeriod& period() const { return input_.period; }

  [[nodiscard]] bool in_period(const AlarmActivation& activation) const {
    return period().begin <= activation.activated && activation.activated < period().end;
  }

  void add_alarm(Slice runs) {
    const std::string& id = runs.front()->alarm_id;
    std::vector<Timestamp> times;
    std::size_t fleeting = 0;
    bool standing = false;
    bool stale = false;
    for (const AlarmActivation* activation : runs) {
      if (!activation->annunciated) {
        if (in_period(*activation)) ++kpis_.not_annunciated;
        continue;
      }
      if (activation->activated < period().end &&
          (!activation->cleared || *activation->cleared > period().end)) {
        standing = true;
        stale = stale || period().end - activation->activated > input_.rules.stale_after;
      }
      if (!in_period(*activation)) continue;
      times.push_back(activation->activated);
      const Timestamp offset = activation->activated - period().begin;
      ++per_interval_[static_cast<std::size_t>(offset / kTenMinutes)];
      ++per_hour_[static_cast<std::size_t>(offset / kHour)];
      ++per_priority_[activation->priority];
      if (activation->cleared && *activation->cleared - activation->activated < input_.rules.fleeting_below) {
        ++fleeting;
      }
    }
    if (standing) kpis_.standing.push_back(id);
    if (stale) kpis_.stale.push_back(id);
    if (times.empty()) return;
    kpis_.annunciated += times.size();
    bad_actors_.push_back({.alarm_id = id, .count = times.size(), .percent = 0.0});
    if (const std::size_t peak = peak_in_window(times, input_.rules.chatter.window);
        peak >= input_.rules.chatter.activations) {
      kpis_.chattering.push_back({.alarm_id = id, .activations = times.size(), .peak_in_window = peak});
    }
    if (fleeting > 0) {
      kpis_.fleeting.push_back({.alarm_id = id, .count = fleeting, .percent = 0.0});
      kpis_.fleeting_activations += fleeting;
    }
  }

  void rates(Timestamp length) {
    const double count = as_double(kpis_.annunciated);
    const auto average = [&](Timestamp unit) {
      return count * static_cast<double>(unit) / static_cast<double>(length);
    };
    kpis_.per_day.average = average(kDay);
    kpis_.per_day.rating = rate_rating(kpis_.per_day.average, kPerDayAcceptable, kPerDayManageable);
    kpis_.per_hour.average = average(kHour);
    kpis_.per_hour.rating = rate_rating(kpis_.per_hour.average, kPerHourAcceptable, kPerHourManageable);
    kpis_.per_10min.average = average(kTenMinutes);
    kpis_.per_10min.rating = rate_rating(kpis_.per_10min.average, kPer10MinAcceptable, kPer10MinManageable);
    kpis_.eemua_band = eemua_band(kpis_.per_10min.average);
    kpis_.peak_10min =
        per_interval_.empty() ? 0 : *std::max_element(per_interval_.begin(), per_interval_.end());
    const auto over = [](const std::vector<std::size_t>& counts, std::size_t limit) {
      return static_cast<std::size_t>(
          std::count_if(counts.begin(), counts.end(), [&](std::size_t n) { return n > limit; }));
    };
    kpis_.percent_intervals_over_10 =
        percent(over(per_interval_, kIntervalOverloadAbove), per_interval_.size());
    kpis_.percent_hours_over_30 = percent(over(per_hour_, kHourOverloadAbove), per_hour_.size());
  }

  void floods() {
    const auto& rules = input_.rules;
    std::optional<Flood> flood;
    std::size_t flood_intervals = 0;
    const auto close = [&](Timestamp end) {
      flood->end = end;
      kpis_.time_in_flood += flood->end - flood->begin;
      kpis_.alarms_in_flood += flood->alarms;
      kpis_.floods.push_back(*flood);
      flood.reset();
    };
    for (std::size_t k = 0; k < per_interval_.size(); ++k) {
      const std::size_t count = per_interval_[k];
      const Timestamp start = period().begin + static_cast<Timestamp>(k) * kTenMinutes;
      if (!flood && count > rules.flood_begins_above) {
        flood = Flood{.begin = start, .end = 0, .alarms = 0, .peak_10min = 0};
      } else if (flood && count < rules.flood_ends_below) {
        close(start);
      }
      if (!flood) continue;
      ++flood_intervals;
      flood->alarms += count;
      flood->peak_10min = std::max(flood->peak_10min, count);
    }
    if (flood) close(period().end);
    kpis_.percent_intervals_in_flood = percent(flood_intervals, per_interval_.size());
    kpis_.percent_time_in_flood =
        100.0 * static_cast<double>(kpis_.time_in_flood) / static_cast<double>(period().end - period().begin);
  }

  void bad_actors() {
    std::sort(bad_actors_.begin(), bad_actors_.end(), [](const AlarmCount& a, const AlarmCount& b) {
      return a.count != b.count ? a.count > b.count : a.alarm_id < b.alarm_id;
    });
    if (bad_actors_.size() > kBadActorCount) bad_actors_.resize(kBadActorCount);
    std::size_t top = 0;
    for (auto& actor : bad_actors_) {
      actor.percent = percent(actor.count, kpis_.annunciated);
      top += actor.count;
    }
    kpis_.top10_percent = percent(top, kpis_.annunciated);
    kpis_.bad_actors = std::move(bad_actors_);
    bad_actors_ = {};
    for (auto& fleeting : kpis_.fleeting) fleeting.percent = percent(fleeting.count, kpis_.annunciated);
  }

  void priority_mix() {
    for (std::size_t priority = 0; priority < per_priority_.size(); ++priority) {
      kpis_.priorities.push_back({
          .priority = priority,
          .count = per_priority_[priority],
          .percent = percent(per_priority_[priority], kpis_.annunciated),
          .target_percent =
              priority < priority_targets_.size() ? std::optional(priority_targets_[priority]) : std::nullopt,
      });
    }
  }

  const KpiReportInput& input_;
  const std::vector<double>& priority_targets_;
  PositionKpis kpis_;
  std::vector<std::size_t> per_interval_;
  std::vector<std::size_t> per_hour_;
  std::vector<std::size_t> per_priority_;
  std::vector<AlarmCount> bad_actors_;
};

Result<void> check_input(const KpiReportInput& input) {
  if (input.period.end <= input.period.begin) return make_error("the report period is empty");
  for (const auto& activation : input.activations) {
    if (activation.cleared && *activation.cleared < activation.activated) {
      return make_error(fmt::format("activation of {} at {} clears before it began", activation.alarm_id,
                                    activation.activated));
    }
    if (activation.acknowledged && *activation.acknowledged < activation.activated) {
      return make_error(fmt::format("activation of {} at {} is acknowledged before it began",
                                    activation.alarm_id, activation.activated));
    }
    if (activation.priority >= input.rules.priority_count) {
      return make_error(fmt::format("activation of {} has priority {} outside the {} configured priorities",
                                    activation.alarm_id, activation.priority, input.rules.priority_count));
    }
  }
  return {};
}

}  // namespace

std::vector<double> isa_priority_targets(std::size_t priority_count) {
  if (priority_count == 3) return {80, 15, 5};
  if (priority_count == 4) return {80, 15, 5, 1};
  return {};
}

RateRating rate_rating(double average, double acceptable, double manageable) {
  if (average <= acceptable) return RateRating::Acceptable;
  if (average <= manageable) return RateRating::Manageable;
  return RateRating::Overloaded;
}

EemuaBand eemua_band(double average_per_10min) {
  if (average_per_10min < 1) return EemuaBand::VeryLikelyAcceptable;
  if (average_per_10min <= 2) return EemuaBand::Manageable;
  if (average_per_10min <= 10) return EemuaBand::LikelyOverDemanding;
  return EemuaBand::VeryLikelyUnacceptable;
}

Result<KpiReport> alarm_kpi_report(const KpiReportInput& input) {
  if (auto ok = check_input(input); !ok) return ok.error();
  const std::vector<double> targets = input.rules.priority_target_percent.empty()
                                          ? isa_priority_targets(input.rules.priority_count)
                                          : input.rules.priority_target_percent;

  std::vector<const AlarmActivation*> order;
  order.reserve(input.activations.size());
  for (const auto& activation : input.activations) order.push_back(&activation);
  std::sort(order.begin(), order.end(), [](const AlarmActivation* a, const AlarmActivation* b) {
    if (a->position != b->position) return a->position < b->position;
    if (a->alarm_id != b->alarm_id) return a->alarm_id < b->alarm_id;
    return a->activated < b->activated;
  });
  std::vector<std::string_view> shelved;
  shelved.reserve(input.shelved_at_end.size());
  for (const auto& alarm : input.shelved_at_end) shelved.emplace_back(alarm.position);
  std::sort(shelved.begin(), shelved.end());

  std::vector<std::string_view> positions(shelved.begin(), shelved.end());
  for (const auto* activation : order) positions.emplace_back(activation->position);
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());

  KpiReport report{.period = input.period, .positions = {}};
  PositionReport builder(input, targets);
  auto next = order.begin();
  for (const std::string_view position : positions) {
    const auto first = next;
    while (next != order.end() && (*next)->position == position) ++next;
    const auto [shelved_first, shelved_last] = std::equal_range(shelved.begin(), shelved.end(), position);
    report.positions.push_back(
        builder.build(position, Slice(first, next), static_cast<std::size_t>(shelved_last - shelved_first)));
  }
  return report;
}

}  // namespace strata::alarms
