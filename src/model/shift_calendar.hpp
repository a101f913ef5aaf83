#pragma once
// When the plant plans to operate: a daily shift pattern in plant-local time, weekdays off,
// holidays and one-off planned downtime (maintenance). ISO 22400 needs it to tell planned
// operation time (POT) and planned downtime (PDOT) apart from losses.
//
// An empty calendar (no shifts, the default when the plant definition has no `calendar:` section)
// means "no schedule known": KPI code treats all time as planned operation time, 24/7, so OEE still
// has a denominator; kpi::shift_windows implements that rule.
//
// Local time is a fixed UTC offset. There are no DST rules (libstdc++ 12 has no time-zone database),
// so a plant that changes its clocks sees shifts one hour off for half the year until it edits the
// offset.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace strata::model {

constexpr Timestamp kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr Timestamp kMicrosPerDay = 24 * 60 * kMicrosPerMinute;
constexpr int kMinutesPerDay = 24 * 60;

// Same numbering as struct tm::tm_wday and std::chrono::weekday.
enum class Weekday { Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday };

// A calendar date in plant-local time (proleptic Gregorian).
struct LocalDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

struct ShiftBreak {
  int start_minute = 0;  // local minute of the day; the first such minute at or after the shift start
  Timestamp duration = 0;
  friend bool operator==(const ShiftBreak&, const ShiftBreak&) = default;
};

// One shift of the daily pattern; an instance starts every local day that is neither off nor a holiday.
struct ShiftPattern {
  std::string name;
  int start_minute = 0;    // local minute of the day, 0..1439
  Timestamp duration = 0;  // > 0 and <= 24 h; may cross midnight
  std::vector<ShiftBreak> breaks;
  friend bool operator==(const ShiftPattern&, const ShiftPattern&) = default;
};

// A one-off planned stop such as preventive maintenance.
struct PlannedDowntime {
  Timestamp begin = 0;  // UTC
  Timestamp duration = 0;
  std::string reason;
  std::string scope;  // equipment path it stops ("site/area/line"); empty = the whole plant
  friend bool operator==(const PlannedDowntime&, const PlannedDowntime&) = default;
};

struct ShiftCalendar {
  Timestamp utc_offset = 0;  // local time = UTC + utc_offset
  std::vector<ShiftPattern> shifts;
  std::vector<Weekday> days_off;    // of the shift start date
  std::vector<LocalDate> holidays;  // no shift starts on these dates
  std::vector<PlannedDowntime> planned_downtime;

  // No shift pattern: all time is planned operation time.
  [[nodiscard]] bool around_the_clock() const { return shifts.empty(); }
  [[nodiscard]] bool is_working_day(const LocalDate& date) const;
  friend bool operator==(const ShiftCalendar&, const ShiftCalendar&) = default;
};

// Days since 1970-01-01 and back (H. Hinnant's civil-date algorithms).
[[nodiscard]] std::int64_t days_from_civil(const LocalDate& date);
[[nodiscard]] LocalDate civil_from_days(std::int64_t days);
[[nodiscard]] Weekday weekday_of(std::int64_t days);
[[nodiscard]] bool is_valid_date(const LocalDate& date);
// "2026-12-25".
[[nodiscard]] std::string to_string(const LocalDate& date);
// "Sunday".
[[nodiscard]] std::string_view to_string(Weekday day);

}  // namespace strata::model
