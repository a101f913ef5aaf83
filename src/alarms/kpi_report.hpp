#pragma once
// Alarm system performance per operator position over a period (ISA-18.2 §16 / EEMUA 191 metrics,
// standards.md §4.4), from a log of activations. Pure: the caller builds the log from the journal.
//
// Rules:
//  - The report measures what operators were shown: only annunciated activations that began inside the
//    period [begin, end) count for rates, floods, bad actors, chattering, fleeting and the priority mix;
//    the others are only counted (not_annunciated). Standing and stale look at annunciated activations
//    still active at the period end, whenever they began (pass those from before the period too).
//  - Rates are averages over the whole period: count / days, / hours, / 10-minute intervals. Ratings
//    compare them with ISA-18.2: <= "very likely acceptable" (150 / 6 / 1) is Acceptable, <= "maximum
//    manageable" (300 / 12 / 2) is Manageable, above is Overloaded. The EEMUA 191 band of the 10-minute
//    average: < 1 very likely acceptable, <= 2 manageable, <= 10 likely over-demanding, above very likely
//    unacceptable (the guide gives points at 1, 2, 5 and 10; between 2 and 10 it is over-demanding).
//  - Intervals are 10 minutes (and hours) aligned on the period begin; a trailing partial interval counts
//    as one interval. Peak and "> 10" / "> 30 per hour" counts use these fixed intervals, not a sliding
//    window.
//  - Flood (ISA-18.2): begins with an interval holding more than 10 alarms and ends with the first
//    interval holding fewer than 5; intervals with 5 to 10 alarms continue a flood in progress (and do not
//    start one). The interval that ends a flood is not part of it. A flood still running at the period end
//    ends there.
//  - Bad actors: the 10 alarms with the most activations (ties by id), and their share of all alarms.
//  - Chattering: chattering.hpp (>= 3 activations of one alarm within 60 s).
//  - Fleeting: an activation that cleared less than `fleeting_below` (default 1 s) after it began. It is
//    counted whether or not the same alarm also chatters; the two lists answer different questions.
//  - Standing: distinct alarms still active at the period end (not cleared, or cleared after it).
//    Stale: standing alarms active for more than `stale_after` (default 24 h) at the period end.
//  - Shelved: the alarms the caller says were shelved at the period end (AlarmBook::shelved()).
//  - Priority mix: counts per configured priority against 80 / 15 / 5 % (3 priorities) or
//    80 / 15 / 5 / 1 % (4; the last is "< 1 %"); no target for other set sizes unless given.
//  - O(n log n) in the number of activations, plus O(period / 10 min) per position.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alarms/chattering.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"

namespace strata::alarms {

// One activation of an alarm. An alarm re-annunciated when it comes back from shelving, suppression or
// out of service while active should be logged as a new annunciated activation at that moment.
struct AlarmActivation {
  std::string alarm_id;
  std::string position;  // operator position, e.g. an area path "bottling/packaging"
  std::size_t priority = 0;
  Timestamp activated = 0;
  std::optional<Timestamp> cleared{};
  std::optional<Timestamp> acknowledged{};
  bool annunciated = true;  // false if shelved, suppressed by design or out of service when it began
};

struct ShelvedAlarm {
  std::string alarm_id;
  std::string position;
};

struct ReportPeriod {
  Timestamp begin = 0;
  Timestamp end = 0;  // exclusive
};

struct KpiRules {
  ChatterRule chatter{};
  Timestamp fleeting_below = kMicrosPerSecond;
  Timestamp stale_after = 24LL * 3600 * kMicrosPerSecond;
  std::size_t flood_begins_above = 10;  // alarms in a 10-minute interval
  std::size_t flood_ends_below = 5;
  std::size_t priority_count = 4;                 // size of the plant's priority set
  std::vector<double> priority_target_percent{};  // empty: ISA-18.2 targets for 3 or 4 priorities
};

struct KpiReportInput {
  ReportPeriod period{};
  std::span<const AlarmActivation> activations{};  // any order
  std::span<const ShelvedAlarm> shelved_at_end{};
  KpiRules rules{};
};

enum class RateRating { Acceptable, Manageable, Overloaded };
enum class EemuaBand { VeryLikelyAcceptable, Manageable, LikelyOverDemanding, VeryLikelyUnacceptable };

struct AlarmRate {
  double average = 0.0;
  RateRating rating = RateRating::Acceptable;
};

struct Flood {
  Timestamp begin = 0;
  Timestamp end = 0;
  std::size_t alarms = 0;      // annunciated alarms in the flood's intervals
  std::size_t peak_10min = 0;  // most alarms in one of its intervals
  friend bool operator==(const Flood&, const Flood&) = default;
};

struct AlarmCount {
  std::string alarm_id;
  std::size_t count = 0;
  double percent = 0.0;  // of the position's annunciated alarms
  friend bool operator==(const AlarmCount&, const AlarmCount&) = default;
};

struct ChatteringAlarm {
  std::string alarm_id;
  std::size_t activations = 0;     // in the period
  std::size_t peak_in_window = 0;  // most activations in one chatter window
  friend bool operator==(const ChatteringAlarm&, const ChatteringAlarm&) = default;
};

struct PriorityShare {
  std::size_t priority = 0;
  std::size_t count = 0;
  double percent = 0.0;
  std::optional<double> target_percent{};
  friend bool operator==(const PriorityShare&, const PriorityShare&) = default;
};

struct PositionKpis {
  std::string position;
  std::size_t annunciated = 0;
  std::size_t not_annunciated = 0;
  AlarmRate per_day{};
  AlarmRate per_hour{};
  AlarmRate per_10min{};
  EemuaBand eemua_band = EemuaBand::VeryLikelyAcceptable;
  std::size_t intervals = 0;  // 10-minute intervals in the period
  std::size_t peak_10min = 0;
  double percent_intervals_over_10 = 0.0;  // ISA target ~< 1 %
  double percent_hours_over_30 = 0.0;      // ISA target ~< 1 %
  std::vector<Flood> floods{};
  Timestamp time_in_flood = 0;
  double percent_intervals_in_flood = 0.0;
  double percent_time_in_flood = 0.0;  // ISA target ~< 1 %
  std::size_t alarms_in_flood = 0;
  std::vector<AlarmCount> bad_actors{};       // top 10, most frequent first
  double top10_percent = 0.0;                 // ISA target ~< 1 to 5 %
  std::vector<ChatteringAlarm> chattering{};  // by id
  std::vector<AlarmCount> fleeting{};         // fleeting activations per alarm, by id
  std::size_t fleeting_activations = 0;
  std::vector<std::string> standing{};  // EEMUA target < 10
  std::vector<std::string> stale{};     // ISA target < 5
  std::size_t shelved = 0;              // EEMUA target < 30
  std::vector<PriorityShare> priorities{};
};

struct KpiReport {
  ReportPeriod period{};
  std::vector<PositionKpis> positions{};  // by position
};

// ISA-18.2 priority mix targets for a set of that size; empty when the standard gives none.
[[nodiscard]] std::vector<double> isa_priority_targets(std::size_t priority_count);
[[nodiscard]] RateRating rate_rating(double average, double acceptable, double manageable);
[[nodiscard]] EemuaBand eemua_band(double average_per_10min);

// Refuses an empty period, an activation cleared or acknowledged before it began, and priorities outside
// the configured set.
[[nodiscard]] Result<KpiReport> alarm_kpi_report(const KpiReportInput& input);

}  // namespace strata::alarms
