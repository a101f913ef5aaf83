#include "kpi/formulas.hpp"

#include <cmath>

namespace strata::kpi {
namespace {

std::optional<double> product(std::optional<double> a, std::optional<double> b, std::optional<double> c) {
  if (!a || !b || !c) {
    return std::nullopt;
  }
  return *a * *b * *c;
}

}  // namespace

std::optional<double> safe_ratio(double numerator, double denominator) {
  if (!(denominator > 0.0)) {
    return std::nullopt;
  }
  const double value = numerator / denominator;
  if (!std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> mean_time_between_failures(std::span<const FailureEvent> failures) {
  double sum = 0.0;
  for (const auto& failure : failures) {
    sum += failure.time_between_failures;
  }
  return safe_ratio(sum, static_cast<double>(failures.size()));
}

std::optional<double> mean_time_to_repair(std::span<const FailureEvent> failures) {
  double sum = 0.0;
  std::size_t repaired = 0;
  for (const auto& failure : failures) {
    if (failure.time_to_repair) {
      sum += *failure.time_to_repair;
      ++repaired;
    }
  }
  return safe_ratio(sum, static_cast<double>(repaired));
}

KpiValues compute_kpis(const TimeElements& time, const Quantities& quantities, double pru_seconds,
                       std::span<const FailureEvent> failures) {
  KpiValues kpi;
  kpi.availability = safe_ratio(time.apt, time.pbt());
  kpi.effectiveness = safe_ratio(pru_seconds * quantities.pq, time.apt);
  kpi.quality_ratio = safe_ratio(quantities.gq, quantities.pq);
  kpi.oee = product(kpi.availability, kpi.effectiveness, kpi.quality_ratio);
  kpi.nee = product(safe_ratio(time.aupt(), time.pbt()), kpi.effectiveness, kpi.quality_ratio);
  kpi.technical_efficiency = safe_ratio(time.apt, time.apt + time.adet);
  kpi.utilization_efficiency = safe_ratio(time.apt, time.aubt());
  kpi.allocation_efficiency = safe_ratio(time.aubt(), time.pbt());
  kpi.allocation_ratio = safe_ratio(time.aubt(), time.aoet);
  kpi.production_process_ratio = safe_ratio(time.apt, time.aoet);
  kpi.setup_rate = safe_ratio(time.asut, time.aupt());
  kpi.scrap_ratio = safe_ratio(quantities.sq, quantities.pq);
  kpi.rework_ratio = safe_ratio(quantities.rq, quantities.pq);
  kpi.throughput_rate = safe_ratio(quantities.pq, time.aoet);
  kpi.mtbf = mean_time_between_failures(failures);
  kpi.mttr = mean_time_to_repair(failures);
  return kpi;
}

}  // namespace strata::kpi
