#include "kpi/shift_windows.hpp"

#include <algorithm>

namespace strata::kpi {
namespace {

using model::kMicrosPerDay;
using model::kMicrosPerMinute;

// Floor division: timestamps before 1970 still map to the right local day.
std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

Interval clip(Interval span, Interval period) {
  return {std::max(span.begin, period.begin), std::min(span.end, period.end)};
}

struct Instance {
  const model::ShiftPattern* pattern = nullptr;
  std::int64_t local_day = 0;  // days since 1970-01-01, local
  Interval planned;
};

// Every shift instance overlapping the period, in time order.
std::vector<Instance> instances(const model::ShiftCalendar& calendar, Interval period) {
  std::vector<Instance> result;
  if (period.length() == 0) return result;
  // A shift lasts at most a day, so one starting the local day before the period can still reach into it.
  const std::int64_t first_day = floor_div(period.begin + calendar.utc_offset, kMicrosPerDay) - 1;
  const std::int64_t last_day = floor_div(period.end - 1 + calendar.utc_offset, kMicrosPerDay);
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    if (!calendar.is_working_day(model::civil_from_days(day))) continue;
    for (const auto& pattern : calendar.shifts) {
      const Timestamp begin =
          day * kMicrosPerDay + pattern.start_minute * kMicrosPerMinute - calendar.utc_offset;
      const Interval planned{begin, begin + pattern.duration};
      if (overlap(planned, period) > 0) result.push_back(Instance{&pattern, day, planned});
    }
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const Instance& a, const Instance& b) { return a.planned.begin < b.planned.begin; });
  return result;
}

}  // namespace

std::vector<ShiftWindow> shift_windows(const model::ShiftCalendar& calendar, Interval period) {
  std::vector<ShiftWindow> windows;
  if (calendar.around_the_clock()) {
    if (period.length() > 0) windows.push_back(ShiftWindow{"", "", period, period});
    return windows;
  }
  for (const auto& instance : instances(calendar, period)) {
    windows.push_back(ShiftWindow{instance.pattern->name,
                                  model::to_string(model::civil_from_days(instance.local_day)),
                                  clip(instance.planned, period), instance.planned});
  }
  return windows;
}

std::vector<PlannedStop> planned_downtime(const model::ShiftCalendar& calendar, Interval period,
                                          std::string_view equipment_path) {
  std::vector<PlannedStop> stops;
  for (const auto& instance : instances(calendar, period)) {
    const auto& pattern = *instance.pattern;
    for (const auto& pause : pattern.breaks) {
      const int offset_minutes =
          ((pause.start_minute - pattern.start_minute) % model::kMinutesPerDay + model::kMinutesPerDay) %
          model::kMinutesPerDay;
      const Timestamp begin = instance.planned.begin + offset_minutes * kMicrosPerMinute;
      const Interval span = clip({begin, begin + pause.duration}, period);
      if (span.length() > 0) stops.push_back(PlannedStop{span, PlannedStopKind::Break, pattern.name});
    }
  }
  for (const auto& entry : calendar.planned_downtime) {
    if (!scope_covers(entry.scope, equipment_path)) continue;
    const Interval span = clip({entry.begin, entry.begin + entry.duration}, period);
    if (span.length() > 0) stops.push_back(PlannedStop{span, PlannedStopKind::Maintenance, entry.reason});
  }
  std::stable_sort(stops.begin(), stops.end(),
                   [](const PlannedStop& a, const PlannedStop& b) { return a.span.begin < b.span.begin; });
  return stops;
}

}  // namespace strata::kpi
