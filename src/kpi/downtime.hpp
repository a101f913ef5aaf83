#pragma once
// Downtime records, their reasons and the Pareto of reasons.
//
// Rules:
//  - Every stop interval of the classifier is one record (so a stop crossing a shift change is two
//    records, one per shift), except time in no category (state unknown): that is a gap, not a stop. Records
//    of one unit that touch (end == next begin) form one stop: they share the micro-stop verdict, and a
//    classification of the first also explains the rest.
//  - A stop is a micro-stop when the whole stop lasts less than the threshold. Micro-stops are counted
//    and summed apart and are not in the Pareto of reasons: they are many, short and rarely coded.
//  - The PLC reason is the stop reason code in effect when the record begins, or, if that is 0 (the
//    PLC sets its first-out code a moment after stopping), the first non-zero code reported during it.
//  - An operator's classification (by record begin) overrides the PLC reason.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kpi/classifier.hpp"
#include "kpi/unit_evaluation.hpp"

namespace strata::kpi {

struct OperatorClassification {
  Timestamp record_begin = 0;  // the record it explains
  std::int64_t code = 0;
  std::string comment;
  std::string by;
  Timestamp at = 0;  // when it was given
};

struct DowntimeRecord {
  StopInterval stop;
  Timestamp record_begin = 0;  // stop.span.begin before any cut to a report period; classifications key on it
  std::optional<std::int64_t> plc_reason;
  std::optional<OperatorClassification> classification;
  bool micro = false;

  // The operator's code if classified, else the PLC's; nullopt = unexplained.
  [[nodiscard]] std::optional<std::int64_t> reason() const;
};

// One unit's records for its stops (chronological).
[[nodiscard]] std::vector<DowntimeRecord> downtime_records(
    std::span<const StopInterval> stops, std::span<const CodeSample> stop_reasons,
    std::span<const OperatorClassification> classifications, Timestamp micro_stop_threshold);

struct ParetoEntry {
  std::optional<std::int64_t> reason;  // nullopt: unexplained
  double seconds = 0.0;
  std::size_t count = 0;    // records
  double share = 0.0;       // of all non-micro downtime
  double cumulative = 0.0;  // share of this entry and all before it
};

struct DowntimeSummary {
  std::size_t stops = 0;  // non-micro records
  double seconds = 0.0;
  std::size_t micro_stops = 0;
  double micro_seconds = 0.0;
  std::vector<ParetoEntry> pareto;  // longest total first; ties by count, then code
};

[[nodiscard]] DowntimeSummary summarize_downtime(std::span<const DowntimeRecord* const> records);

}  // namespace strata::kpi
