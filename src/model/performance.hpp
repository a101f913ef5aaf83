#pragma once
// How output and stops of a unit are measured for ISO 22400 KPIs: which tags count produced, scrap and
// rework units, which tag carries the PLC's stop reason, the ideal rate, and the reason tree that names
// stop reason codes. Declared in the line template, so every line built from it measures the same way.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "model/tag.hpp"

namespace strata::model {

// Template level: tag names of the unit, and the ideal rate as written (it may reference ${parameters}).
struct PerformanceDeclaration {
  std::optional<std::string> produced;     // all processed units (PackTags Admin.ProdProcessedCount)
  std::optional<std::string> defective;    // scrap (Admin.ProdDefectiveCount)
  std::optional<std::string> rework;       // units sent to rework
  std::optional<std::string> stop_reason;  // first-out stop reason code (Admin.StopReason.ID); 0 = none
  std::string ideal_rate;                  // units per minute at design speed; empty = unknown
  std::optional<std::string> product;      // tag naming the product being made (string or integer id)
  std::map<std::string, std::string> ideal_rates;  // per product id; may reference ${parameters}
};

// Instantiated: tag indices of the unit's own tags. Counters wrap at 2^31 when their tag is int32
// (PackTags counters are Int32) and never otherwise.
struct UnitPerformance {
  std::optional<TagIndex> produced;
  std::optional<TagIndex> defective;
  std::optional<TagIndex> rework;
  std::optional<TagIndex> stop_reason;
  double ideal_rate_per_minute = 0.0;  // 0: unknown, so effectiveness and OEE are undefined
  std::optional<TagIndex> product;
  std::map<std::string, double> ideal_rate_by_product;  // units per minute; other products use the default

  // PRU, ISO 22400's planned run time per unit, in seconds; 0 when the rate is unknown.
  [[nodiscard]] double ideal_cycle_seconds() const {
    return ideal_rate_per_minute > 0.0 ? 60.0 / ideal_rate_per_minute : 0.0;
  }
  // PRU per product id (seconds), for the products with their own rate.
  [[nodiscard]] std::map<std::string, double> ideal_cycle_seconds_by_product() const {
    std::map<std::string, double> seconds;
    for (const auto& [id, rate] : ideal_rate_by_product) seconds[id] = 60.0 / rate;
    return seconds;
  }
};

// One leaf of a template's reason tree: a code the PLC reports (or an operator picks) and where it sits.
struct StopReason {
  std::int64_t code = 0;
  std::string name;                // "Infeed jam"
  std::vector<std::string> group;  // path from the tree's root: {"Mechanical", "Infeed"}

  // "Mechanical / Infeed / Infeed jam".
  [[nodiscard]] std::string path() const {
    std::string text;
    for (const auto& part : group) text += part + " / ";
    return text + name;
  }
};

[[nodiscard]] inline const StopReason* find_stop_reason(const std::vector<StopReason>& reasons,
                                                        std::int64_t code) {
  for (const auto& reason : reasons) {
    if (reason.code == code) return &reason;
  }
  return nullptr;
}

// Plant-wide KPI settings (the `kpi:` section).
struct TimeMappingRule {
  std::string state;        // PackML state name, validated by the loader
  std::optional<int> mode;  // unit mode number; none = every mode
  std::string category;     // production, setup, delay, down, not_counted
};

struct KpiSettings {
  // Stops shorter than this are micro-stops: counted and summed apart, left out of the downtime list.
  Timestamp micro_stop_threshold = 60 * kMicrosPerSecond;
  std::vector<TimeMappingRule> time_mapping;  // overrides of the default state -> time element mapping
};

}  // namespace strata::model
