#include "reporting/kpi_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kpi/series_builder.hpp"

namespace strata::reporting {
namespace {

using kpi::Interval;
using model::kMicrosPerDay;
using model::kMicrosPerMinute;
constexpr Timestamp kMicrosPerHour = 60 * kMicrosPerMinute;
// How far past a period the history is read so a failure near its end still gets its time to repair.
constexpr Timestamp kRepairLookahead = kMicrosPerHour;

Timestamp floor_to(Timestamp t, Timestamp step, Timestamp offset) {
  const Timestamp local = t + offset;
  Timestamp floored = local / step * step;
  if (floored > local) floored -= step;
  return floored - offset;
}

std::vector<Interval> spans_of_shifts(const std::vector<kpi::ShiftWindow>& windows) {
  std::vector<Interval> spans;
  for (const auto& window : windows) spans.push_back(window.span);
  return spans;
}

std::vector<Interval> spans_of_stops(const std::vector<kpi::PlannedStop>& stops) {
  std::vector<Interval> spans;
  for (const auto& stop : stops) spans.push_back(stop.span);
  return spans;
}

}  // namespace

std::optional<Bucketing> parse_bucketing(std::string_view name) {
  if (name == "none") return Bucketing::None;
  if (name == "shift") return Bucketing::Shift;
  if (name == "day") return Bucketing::Day;
  if (name == "hour") return Bucketing::Hour;
  return std::nullopt;
}

Result<std::unique_ptr<KpiService>> KpiService::create(const model::Plant& plant, const Clock& clock,
                                                       std::vector<std::int64_t> tag_keys,
                                                       HistorySource history, const LiveSeries* live,
                                                       const ClassificationBook* classifications) {
  auto mapping = kpi::mapping_from_rules(plant.kpi.time_mapping);
  if (!mapping) return mapping.error();
  std::unique_ptr<KpiService> service(new KpiService(plant, clock));
  service->mapping_ = *mapping;
  service->tag_keys_ = std::move(tag_keys);
  for (model::TagIndex i = 0; i < service->tag_keys_.size(); ++i)
    service->tag_of_key_[service->tag_keys_[i]] = i;
  service->history_ = std::move(history);
  service->live_ = live;
  service->classifications_ = classifications;
  for (const auto* unit : plant.units()) {
    service->cycle_seconds_by_product_[unit] = unit->performance.ideal_cycle_seconds_by_product();
  }
  return service;
}

KpiService::Clipped KpiService::clip_to_now(Interval period) const {
  const Timestamp now = clock_.now();
  Clipped clipped{period, period.end >= now};
  clipped.period.end = std::min(period.end, now);
  clipped.period.begin = std::min(period.begin, clipped.period.end);
  return clipped;
}

Result<std::vector<model::TagUpdate>> KpiService::recorded(const std::vector<model::TagIndex>& tags,
                                                           Timestamp from, Timestamp to) const {
  if (!history_) return make_error("no store is configured, so only the live period can be reported");
  std::vector<std::int64_t> keys;
  for (const auto tag : tags) keys.push_back(tag_keys_.at(tag));
  auto records = history_(keys, from, to);
  if (!records) return records.error();
  std::vector<model::TagUpdate> samples;
  samples.reserve(records->size());
  for (auto& record : *records) {
    const auto tag = tag_of_key_.find(record.tag_key);
    if (tag == tag_of_key_.end()) continue;
    samples.push_back(
        model::TagUpdate{tag->second, std::move(record.value), record.quality, record.source_time});
  }
  return samples;
}

Result<KpiService::Loaded> KpiService::load(const std::vector<const model::WorkUnit*>& units, Interval period,
                                            bool up_to_now) const {
  Loaded loaded;
  // Live counts are merged per minute: exact only for periods bounded on whole minutes.
  const bool whole_minutes =
      period.begin % kMicrosPerMinute == 0 && (period.end % kMicrosPerMinute == 0 || up_to_now);
  if (live_ != nullptr && (whole_minutes || !history_)) {
    for (const auto* unit : units) {
      auto snapshot = live_->snapshot(*unit);
      if (!snapshot || snapshot->complete_since > period.begin) break;
      loaded.series.push_back(std::move(snapshot->series));
    }
    if (loaded.series.size() == units.size()) {
      loaded.live = true;
      return loaded;
    }
    loaded.series.clear();
  }
  std::vector<kpi::SeriesBuilder> builders;
  std::vector<model::TagIndex> tags;
  std::vector<std::optional<std::size_t>> builder_of_tag(plant_.tags.size());
  for (const auto* unit : units) {
    auto builder = kpi::SeriesBuilder::create(plant_, *unit);
    if (!builder) return builder.error();
    for (const auto tag : builder->tags()) {
      builder_of_tag[tag] = builders.size();
      tags.push_back(tag);
    }
    builders.push_back(std::move(*builder));
  }
  auto samples = recorded(tags, period.begin, std::min(clock_.now(), period.end + kRepairLookahead) + 1);
  if (!samples) return samples.error();
  for (const auto& sample : *samples) {
    if (const auto builder = builder_of_tag[sample.tag]) builders[*builder].add(sample);
  }
  for (const auto& builder : builders) loaded.series.push_back(builder.series());
  return loaded;
}

Result<kpi::UnitEvaluation> KpiService::evaluate(const model::WorkUnit& unit, const kpi::UnitSeries& series,
                                                 Interval span) const {
  const auto shifts = spans_of_shifts(kpi::shift_windows(plant_.calendar, span));
  const auto planned = spans_of_stops(kpi::planned_downtime(plant_.calendar, span, unit.id));
  return kpi::evaluate_unit(kpi::UnitEvaluationInput{&series, span, shifts, planned,
                                                     unit.performance.ideal_cycle_seconds(), &mapping_,
                                                     &cycle_seconds_by_product_.at(&unit)});
}

kpi::Performance KpiService::scope_total(const Scope& scope,
                                         const std::vector<kpi::Performance>& by_unit) const {
  if (scope.kind == ScopeKind::Unit) return by_unit.front();
  kpi::Performance total;
  for (const auto* line : scope.lines) {
    for (std::size_t i = 0; i < scope.units.size(); ++i) {
      if (scope.units[i]->local_id == line->constraint_unit &&
          plant_.work_center_of(*scope.units[i]) == line) {
        total += by_unit[i];
      }
    }
  }
  return total;
}

Result<std::vector<Bucket>> KpiService::buckets(Interval period, Bucketing bucketing) const {
  std::vector<Bucket> result;
  const Timestamp offset = plant_.calendar.utc_offset;
  if (bucketing == Bucketing::Shift) {
    for (const auto& window : kpi::shift_windows(plant_.calendar, period)) {
      const auto label = window.name.empty() ? std::string("all day") : window.local_date + " " + window.name;
      result.push_back(Bucket{label, window.span, {}});
    }
  } else if (bucketing == Bucketing::Day || bucketing == Bucketing::Hour) {
    const Timestamp step = bucketing == Bucketing::Day ? kMicrosPerDay : kMicrosPerHour;
    const auto count = (period.end - floor_to(period.begin, step, offset) + step - 1) / step;
    if (count > static_cast<Timestamp>(kMaxBuckets)) {
      return make_error(
          fmt::format("{} buckets requested, at most {} allowed: shorten the period or use a "
                      "coarser bucket",
                      count, kMaxBuckets));
    }
    for (Timestamp begin = floor_to(period.begin, step, offset); begin < period.end; begin += step) {
      const Interval span{std::max(begin, period.begin), std::min(begin + step, period.end)};
      const auto days = (begin + offset) / kMicrosPerDay;
      auto label = model::to_string(model::civil_from_days(days));
      if (bucketing == Bucketing::Hour)
        label += fmt::format("T{:02}:00", (begin + offset) % kMicrosPerDay / kMicrosPerHour);
      result.push_back(Bucket{label, span, {}});
    }
  }
  return result;
}

Result<PerformanceReport> KpiService::performance(const Scope& scope, Interval period,
                                                  Bucketing bucketing) const {
  PerformanceReport report;
  report.scope = scope;
  const auto clipped = clip_to_now(period);
  report.period = clipped.period;
  auto buckets_of_period = buckets(report.period, bucketing);
  if (!buckets_of_period) return buckets_of_period.error();
  report.buckets = std::move(*buckets_of_period);
  auto loaded = load(scope.units, report.period, clipped.up_to_now);
  if (!loaded) return loaded.error();
  report.live = loaded->live;

  std::vector<kpi::Performance> by_unit;
  std::vector<std::vector<kpi::Performance>> by_bucket(report.buckets.size());
  for (std::size_t i = 0; i < scope.units.size(); ++i) {
    const auto& unit = *scope.units[i];
    auto evaluation = evaluate(unit, loaded->series[i], report.period);
    if (!evaluation) return make_error(unit.id + ": " + evaluation.error().message);
    by_unit.push_back(evaluation->performance);
    report.units.push_back(UnitPerformance{&unit, std::move(evaluation->performance)});
    for (std::size_t b = 0; b < report.buckets.size(); ++b) {
      auto in_bucket = evaluate(unit, loaded->series[i], report.buckets[b].span);
      if (!in_bucket) return make_error(unit.id + ": " + in_bucket.error().message);
      by_bucket[b].push_back(std::move(in_bucket->performance));
    }
  }
  report.total = scope_total(scope, by_unit);
  for (std::size_t b = 0; b < report.buckets.size(); ++b) {
    report.buckets[b].performance = scope_total(scope, by_bucket[b]);
  }
  return report;
}

Result<DowntimeReport> KpiService::downtime(const Scope& scope, Interval period) const {
  DowntimeReport report;
  report.scope = scope;
  const auto clipped = clip_to_now(period);
  report.period = clipped.period;
  report.up_to_now = clipped.up_to_now;
  const auto context = clip_to_now({report.period.begin - kStopContext, report.period.end + kStopContext});
  auto loaded = load(scope.units, context.period, context.up_to_now);
  if (!loaded) return loaded.error();
  for (std::size_t i = 0; i < scope.units.size(); ++i) {
    const auto& unit = *scope.units[i];
    auto evaluation = evaluate(unit, loaded->series[i], context.period);
    if (!evaluation) return make_error(unit.id + ": " + evaluation.error().message);
    const auto classifications = classifications_ != nullptr ? classifications_->of(unit.id)
                                                             : std::vector<kpi::OperatorClassification>{};
    auto records = kpi::downtime_records(evaluation->stops, loaded->series[i].stop_reasons, classifications,
                                         plant_.kpi.micro_stop_threshold);
    std::vector<kpi::DowntimeRecord> in_period;
    for (auto& record : records) {
      auto& span = record.stop.span;
      span = {std::max(span.begin, report.period.begin), std::min(span.end, report.period.end)};
      if (span.length() > 0) in_period.push_back(std::move(record));
    }
    report.units.push_back(UnitDowntime{&unit, plant_.work_center_of(unit), std::move(in_period)});
  }
  std::vector<const kpi::DowntimeRecord*> all;
  for (const auto& unit : report.units) {
    for (const auto& record : unit.records) all.push_back(&record);
  }
  report.summary = kpi::summarize_downtime(all);
  return report;
}

kpi::ShiftWindow KpiService::shift_at(Timestamp at) const {
  const Timestamp offset = plant_.calendar.utc_offset;
  if (!plant_.calendar.around_the_clock()) {
    for (const auto& window : kpi::shift_windows(plant_.calendar, Interval{at - kMicrosPerDay, at + 1})) {
      if (window.planned.contains(at)) return window;
    }
  }
  const Timestamp day = floor_to(at, kMicrosPerDay, offset);
  const Interval span{day, day + kMicrosPerDay};
  return kpi::ShiftWindow{"", model::to_string(model::civil_from_days((day + offset) / kMicrosPerDay)), span,
                          span};
}

kpi::ShiftWindow KpiService::previous_shift(Timestamp at) const {
  if (!plant_.calendar.around_the_clock()) {
    // Shifts start on working days only; a week back always reaches the last one.
    const auto windows = kpi::shift_windows(plant_.calendar, Interval{at - 8 * kMicrosPerDay, at});
    for (auto it = windows.rbegin(); it != windows.rend(); ++it) {
      if (it->planned.end <= at) return *it;
    }
  }
  return shift_at(floor_to(at, kMicrosPerDay, plant_.calendar.utc_offset) - 1);
}

Result<std::size_t> KpiService::seed(LiveSeries& live, Timestamp since) const {
  const auto samples = recorded(live.observed_tags(), since, clock_.now() + 1);
  if (!samples) return samples.error();
  live.seed(*samples, since);
  return samples->size();
}

}  // namespace strata::reporting
