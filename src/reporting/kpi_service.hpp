#pragma once
// KPIs and downtime for any scope and period, live or recomputed. Recent periods are served from the
// in-memory LiveSeries, older ones by replaying the recorded tag history through the same series builder,
// so a recomputation of a past shift gives what its live tiles showed (to the minute, see series_builder).
//
// Rules:
//  - A period reaching past now ends now: time that has not happened yet is not planned operation time.
//  - Unit scope: the unit's own performance. Line scope: the constraint unit's (the line produces at the
//    pace of its bottleneck, so its OEE is the line's). Area, site, enterprise: the sum of their lines'
//    time elements and quantities, KPIs computed from the sums (not averages of ratios).
//  - Buckets (shift, day, hour) are evaluated on their own: a stop crossing a bucket boundary is split.
//  - Downtime is evaluated with kStopContext of history around the period, so a stop crossing the period's
//    edge keeps its micro-stop verdict and its classification; its records are then cut to the period.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "kpi/downtime.hpp"
#include "kpi/shift_windows.hpp"
#include "reporting/classification_book.hpp"
#include "reporting/live_series.hpp"
#include "reporting/scope.hpp"
#include "store/store.hpp"

namespace strata::reporting {

enum class Bucketing { None, Shift, Day, Hour };
[[nodiscard]] std::optional<Bucketing> parse_bucketing(std::string_view name);  // none, shift, day, hour
inline constexpr std::size_t kMaxBuckets = 2000;

struct Bucket {
  std::string label;  // "2026-11-26 early", "2026-11-26", "2026-11-26T14:00"
  kpi::Interval span;
  kpi::Performance performance;
};

struct UnitPerformance {
  const model::WorkUnit* unit = nullptr;
  kpi::Performance performance;
};

struct PerformanceReport {
  Scope scope;
  kpi::Interval period;
  bool live = false;  // served from memory rather than replayed from the store
  kpi::Performance total;
  std::vector<UnitPerformance> units;
  std::vector<Bucket> buckets;
};

struct UnitDowntime {
  const model::WorkUnit* unit = nullptr;
  const model::WorkCenter* line = nullptr;
  std::vector<kpi::DowntimeRecord> records;
};

struct DowntimeReport {
  Scope scope;
  kpi::Interval period;
  bool up_to_now = false;  // the period was cut at now: a record ending at its end is still going on
  std::vector<UnitDowntime> units;
  kpi::DowntimeSummary summary;
};

// Recorded values of tags (by store key) over [from, to), with each tag's last value before `from`.
using HistorySource = std::function<Result<std::vector<store::HistoryRecord>>(
    const std::vector<std::int64_t>& tag_keys, Timestamp from, Timestamp to)>;

class KpiService {
 public:
  static constexpr Timestamp kStopContext = 3600LL * kMicrosPerSecond;

  // `history` may be empty (no store): then only periods the live series covers can be answered.
  [[nodiscard]] static Result<std::unique_ptr<KpiService>> create(
      const model::Plant& plant, const Clock& clock, std::vector<std::int64_t> tag_keys,
      HistorySource history, const LiveSeries* live, const ClassificationBook* classifications);

  [[nodiscard]] Result<PerformanceReport> performance(const Scope& scope, kpi::Interval period,
                                                      Bucketing bucketing) const;
  [[nodiscard]] Result<DowntimeReport> downtime(const Scope& scope, kpi::Interval period) const;

  // The shift instance running at `at`; the local day when none runs or the plant has no shift calendar.
  [[nodiscard]] kpi::ShiftWindow shift_at(Timestamp at) const;
  // The shift instance that ended last before `at` (for handover); the previous local day without shifts.
  [[nodiscard]] kpi::ShiftWindow previous_shift(Timestamp at) const;

  // Replays recorded history from `since` into the live series (after a restart).
  [[nodiscard]] Result<std::size_t> seed(LiveSeries& live, Timestamp since) const;

 private:
  KpiService(const model::Plant& plant, const Clock& clock) : plant_(plant), clock_(clock) {}

  struct Loaded {
    std::vector<kpi::UnitSeries> series;  // by position in the requested units
    bool live = false;
  };
  // `up_to_now`: the period was cut at now, so it ends where the live series does.
  [[nodiscard]] Result<Loaded> load(const std::vector<const model::WorkUnit*>& units, kpi::Interval period,
                                    bool up_to_now) const;
  [[nodiscard]] Result<std::vector<model::TagUpdate>> recorded(const std::vector<model::TagIndex>& tags,
                                                               Timestamp from, Timestamp to) const;
  [[nodiscard]] Result<kpi::UnitEvaluation> evaluate(const model::WorkUnit& unit,
                                                     const kpi::UnitSeries& series, kpi::Interval span) const;
  [[nodiscard]] Result<std::vector<Bucket>> buckets(kpi::Interval period, Bucketing bucketing) const;
  struct Clipped {
    kpi::Interval period;
    bool up_to_now = false;
  };
  [[nodiscard]] Clipped clip_to_now(kpi::Interval period) const;
  // The scope's own performance from its units' (see the rules above).
  [[nodiscard]] kpi::Performance scope_total(const Scope& scope,
                                             const std::vector<kpi::Performance>& by_unit) const;

  const model::Plant& plant_;
  const Clock& clock_;
  std::vector<std::int64_t> tag_keys_;  // by TagIndex
  std::map<std::int64_t, model::TagIndex> tag_of_key_;
  HistorySource history_;
  const LiveSeries* live_ = nullptr;
  const ClassificationBook* classifications_ = nullptr;
  kpi::StateMapping mapping_;
  std::map<const model::WorkUnit*, std::map<std::string, double>> cycle_seconds_by_product_;
};

}  // namespace strata::reporting
