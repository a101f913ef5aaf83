// The optional calendar section: default, parsed values (minimal and demo plant) and positioned errors.
#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace strata::config {
namespace {

using model::kMicrosPerDay;
using model::kMicrosPerMinute;
using testing::has_error;
using testing::mutate;
using testing::read_fixture;

std::string with_calendar(const std::string& section) {
  return mutate(read_fixture("minimal_plant.yaml"), "\nsites:", "\n" + section + "\nsites:");
}

struct Spot {
  int line = 0;
  int column = 0;
};

// 1-based line and column of the single occurrence of `needle` in `yaml`.
Spot locate(const std::string& yaml, std::string_view needle) {
  const auto at = yaml.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  EXPECT_EQ(yaml.find(needle, at + 1), std::string::npos) << "'" << needle << "' occurs more than once";
  Spot spot{1, 1};
  for (std::size_t i = 0; i < at && at != std::string::npos; ++i) {
    if (yaml[i] == '\n') {
      ++spot.line;
      spot.column = 1;
    } else {
      ++spot.column;
    }
  }
  return spot;
}

// Checks a diagnostic at the start of `needle`, whose text there begins with `text_there`.
::testing::AssertionResult error_at(const LoadResult& result, const std::string& yaml,
                                    std::string_view needle, std::string_view message,
                                    std::string_view text_there) {
  const auto spot = locate(yaml, needle);
  return has_error(result, yaml, spot.line, spot.column, message, text_there);
}

Timestamp hours(std::int64_t count) {
  return count * 60 * kMicrosPerMinute;
}

TEST(CalendarSection, AbsentMeansAroundTheClock) {
  const auto result = load_plant_string(read_fixture("minimal_plant.yaml"), "plant.yaml");
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  EXPECT_TRUE(result.plant->calendar.around_the_clock());
  EXPECT_EQ(result.plant->calendar, model::ShiftCalendar{});
}

TEST(CalendarSection, ReadsEveryField) {
  const auto yaml = with_calendar(
      "calendar:\n"
      "  utc_offset: \"-05:30\"\n"
      "  shifts:\n"
      "    - name: day\n"
      "      start: \"07:00\"\n"
      "      duration: 10h\n"
      "      breaks: [ { start: \"12:00\", duration: 30m } ]\n"
      "    - { name: night, start: \"19:00\", duration: 10h, breaks: [ { start: \"01:00\", duration: 15m } ] "
      "}\n"
      "  days_off: [saturday, Sunday]\n"
      "  holidays: [\"2026-01-01\", 2028-02-29]\n"
      "  planned_downtime:\n"
      "    - { start: \"2026-03-02T07:00\", duration: 2h, reason: \"PM line\", scope: \"s/ar/L1\" }\n"
      "    - { start: \"2026-03-03T00:00\", duration: 90m, reason: \"plant shutdown\" }\n"
      "    - { start: \"2026-03-04T00:00\", duration: 1h, reason: \"unit PM\", scope: \"s/ar/L1/a\" }");
  const auto result = load_plant_string(yaml, "plant.yaml");
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& calendar = result.plant->calendar;
  const Timestamp offset = -(5 * 60 + 30) * kMicrosPerMinute;
  EXPECT_EQ(calendar.utc_offset, offset);
  const std::vector<model::ShiftPattern> shifts = {
      {"day", 7 * 60, hours(10), {{12 * 60, 30 * kMicrosPerMinute}}},
      {"night", 19 * 60, hours(10), {{60, 15 * kMicrosPerMinute}}},
  };
  EXPECT_EQ(calendar.shifts, shifts);
  EXPECT_EQ(calendar.days_off,
            (std::vector<model::Weekday>{model::Weekday::Saturday, model::Weekday::Sunday}));
  EXPECT_EQ(calendar.holidays, (std::vector<model::LocalDate>{{2026, 1, 1}, {2028, 2, 29}}));
  ASSERT_EQ(calendar.planned_downtime.size(), 3U);
  // Local 07:00 at UTC-05:30 is 12:30 UTC.
  const auto& line_pm = calendar.planned_downtime[0];
  EXPECT_EQ(line_pm.begin, model::days_from_civil({2026, 3, 2}) * kMicrosPerDay + hours(7) - offset);
  EXPECT_EQ(line_pm.duration, hours(2));
  EXPECT_EQ(line_pm.reason, "PM line");
  EXPECT_EQ(line_pm.scope, "s/ar/L1");
  EXPECT_EQ(calendar.planned_downtime[1].scope, "");
  EXPECT_EQ(calendar.planned_downtime[1].duration, 90 * kMicrosPerMinute);
  EXPECT_EQ(calendar.planned_downtime[2].scope, "s/ar/L1/a");
}

TEST(CalendarSection, DemoPlantHasThreeShiftsAndMaintenance) {
  const auto result = load_plant_file(std::string(STRATA_SOURCE_DIR) + "/examples/bottling/plant.yaml");
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& calendar = result.plant->calendar;
  EXPECT_EQ(calendar.utc_offset, hours(1));
  ASSERT_EQ(calendar.shifts.size(), 3U);
  const std::vector<std::pair<std::string, int>> starts = {
      {"early", 6 * 60}, {"late", 14 * 60}, {"night", 22 * 60}};
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const auto& shift = calendar.shifts[i];
    EXPECT_EQ(shift.name, starts[i].first);
    EXPECT_EQ(shift.start_minute, starts[i].second);
    EXPECT_EQ(shift.duration, hours(8));
    Timestamp total_break = 0;
    for (const auto& pause : shift.breaks) total_break += pause.duration;
    EXPECT_EQ(shift.breaks.size(), 3U) << shift.name;
    EXPECT_EQ(total_break, 60 * kMicrosPerMinute) << shift.name;  // 2 x 15 min + 30 min meal
  }
  EXPECT_EQ(calendar.days_off, std::vector<model::Weekday>{model::Weekday::Sunday});
  EXPECT_EQ(calendar.holidays, (std::vector<model::LocalDate>{{2026, 12, 25}}));
  ASSERT_EQ(calendar.planned_downtime.size(), 1U);
  EXPECT_EQ(calendar.planned_downtime[0].scope, "bottling/packaging/L1");
  EXPECT_NE(result.plant->find_work_center(calendar.planned_downtime[0].scope), nullptr);
}

TEST(CalendarSection, ErrorsArePositioned) {
  const auto yaml = with_calendar(
      "calendar:\n"
      "  utc_offset: \"+25:00\"\n"
      "  timezone: Europe/Berlin\n"
      "  shifts:\n"
      "    - { name: early, start: \"25:00\", duration: 8h }\n"
      "    - { name: late, start: \"14:00\", duration: 8 hours }\n"
      "    - { name: night, start: \"22:00\", duration: 8h, breaks: [ { start: \"05:50\", duration: 15m } ] "
      "}\n"
      "    - { name: swing, start: \"20:00\", duration: 4h }\n"
      "    - { name: night, start: \"07:00\", duration: 1h }\n"
      "    - { name: long, start: \"08:00\", duration: 25h, crew: B }\n"
      "  days_off: [Sunday, Caturday]\n"
      "  holidays: [\"2026-02-30\", \"2026-12-25\"]\n"
      "  planned_downtime:\n"
      "    - { start: \"2026-12-01 06:00\", duration: 4h, reason: PM }\n"
      "    - { start: \"2026-12-02T06:00\", duration: 4h, reason: PM, scope: \"s/ar/L9\" }\n"
      "    - { start: \"2026-12-03T06:00\", duration: 4h, reason: PM, scope: \"s/ar/L1/a\" }");
  const auto result = load_plant_string(yaml, "plant.yaml");
  EXPECT_TRUE(error_at(result, yaml, "\"+25:00\"", "'utc_offset' in the calendar must be a UTC offset",
                       "\"+25:00\""));
  EXPECT_TRUE(error_at(result, yaml, "timezone", "unknown key 'timezone' in the calendar", "timezone"));
  EXPECT_TRUE(error_at(result, yaml, "\"25:00\"",
                       "'start' in shift 'early' must be a local time of day HH:MM", "\"25:00\""));
  EXPECT_TRUE(error_at(result, yaml, "8 hours", "'duration' in shift 'late' must be a duration", "8 hours"));
  EXPECT_TRUE(error_at(result, yaml, "\"05:50\"",
                       "break at 05:50 lies outside shift 'night' (starts 22:00, lasts 8h)", "\"05:50\""));
  EXPECT_TRUE(error_at(result, yaml, "\"20:00\"",
                       "shift 'swing' (20:00 for 4h) overlaps shift 'night' (22:00 for 8h)", "\"20:00\""));
  EXPECT_TRUE(
      error_at(result, yaml, "night, start: \"07:00\"", "duplicate shift 'night' in the calendar", "night"));
  EXPECT_TRUE(error_at(result, yaml, "25h", "'duration' of shift 'long' must be at most 24h", "25h"));
  EXPECT_TRUE(error_at(result, yaml, "crew", "unknown key 'crew' in shift 'long'", "crew"));
  EXPECT_TRUE(error_at(result, yaml, "Caturday", "unknown weekday 'Caturday' in days_off", "Caturday"));
  EXPECT_TRUE(error_at(result, yaml, "\"2026-02-30\"", "holiday must be a valid local date YYYY-MM-DD",
                       "\"2026-02-30\""));
  EXPECT_TRUE(error_at(result, yaml, "\"2026-12-01 06:00\"",
                       "'start' in planned downtime #1 must be a local date and time YYYY-MM-DDTHH:MM",
                       "\"2026-12-01 06:00\""));
  EXPECT_TRUE(error_at(result, yaml, "\"s/ar/L9\"",
                       "scope 's/ar/L9' of planned downtime #2 is not an equipment path of this plant",
                       "\"s/ar/L9\""));
  EXPECT_EQ(result.diagnostics.size(), 13U) << to_string(result.diagnostics);
}

TEST(CalendarSection, ShiftsOverlapAcrossMidnight) {
  const auto yaml = with_calendar(
      "calendar:\n"
      "  shifts:\n"
      "    - { name: early, start: \"06:00\", duration: 8h }\n"
      "    - { name: night, start: \"22:00\", duration: 9h }");
  const auto result = load_plant_string(yaml, "plant.yaml");
  EXPECT_TRUE(error_at(result, yaml, "\"22:00\"", "shift 'night' (22:00 for 9h) overlaps shift 'early'",
                       "\"22:00\""));
  EXPECT_EQ(result.diagnostics.size(), 1U) << to_string(result.diagnostics);
}

TEST(CalendarSection, ShiftsAreRequired) {
  const auto missing = with_calendar("calendar:\n  utc_offset: \"+01:00\"");
  EXPECT_TRUE(error_at(load_plant_string(missing, "plant.yaml"), missing, "utc_offset",
                       "missing required key 'shifts' in the calendar", "utc_offset"));
  const auto empty = with_calendar("calendar:\n  shifts: []");
  EXPECT_TRUE(error_at(load_plant_string(empty, "plant.yaml"), empty, "[]", "at least one shift", "[]"));
  const auto no_start = with_calendar("calendar:\n  shifts:\n    - { name: early, duration: 8h }");
  EXPECT_TRUE(error_at(load_plant_string(no_start, "plant.yaml"), no_start, "{ name: early",
                       "missing required key 'start' in shift 'early'", "{ name: early"));
}

TEST(CalendarSection, ScopesAreNotCheckedAgainstABrokenHierarchy) {
  // With the line's template unresolved the hierarchy is incomplete; only the real error is reported.
  const auto yaml = mutate(with_calendar("calendar:\n"
                                         "  shifts: [ { name: day, start: \"06:00\", duration: 8h } ]\n"
                                         "  planned_downtime:\n"
                                         "    - { start: \"2026-12-02T06:00\", duration: 4h, reason: PM, "
                                         "scope: \"s/ar/L1\" }"),
                           "{ id: line, version: 1.0.0 }", "{ id: line, version: 9.9.9 }");
  const auto result = load_plant_string(yaml, "plant.yaml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(to_string(result.diagnostics).find("not an equipment path"), std::string::npos)
      << to_string(result.diagnostics);
}

}  // namespace
}  // namespace strata::config
