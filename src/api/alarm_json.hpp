#pragma once
// JSON shapes of alarms for the console, the KPI report and calibration proposals. Times are microseconds
// since the epoch, durations seconds.
#include <nlohmann/json.hpp>

#include "alarms/alarm_book.hpp"
#include "alarms/calibration.hpp"
#include "alarms/kpi_report.hpp"

namespace strata::api {

[[nodiscard]] nlohmann::json alarm_json(const alarms::AlarmView& view, const alarms::AlarmBook& book);
[[nodiscard]] nlohmann::json transition_json(const alarms::Transition& transition);
[[nodiscard]] nlohmann::json alarm_kpi_json(const alarms::KpiReport& report,
                                            const std::vector<model::AlarmPriority>& priorities);
[[nodiscard]] nlohmann::json calibration_json(const alarms::CalibrationReport& report);

}  // namespace strata::api
