// The `calendar:` section:
//
//   calendar:
//     utc_offset: "+01:00"   # plant-local time as a fixed offset from UTC ("Z" = +00:00). There are no
//                            # DST rules (no time-zone database in this toolchain): edit it when clocks
//                            change.
//     shifts:                # required; a pattern repeating every local day, shifts must not overlap
//       - { name: early, start: "06:00", duration: 8h,
//           breaks: [ { start: "09:00", duration: 15m }, { start: "11:30", duration: 30m } ] }
//       - { name: night, start: "22:00", duration: 8h }   # may cross midnight (duration <= 24h)
//     days_off: [Sunday]     # no shift starts on these weekdays
//     holidays: ["2026-12-25"]                            # no shift starts on these local dates
//     planned_downtime:      # one-off planned stops (maintenance), start in local time
//       - { start: "2026-12-01T06:00", duration: 4h, reason: "PM filler", scope: "bottling/packaging/L1" }
//
// A break starts at the first occurrence of its local time at or after the shift start and must end within
// the shift. A scope is an equipment path of this plant (site, area, work center or unit); without one the
// stop applies to the whole plant. Without the section the plant is planned around the clock.
#include "config/calendar_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "common/duration.hpp"
#include "model/shift_calendar.hpp"

namespace strata::config::detail {
namespace {

using model::kMicrosPerDay;
using model::kMicrosPerMinute;

constexpr std::string_view kSection = "the calendar";
constexpr Timestamp kMaxUtcOffset = 14 * 60 * kMicrosPerMinute;  // UTC+14 (Kiribati) is the widest in use

// Exactly `count` decimal digits starting at `at`.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// "HH:MM" -> minute of the day.
std::optional<int> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto hours = digits(text, 0, 2);
  const auto minutes = digits(text, 3, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return *hours * 60 + *minutes;
}

// "YYYY-MM-DD".
std::optional<model::LocalDate> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  const model::LocalDate date{*year, *month, *day};
  if (!model::is_valid_date(date)) return std::nullopt;
  return date;
}

// "+HH:MM" / "-HH:MM" / "Z" -> microseconds.
std::optional<Timestamp> parse_utc_offset(std::string_view text) {
  if (text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const auto minutes = parse_time_of_day(text.substr(1));
  if (!minutes) return std::nullopt;
  const Timestamp offset = (text[0] == '-' ? -1 : 1) * *minutes * kMicrosPerMinute;
  if (offset > kMaxUtcOffset || offset < -kMaxUtcOffset) return std::nullopt;
  return offset;
}

std::optional<model::Weekday> parse_weekday(std::string_view text) {
  for (int day = 0; day < 7; ++day) {
    const auto weekday = static_cast<model::Weekday>(day);
    const auto name = model::to_string(weekday);
    if (name.size() == text.size() && std::equal(name.begin(), name.end(), text.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return weekday;
    }
  }
  return std::nullopt;
}

std::string format_minute(int minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

constexpr std::string_view kTimeOfDay = "a local time of day HH:MM (00:00 to 23:59)";
constexpr std::string_view kDuration = "a duration like 90s, 30m, 8h or 7d";

// A parsed shift and where to report problems found only once all shifts are known.
struct ParsedShift {
  model::ShiftPattern pattern;
  Position start_at;
};

class CalendarReader {
 public:
  CalendarReader(DiagnosticSink& sink, model::ShiftCalendar& calendar) : sink_(sink), calendar_(calendar) {}

  void read(const Entry& section, const model::Plant& plant) {
    // Any earlier error may have left the hierarchy incomplete; unknown-scope errors would then be noise.
    const bool check_scopes = sink_.count() == 0;
    MapReader map(sink_, section.value, section.value_position, std::string(kSection));
    if (!map.ok()) return;
    map.check_keys({"utc_offset", "shifts", "days_off", "holidays", "planned_downtime"}, {"shifts"});
    if (const auto offset = read_value(
            map, "utc_offset", "a UTC offset like +01:00, -05:30 or Z (within ±14:00)", parse_utc_offset)) {
      calendar_.utc_offset = *offset;
    }
    if (const auto* shifts = map.find("shifts")) read_shifts(*shifts);
    if (const auto* days = map.find("days_off")) read_days_off(*days);
    if (const auto* holidays = map.find("holidays")) read_holidays(*holidays);
    if (const auto* downtime = map.find("planned_downtime")) {
      read_planned_downtime(*downtime, check_scopes ? equipment_paths(plant) : std::set<std::string>{},
                            check_scopes);
    }
  }

 private:
  void read_shifts(const Entry& entry) {
    std::vector<ParsedShift> parsed;
    DuplicateTracker names;
    const auto items = sequence_items(sink_, entry, kSection);
    if (entry.value.IsSequence() && items.empty()) {
      sink_.error(entry.value_position,
                  "the calendar needs at least one shift (omit the section to plan 24/7)");
    }
    for (std::size_t index = 0; index < items.size(); ++index) {
      MapReader map(sink_, items[index], position_of(items[index], entry.value_position),
                    fmt::format("shift #{}", index + 1));
      if (!map.ok()) continue;
      // Named before the key checks so every message about this shift can say which one it is.
      if (const auto* name = map.find("name"); name != nullptr && name->value.IsScalar()) {
        map.rename(fmt::format("shift '{}'", name->value.Scalar()));
      }
      map.check_keys({"name", "start", "duration", "breaks"}, {"name", "start", "duration"});
      ParsedShift shift;
      bool complete = true;
      if (const auto name = map.id("name")) {
        shift.pattern.name = *name;
        names.add(sink_, *name, map.find("name")->value_position, "shift", kSection);
      }
      if (const auto start = read_value(map, "start", kTimeOfDay, parse_time_of_day)) {
        shift.pattern.start_minute = *start;
        shift.start_at = map.find("start")->value_position;
      } else {
        complete = false;
      }
      if (const auto duration = read_value(map, "duration", kDuration, parse_duration)) {
        if (*duration > kMicrosPerDay) {
          sink_.error(map.find("duration")->value_position,
                      fmt::format("'duration' of {} must be at most 24h (the pattern repeats every day)",
                                  map.what()));
          complete = false;
        } else {
          shift.pattern.duration = *duration;
        }
      } else {
        complete = false;
      }
      if (const auto* breaks = map.find("breaks")) read_breaks(*breaks, map.what(), complete, shift.pattern);
      if (complete) parsed.push_back(shift);
      calendar_.shifts.push_back(std::move(shift.pattern));
    }
    check_overlaps(parsed);
  }

  // Breaks are checked against the shift only when its start and duration are known.
  void read_breaks(const Entry& entry, const std::string& shift_what, bool shift_known,
                   model::ShiftPattern& shift) {
    const auto items = sequence_items(sink_, entry, shift_what);
    for (std::size_t index = 0; index < items.size(); ++index) {
      MapReader map(sink_, items[index], position_of(items[index], entry.value_position),
                    fmt::format("break #{} of {}", index + 1, shift_what));
      if (!map.ok()) continue;
      map.check_keys({"start", "duration"}, {"start", "duration"});
      const auto start = read_value(map, "start", kTimeOfDay, parse_time_of_day);
      const auto duration = read_value(map, "duration", kDuration, parse_duration);
      if (!start || !duration) continue;
      const model::ShiftBreak pause{*start, *duration};
      if (shift_known) {
        const int offset =
            ((pause.start_minute - shift.start_minute) % model::kMinutesPerDay + model::kMinutesPerDay) %
            model::kMinutesPerDay;
        if (offset * kMicrosPerMinute + pause.duration > shift.duration) {
          sink_.error(
              map.find("start")->value_position,
              fmt::format(
                  "break at {} lies outside {} (starts {}, lasts {}); a break must end within its shift",
                  format_minute(pause.start_minute), shift_what, format_minute(shift.start_minute),
                  describe_duration(shift.duration)));
          continue;
        }
      }
      shift.breaks.push_back(pause);
    }
  }

  // The pattern repeats daily, so a shift also meets the neighbours of the previous and the next day.
  void check_overlaps(const std::vector<ParsedShift>& shifts) {
    for (std::size_t j = 1; j < shifts.size(); ++j) {
      const auto& later = shifts[j].pattern;
      for (std::size_t i = 0; i < j; ++i) {
        const auto& earlier = shifts[i].pattern;
        bool overlaps = false;
        for (const Timestamp day : {-kMicrosPerDay, Timestamp{0}, kMicrosPerDay}) {
          const Timestamp a = earlier.start_minute * kMicrosPerMinute;
          const Timestamp b = later.start_minute * kMicrosPerMinute + day;
          overlaps = overlaps || (a < b + later.duration && b < a + earlier.duration);
        }
        if (overlaps) {
          sink_.error(
              shifts[j].start_at,
              fmt::format("shift '{}' ({} for {}) overlaps shift '{}' ({} for {}); shifts must not overlap",
                          later.name, format_minute(later.start_minute), describe_duration(later.duration),
                          earlier.name, format_minute(earlier.start_minute),
                          describe_duration(earlier.duration)));
          break;
        }
      }
    }
  }

  void read_days_off(const Entry& entry) {
    for (const auto& item : sequence_items(sink_, entry, kSection)) {
      const auto at = position_of(item, entry.value_position);
      const auto day = item.IsScalar() ? parse_weekday(item.Scalar()) : std::nullopt;
      if (!day) {
        sink_.error(at, fmt::format("unknown weekday '{}' in days_off (expected Monday ... Sunday)",
                                    item.IsScalar() ? item.Scalar() : std::string(describe_kind(item))));
        continue;
      }
      calendar_.days_off.push_back(*day);
    }
  }

  void read_holidays(const Entry& entry) {
    for (const auto& item : sequence_items(sink_, entry, kSection)) {
      const auto at = position_of(item, entry.value_position);
      const auto date = item.IsScalar() ? parse_date(item.Scalar()) : std::nullopt;
      if (!date) {
        sink_.error(at, fmt::format("holiday must be a valid local date YYYY-MM-DD, got '{}'",
                                    item.IsScalar() ? item.Scalar() : std::string(describe_kind(item))));
        continue;
      }
      calendar_.holidays.push_back(*date);
    }
  }

  void read_planned_downtime(const Entry& entry, const std::set<std::string>& paths, bool check_scopes) {
    const auto items = sequence_items(sink_, entry, kSection);
    for (std::size_t index = 0; index < items.size(); ++index) {
      MapReader map(sink_, items[index], position_of(items[index], entry.value_position),
                    fmt::format("planned downtime #{}", index + 1));
      if (!map.ok()) continue;
      map.check_keys({"start", "duration", "reason", "scope"}, {"start", "duration", "reason"});
      model::PlannedDowntime downtime;
      const auto start =
          read_value(map, "start", "a local date and time YYYY-MM-DDTHH:MM",
                     [](std::string_view text) -> std::optional<Timestamp> {
                       if (text.size() != 16 || text[10] != 'T') return std::nullopt;
                       const auto date = parse_date(text.substr(0, 10));
                       const auto minute = parse_time_of_day(text.substr(11));
                       if (!date || !minute) return std::nullopt;
                       return model::days_from_civil(*date) * kMicrosPerDay + *minute * kMicrosPerMinute;
                     });
      const auto duration = read_value(map, "duration", kDuration, parse_duration);
      downtime.reason = map.scalar("reason").value_or("");
      if (const auto scope = map.scalar("scope")) {
        downtime.scope = *scope;
        if (check_scopes && !paths.contains(*scope)) {
          sink_.error(
              map.find("scope")->value_position,
              fmt::format("scope '{}' of {} is not an equipment path of this plant (e.g. 'site/area/line')",
                          *scope, map.what()));
        }
      }
      if (!start || !duration) continue;
      downtime.begin = *start - calendar_.utc_offset;
      downtime.duration = *duration;
      calendar_.planned_downtime.push_back(std::move(downtime));
    }
  }

  static std::set<std::string> equipment_paths(const model::Plant& plant) {
    std::set<std::string> paths;
    for (const auto& site : plant.sites) {
      paths.insert(site.id);
      for (const auto& area : site.areas) {
        paths.insert(area.id);
        for (const auto& center : area.work_centers) {
          paths.insert(center.id);
          for (const auto& unit : center.units) paths.insert(unit.id);
        }
      }
    }
    return paths;
  }

  // "8h", "90m", "45s": the largest whole unit, for messages.
  static std::string describe_duration(Timestamp micros) {
    if (micros % (3600 * kMicrosPerSecond) == 0)
      return fmt::format("{}h", micros / (3600 * kMicrosPerSecond));
    if (micros % kMicrosPerMinute == 0) return fmt::format("{}m", micros / kMicrosPerMinute);
    return fmt::format("{}s", static_cast<double>(micros) / static_cast<double>(kMicrosPerSecond));
  }

  DiagnosticSink& sink_;
  model::ShiftCalendar& calendar_;
};

}  // namespace

void read_calendar(DiagnosticSink& sink, const Entry& entry, model::Plant& plant) {
  CalendarReader(sink, plant.calendar).read(entry, plant);
}

}  // namespace strata::config::detail
