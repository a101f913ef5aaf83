#include "model/shift_calendar.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace strata::model {

bool ShiftCalendar::is_working_day(const LocalDate& date) const {
  const auto day = weekday_of(days_from_civil(date));
  return std::find(days_off.begin(), days_off.end(), day) == days_off.end() &&
         std::find(holidays.begin(), holidays.end(), date) == holidays.end();
}

std::int64_t days_from_civil(const LocalDate& date) {
  // Shifts the year to start in March so the leap day is the last day of the (shifted) year.
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t month = date.month > 2 ? date.month - 3 : date.month + 9;
  const std::int64_t day_of_year = (153 * month + 2) / 5 + date.day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

LocalDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const auto year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return LocalDate{year, month, day};
}

Weekday weekday_of(std::int64_t days) {
  // 1970-01-01 was a Thursday.
  const std::int64_t index = ((days % 7) + 7 + 4) % 7;
  return static_cast<Weekday>(index);
}

bool is_valid_date(const LocalDate& date) {
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  // Round-tripping rejects 31 April and 29 February of common years without a month table.
  return civil_from_days(days_from_civil(date)) == date;
}

std::string to_string(const LocalDate& date) {
  std::array<char, 32> text{};
  const int length =
      std::snprintf(text.data(), text.size(), "%04d-%02d-%02d", date.year, date.month, date.day);
  return std::string(text.data(), static_cast<std::size_t>(length));
}

std::string_view to_string(Weekday day) {
  constexpr std::array<std::string_view, 7> kNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                      "Thursday", "Friday", "Saturday"};
  return kNames[static_cast<std::size_t>(day)];
}

}  // namespace strata::model
