#include "kpi/downtime.hpp"

#include <algorithm>
#include <map>

namespace strata::kpi {
namespace {

std::optional<std::int64_t> plc_reason_of(const Interval& span, std::span<const CodeSample> samples) {
  const auto at_or_before =
      std::upper_bound(samples.begin(), samples.end(), span.begin,
                       [](Timestamp t, const CodeSample& sample) { return t < sample.at; });
  if (at_or_before != samples.begin() && std::prev(at_or_before)->code != 0)
    return std::prev(at_or_before)->code;
  for (auto it = at_or_before; it != samples.end() && it->at < span.end; ++it) {
    if (it->code != 0) return it->code;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> DowntimeRecord::reason() const {
  if (classification) return classification->code;
  return plc_reason;
}

std::vector<DowntimeRecord> downtime_records(std::span<const StopInterval> stops,
                                             std::span<const CodeSample> stop_reasons,
                                             std::span<const OperatorClassification> classifications,
                                             Timestamp micro_stop_threshold) {
  std::map<Timestamp, const OperatorClassification*> by_begin;
  for (const auto& classification : classifications) by_begin[classification.record_begin] = &classification;

  std::vector<DowntimeRecord> records;
  records.reserve(stops.size());
  for (const auto& stop : stops) {
    if (stop.category == TimeCategory::NotCounted) continue;  // an unknown state is a gap, not a stop
    DowntimeRecord record;
    record.stop = stop;
    record.record_begin = stop.span.begin;
    record.plc_reason = plc_reason_of(stop.span, stop_reasons);
    if (const auto it = by_begin.find(stop.span.begin); it != by_begin.end()) {
      record.classification = *it->second;
    } else if (!records.empty() && records.back().stop.span.end == stop.span.begin) {
      record.classification = records.back().classification;  // the same stop, past a shift change
    }
    records.push_back(record);
  }
  // Micro-stop verdicts per whole stop (a run of touching records).
  for (std::size_t first = 0; first < records.size();) {
    std::size_t last = first;
    while (last + 1 < records.size() && records[last].stop.span.end == records[last + 1].stop.span.begin)
      ++last;
    const Timestamp length = records[last].stop.span.end - records[first].stop.span.begin;
    for (std::size_t i = first; i <= last; ++i) records[i].micro = length < micro_stop_threshold;
    first = last + 1;
  }
  return records;
}

DowntimeSummary summarize_downtime(std::span<const DowntimeRecord* const> records) {
  DowntimeSummary summary;
  std::map<std::optional<std::int64_t>, ParetoEntry> by_reason;
  for (const auto* record : records) {
    const double seconds = to_seconds(record->stop.span.length());
    if (record->micro) {
      ++summary.micro_stops;
      summary.micro_seconds += seconds;
      continue;
    }
    ++summary.stops;
    summary.seconds += seconds;
    auto& entry = by_reason[record->reason()];
    entry.reason = record->reason();
    entry.seconds += seconds;
    ++entry.count;
  }
  for (auto& [reason, entry] : by_reason) summary.pareto.push_back(entry);
  std::sort(summary.pareto.begin(), summary.pareto.end(), [](const ParetoEntry& a, const ParetoEntry& b) {
    if (a.seconds != b.seconds) return a.seconds > b.seconds;
    if (a.count != b.count) return a.count > b.count;
    return a.reason < b.reason;
  });
  double cumulative = 0.0;
  for (auto& entry : summary.pareto) {
    entry.share = summary.seconds > 0.0 ? entry.seconds / summary.seconds : 0.0;
    cumulative += entry.share;
    entry.cumulative = cumulative;
  }
  return summary;
}

}  // namespace strata::kpi
