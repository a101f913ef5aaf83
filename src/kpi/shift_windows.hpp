#pragma once
// Expands a plant's shift calendar into the concrete intervals the classifier needs for a period:
// shift instances (planned operation time, POT) and planned stops (planned downtime, PDOT).
//
// Rules:
//  - A shift instance belongs to its local start date: days off and holidays remove the instances
//    starting on them, so a Saturday night shift still runs into a Sunday off.
//  - Instances are reported when they overlap the period, clipped to it (`span`); `planned` keeps
//    the whole instance so a report can show "late, 14:00-22:00" for a period starting mid-shift.
//  - A calendar without shifts (no `calendar:` section) plans the whole period: one window, no name.
//  - Planned stops are the breaks of the reported shift instances plus the one-off planned downtime
//    whose scope covers the equipment path, clipped to the period. They may overlap each other.
#include <string>
#include <string_view>
#include <vector>

#include "kpi/interval.hpp"
#include "model/equipment_path.hpp"
#include "model/shift_calendar.hpp"

namespace strata::kpi {

struct ShiftWindow {
  std::string name;        // shift pattern name; empty for the around-the-clock window
  std::string local_date;  // local start date "2026-12-24"; empty for the around-the-clock window
  Interval span;           // the part inside the period
  Interval planned;        // the whole shift instance
  friend bool operator==(const ShiftWindow&, const ShiftWindow&) = default;
};

enum class PlannedStopKind { Break, Maintenance };

struct PlannedStop {
  Interval span;  // clipped to the period
  PlannedStopKind kind = PlannedStopKind::Break;
  std::string reason;  // the shift name for a break, the configured reason otherwise
  friend bool operator==(const PlannedStop&, const PlannedStop&) = default;
};

// Shift instances overlapping `period`, in time order.
[[nodiscard]] std::vector<ShiftWindow> shift_windows(const model::ShiftCalendar& calendar, Interval period);

// Planned stops for the equipment at `equipment_path` ("site/area/line/unit") within `period`, ordered by
// begin.
[[nodiscard]] std::vector<PlannedStop> planned_downtime(const model::ShiftCalendar& calendar, Interval period,
                                                        std::string_view equipment_path);

using model::scope_covers;

}  // namespace strata::kpi
