#include "api/kpi_json.hpp"

#include <map>

namespace strata::api {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json reason_json(std::optional<std::int64_t> code, const std::vector<model::StopReason>& reasons) {
  if (!code) return nullptr;
  if (const auto* reason = model::find_stop_reason(reasons, *code)) return stop_reason_json(*reason);
  // A code the template does not name is still shown: the PLC may know reasons the template does not.
  return {{"code", *code},
          {"name", "code " + std::to_string(*code)},
          {"group", json::array()},
          {"path", "unknown code " + std::to_string(*code)},
          {"known", false}};
}

}  // namespace

json performance_json(const kpi::Performance& performance) {
  const auto& time = performance.time;
  const auto& quantities = performance.quantities;
  const auto kpis = performance.kpis();
  std::size_t repaired = 0;
  for (const auto& failure : performance.failures) repaired += failure.time_to_repair ? 1 : 0;
  return {{"time",
           {{"pot", time.pot},
            {"pdot", time.pdot},
            {"pbt", time.pbt()},
            {"apt", time.apt},
            {"asut", time.asut},
            {"adet", time.adet},
            {"adot", time.adot},
            {"aupt", time.aupt()},
            {"aubt", time.aubt()},
            {"aoet", time.aoet},
            {"not_counted", time.not_counted}}},
          {"quantities",
           {{"pq", quantities.pq},
            {"gq", quantities.gq},
            {"sq", quantities.sq},
            {"rq", quantities.rq},
            {"produced_outside_planned_time", performance.produced_outside_planned_time}}},
          {"ideal_run_time", performance.ideal_run_time},
          {"ideal_rate_known", !performance.ideal_rate_unknown},
          {"failures", performance.failures.size()},
          {"repaired_failures", repaired},
          {"kpis",
           {{"availability", optional_number(kpis.availability)},
            {"effectiveness", optional_number(kpis.effectiveness)},
            {"quality_ratio", optional_number(kpis.quality_ratio)},
            {"oee", optional_number(kpis.oee)},
            {"nee", optional_number(kpis.nee)},
            {"technical_efficiency", optional_number(kpis.technical_efficiency)},
            {"utilization_efficiency", optional_number(kpis.utilization_efficiency)},
            {"allocation_efficiency", optional_number(kpis.allocation_efficiency)},
            {"setup_rate", optional_number(kpis.setup_rate)},
            {"scrap_ratio", optional_number(kpis.scrap_ratio)},
            {"rework_ratio", optional_number(kpis.rework_ratio)},
            {"throughput_rate", optional_number(kpis.throughput_rate)},
            {"mtbf", optional_number(kpis.mtbf)},
            {"mttr", optional_number(kpis.mttr)}}}};
}

json performance_report_json(const reporting::PerformanceReport& report) {
  json units = json::array();
  for (const auto& unit : report.units) {
    auto entry = performance_json(unit.performance);
    entry["id"] = unit.unit->id;
    entry["name"] = unit.unit->name;
    entry["ideal_rate_per_minute"] = unit.unit->performance.ideal_rate_per_minute;
    units.push_back(std::move(entry));
  }
  json lines = json::array();
  for (const auto* line : report.scope.lines) {
    lines.push_back({{"id", line->id},
                     {"name", line->name},
                     {"constraint_unit", model::child_id(line->id, line->constraint_unit)}});
  }
  json buckets = json::array();
  for (const auto& bucket : report.buckets) {
    auto entry = performance_json(bucket.performance);
    entry["label"] = bucket.label;
    entry["from"] = bucket.span.begin;
    entry["to"] = bucket.span.end;
    buckets.push_back(std::move(entry));
  }
  return {{"scope",
           {{"id", report.scope.id}, {"name", report.scope.name}, {"kind", to_string(report.scope.kind)}}},
          {"from", report.period.begin},
          {"to", report.period.end},
          {"live", report.live},
          {"total", performance_json(report.total)},
          {"lines", std::move(lines)},
          {"units", std::move(units)},
          {"buckets", std::move(buckets)}};
}

json pareto_json(const kpi::DowntimeSummary& summary, const std::vector<model::StopReason>& reasons) {
  json pareto = json::array();
  for (const auto& entry : summary.pareto) {
    pareto.push_back({{"reason", reason_json(entry.reason, reasons)},
                      {"seconds", entry.seconds},
                      {"count", entry.count},
                      {"share", entry.share},
                      {"cumulative", entry.cumulative}});
  }
  return {{"stops", summary.stops},
          {"seconds", summary.seconds},
          {"micro_stops", summary.micro_stops},
          {"micro_seconds", summary.micro_seconds},
          {"pareto", std::move(pareto)}};
}

json downtime_report_json(const reporting::DowntimeReport& report, const model::ShiftCalendar& calendar,
                          bool include_micro) {
  const auto shifts = kpi::shift_windows(calendar, report.period);
  const auto shift_of = [&](Timestamp at) -> json {
    for (const auto& shift : shifts) {
      if (shift.span.contains(at))
        return shift.name.empty() ? json(nullptr) : json(shift.local_date + " " + shift.name);
    }
    return nullptr;
  };
  // Reasons of all lines in scope: a Pareto over an area mixes lines built from different templates.
  std::vector<model::StopReason> all_reasons;
  json records = json::array();
  for (const auto& unit : report.units) {
    const auto& reasons = unit.line->stop_reasons;
    all_reasons.insert(all_reasons.end(), reasons.begin(), reasons.end());
    for (const auto& record : unit.records) {
      if (record.micro && !include_micro) continue;
      json classification = nullptr;
      if (record.classification) {
        classification = {{"reason", reason_json(record.classification->code, reasons)},
                          {"comment", record.classification->comment},
                          {"by", record.classification->by},
                          {"at", record.classification->at}};
      }
      records.push_back({{"unit", unit.unit->id},
                         {"unit_name", unit.unit->name},
                         {"begin", record.stop.span.begin},
                         {"record_begin", record.record_begin},
                         {"end", record.stop.span.end},
                         {"seconds", kpi::to_seconds(record.stop.span.length())},
                         {"state", states::to_string(record.stop.state)},
                         {"mode", states::to_string_mode(record.stop.mode)},
                         {"category", kpi::to_string(record.stop.category)},
                         {"plc_reason", reason_json(record.plc_reason, reasons)},
                         {"classification", std::move(classification)},
                         {"reason", reason_json(record.reason(), reasons)},
                         {"micro", record.micro},
                         {"ongoing", report.up_to_now && record.stop.span.end == report.period.end},
                         {"shift", shift_of(record.stop.span.begin)}});
    }
  }
  std::sort(records.begin(), records.end(), [](const json& a, const json& b) {
    return a["begin"].get<Timestamp>() > b["begin"].get<Timestamp>();
  });
  return {{"scope",
           {{"id", report.scope.id}, {"name", report.scope.name}, {"kind", to_string(report.scope.kind)}}},
          {"from", report.period.begin},
          {"to", report.period.end},
          {"records", std::move(records)},
          {"summary", pareto_json(report.summary, all_reasons)}};
}

json shift_json(const kpi::ShiftWindow& shift) {
  return {{"name", shift.name},
          {"local_date", shift.local_date},
          {"from", shift.planned.begin},
          {"to", shift.planned.end}};
}

json stop_reason_json(const model::StopReason& reason) {
  return {{"code", reason.code},
          {"name", reason.name},
          {"group", reason.group},
          {"path", reason.path()},
          {"known", true}};
}

}  // namespace strata::api
