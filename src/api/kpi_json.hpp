#pragma once
// JSON shapes of KPI, downtime and shift reports. Times are microseconds since the epoch, durations
// seconds, ratios fractions (0.8881); a KPI whose denominator is 0 is null ("n/a"), never 0.
#include <nlohmann/json.hpp>

#include "kpi/shift_windows.hpp"
#include "reporting/kpi_service.hpp"

namespace strata::api {

[[nodiscard]] nlohmann::json performance_json(const kpi::Performance& performance);
[[nodiscard]] nlohmann::json performance_report_json(const reporting::PerformanceReport& report);
// `include_micro`: list micro-stop records too (they are always in the summary).
[[nodiscard]] nlohmann::json downtime_report_json(const reporting::DowntimeReport& report,
                                                  const model::ShiftCalendar& calendar, bool include_micro);
[[nodiscard]] nlohmann::json pareto_json(const kpi::DowntimeSummary& summary,
                                         const std::vector<model::StopReason>& reasons);
[[nodiscard]] nlohmann::json shift_json(const kpi::ShiftWindow& shift);
[[nodiscard]] nlohmann::json stop_reason_json(const model::StopReason& reason);

}  // namespace strata::api
