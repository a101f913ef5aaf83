// Shift calendars expanded into shift windows (POT) and planned stops (PDOT) for a period.
#include "kpi/shift_windows.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace strata::kpi {
namespace {

using model::kMicrosPerMinute;

constexpr Timestamp kOffset = 60 * kMicrosPerMinute;  // the plant runs on UTC+01:00

// The UTC instant of a plant-local wall-clock time.
Timestamp local(int year, int month, int day, int hour, int minute = 0) {
  return model::days_from_civil({year, month, day}) * model::kMicrosPerDay +
         (hour * 60 + minute) * kMicrosPerMinute - kOffset;
}

Timestamp minutes(std::int64_t count) {
  return count * kMicrosPerMinute;
}

// Three 8 h shifts with breaks, Sunday off, Christmas off, and one maintenance stop on line L1.
model::ShiftCalendar three_shifts() {
  model::ShiftCalendar calendar;
  calendar.utc_offset = kOffset;
  calendar.shifts = {
      {"early", 6 * 60, minutes(480), {{9 * 60, minutes(15)}, {11 * 60 + 30, minutes(30)}}},
      {"late", 14 * 60, minutes(480), {{17 * 60, minutes(15)}}},
      {"night", 22 * 60, minutes(480), {{2 * 60, minutes(30)}}},
  };
  calendar.days_off = {model::Weekday::Sunday};
  calendar.holidays = {{2026, 12, 25}};
  calendar.planned_downtime = {
      {local(2026, 12, 22, 7), minutes(240), "PM filler", "bottling/packaging/L1"},
  };
  return calendar;
}

std::vector<std::string> labels(const std::vector<ShiftWindow>& windows) {
  std::vector<std::string> result;
  for (const auto& window : windows) result.push_back(window.local_date + " " + window.name);
  return result;
}

TEST(ShiftWindows, CalendarDatesAndWeekdays) {
  EXPECT_EQ(model::weekday_of(model::days_from_civil({2026, 12, 25})), model::Weekday::Friday);
  EXPECT_EQ(model::weekday_of(model::days_from_civil({1969, 12, 31})), model::Weekday::Wednesday);
  EXPECT_EQ(model::civil_from_days(model::days_from_civil({2024, 2, 29})), (model::LocalDate{2024, 2, 29}));
  EXPECT_FALSE(model::is_valid_date({2026, 2, 29}));
  EXPECT_EQ(model::to_string(model::LocalDate{2026, 3, 7}), "2026-03-07");
}

TEST(ShiftWindows, WeekAroundAHolidayAndASundayOff) {
  // Monday 21 to Monday 28 December 2026; Friday 25 is a holiday, Sunday 20 and 27 are off.
  const Interval week{local(2026, 12, 21, 0), local(2026, 12, 28, 0)};
  const auto windows = shift_windows(three_shifts(), week);
  const std::vector<std::string> expected = {
      "2026-12-21 early", "2026-12-21 late",  "2026-12-21 night", "2026-12-22 early", "2026-12-22 late",
      "2026-12-22 night", "2026-12-23 early", "2026-12-23 late",  "2026-12-23 night", "2026-12-24 early",
      "2026-12-24 late",  "2026-12-24 night",  // runs into the holiday: it started the day before
      "2026-12-26 early", "2026-12-26 late",
      "2026-12-26 night",  // runs into the Sunday off
  };
  EXPECT_EQ(labels(windows), expected);
  EXPECT_EQ(windows.front().span, (Interval{local(2026, 12, 21, 6), local(2026, 12, 21, 14)}));
  EXPECT_EQ(windows.back().span, (Interval{local(2026, 12, 26, 22), local(2026, 12, 27, 6)}));
  for (std::size_t i = 1; i < windows.size(); ++i) EXPECT_LE(windows[i - 1].span.end, windows[i].span.begin);
}

TEST(ShiftWindows, NightShiftCrossesMidnightAndMonthEnd) {
  const auto calendar = three_shifts();
  const Interval period{local(2026, 11, 30, 20), local(2026, 12, 1, 8)};
  const auto windows = shift_windows(calendar, period);
  ASSERT_EQ(windows.size(), 3U);
  EXPECT_EQ(windows[0], (ShiftWindow{"late",
                                     "2026-11-30",
                                     {local(2026, 11, 30, 20), local(2026, 11, 30, 22)},
                                     {local(2026, 11, 30, 14), local(2026, 11, 30, 22)}}));
  EXPECT_EQ(windows[1], (ShiftWindow{"night",
                                     "2026-11-30",
                                     {local(2026, 11, 30, 22), local(2026, 12, 1, 6)},
                                     {local(2026, 11, 30, 22), local(2026, 12, 1, 6)}}));
  EXPECT_EQ(windows[2].name, "early");
  EXPECT_EQ(windows[2].span, (Interval{local(2026, 12, 1, 6), local(2026, 12, 1, 8)}));

  // The night break at 02:00 falls on the next calendar day, inside the instance of 30 November.
  const auto stops = planned_downtime(calendar, period, "bottling/packaging/L2/filler");
  ASSERT_EQ(stops.size(), 1U);
  EXPECT_EQ(
      stops[0],
      (PlannedStop{{local(2026, 12, 1, 2), local(2026, 12, 1, 2, 30)}, PlannedStopKind::Break, "night"}));
}

TEST(ShiftWindows, PeriodStartingMidShift) {
  const auto calendar = three_shifts();
  const Interval period{local(2026, 12, 22, 10), local(2026, 12, 22, 12)};
  const auto windows = shift_windows(calendar, period);
  ASSERT_EQ(windows.size(), 1U);
  EXPECT_EQ(windows[0].name, "early");
  EXPECT_EQ(windows[0].span, period);
  EXPECT_EQ(windows[0].planned, (Interval{local(2026, 12, 22, 6), local(2026, 12, 22, 14)}));

  // A period starting inside the night shift of the day before still finds that instance.
  const auto night = shift_windows(calendar, {local(2026, 12, 23, 3), local(2026, 12, 23, 4)});
  ASSERT_EQ(night.size(), 1U);
  EXPECT_EQ(night[0].local_date, "2026-12-22");
  EXPECT_EQ(night[0].name, "night");
}

TEST(ShiftWindows, BreaksAreClippedToThePeriod) {
  const Interval period{local(2026, 12, 23, 9, 5), local(2026, 12, 23, 11, 45)};
  const auto stops = planned_downtime(three_shifts(), period, "bottling/packaging/L2");
  const std::vector<PlannedStop> expected = {
      {{local(2026, 12, 23, 9, 5), local(2026, 12, 23, 9, 15)}, PlannedStopKind::Break, "early"},
      {{local(2026, 12, 23, 11, 30), local(2026, 12, 23, 11, 45)}, PlannedStopKind::Break, "early"},
  };
  EXPECT_EQ(stops, expected);
}

TEST(ShiftWindows, NoBreaksOnDaysWithoutShifts) {
  const Interval holiday_day{local(2026, 12, 25, 8), local(2026, 12, 25, 20)};
  EXPECT_TRUE(shift_windows(three_shifts(), holiday_day).empty());
  EXPECT_TRUE(planned_downtime(three_shifts(), holiday_day, "bottling/packaging/L1").empty());
}

TEST(ShiftWindows, PlannedDowntimeScopedToALine) {
  const auto calendar = three_shifts();
  const Interval shift{local(2026, 12, 22, 6), local(2026, 12, 22, 14)};
  const PlannedStop maintenance{
      {local(2026, 12, 22, 7), local(2026, 12, 22, 11)}, PlannedStopKind::Maintenance, "PM filler"};
  auto has_maintenance = [&](std::string_view path) {
    const auto stops = planned_downtime(calendar, shift, path);
    return std::find(stops.begin(), stops.end(), maintenance) != stops.end();
  };
  EXPECT_TRUE(has_maintenance("bottling/packaging/L1"));
  EXPECT_TRUE(has_maintenance("bottling/packaging/L1/filler"));
  EXPECT_TRUE(has_maintenance("bottling/packaging/L1/labeler"));
  EXPECT_FALSE(has_maintenance("bottling/packaging/L2/filler"));
  EXPECT_FALSE(has_maintenance("bottling/packaging/L10/filler"));
  EXPECT_FALSE(has_maintenance("bottling/packaging"));

  // Ordered by begin: the 07:00 maintenance sits between nothing and the 09:00 break.
  const auto stops = planned_downtime(calendar, shift, "bottling/packaging/L1/filler");
  ASSERT_EQ(stops.size(), 3U);
  EXPECT_EQ(stops[0], maintenance);
  EXPECT_EQ(stops[1].span.begin, local(2026, 12, 22, 9));
  EXPECT_EQ(stops[2].span.begin, local(2026, 12, 22, 11, 30));
}

TEST(ShiftWindows, PlantWideDowntimeAppliesEverywhere) {
  auto calendar = three_shifts();
  calendar.planned_downtime[0].scope = "";
  const auto stops =
      planned_downtime(calendar, {local(2026, 12, 22, 6), local(2026, 12, 22, 9)}, "x/y/L2/capper");
  ASSERT_EQ(stops.size(), 1U);
  EXPECT_EQ(stops[0].kind, PlannedStopKind::Maintenance);
  EXPECT_EQ(stops[0].span, (Interval{local(2026, 12, 22, 7), local(2026, 12, 22, 9)}));
}

TEST(ShiftWindows, DefaultCalendarPlansTheWholePeriod) {
  const model::ShiftCalendar none;
  const Interval period{local(2026, 12, 24, 13, 7), local(2026, 12, 28, 1)};
  const auto windows = shift_windows(none, period);
  ASSERT_EQ(windows.size(), 1U);
  EXPECT_EQ(windows[0].span, period);
  EXPECT_EQ(windows[0].planned, period);
  EXPECT_TRUE(windows[0].name.empty());
  EXPECT_TRUE(planned_downtime(none, period, "bottling/packaging/L1").empty());
  EXPECT_TRUE(shift_windows(none, {period.begin, period.begin}).empty());
}

TEST(ShiftWindows, NegativeOffsetShiftsTheLocalDay) {
  model::ShiftCalendar calendar;
  calendar.utc_offset = -5 * 60 * kMicrosPerMinute;  // UTC-05:00
  calendar.shifts = {{"day", 0, minutes(24 * 60), {}}};
  calendar.days_off = {model::Weekday::Sunday};
  // Sunday 27 December 2026 local runs from 05:00 UTC on the 27th to 05:00 UTC on the 28th.
  const Timestamp sunday_utc = model::days_from_civil({2026, 12, 27}) * model::kMicrosPerDay;
  const auto windows =
      shift_windows(calendar, {sunday_utc, sunday_utc + model::kMicrosPerDay + minutes(12 * 60)});
  ASSERT_EQ(windows.size(), 2U);
  EXPECT_EQ(windows[0].local_date, "2026-12-26");
  EXPECT_EQ(windows[0].span.end, sunday_utc + minutes(5 * 60));
  EXPECT_EQ(windows[1].local_date, "2026-12-28");
  EXPECT_EQ(windows[1].span.begin, sunday_utc + model::kMicrosPerDay + minutes(5 * 60));
}

}  // namespace
}  // namespace strata::kpi
