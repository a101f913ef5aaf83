// ISO 22400-2 formulas (standards.md §5.2) against the public worked examples of §5.3.
#include "kpi/formulas.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace strata::kpi {
namespace {

constexpr double kMinute = 60.0;

double percent(std::optional<double> ratio) {
  EXPECT_TRUE(ratio.has_value());
  return ratio.value_or(-1.0) * 100.0;
}

TEST(KpiFormulas, WaycalculatorExample) {
  // Planned 480 min, run 420 min, ideal cycle 1 min, 400 made, 380 good. Published to 0.1 %, truncated.
  TimeElements time;
  time.pot = 480 * kMinute;
  time.apt = 420 * kMinute;
  const Quantities quantities{.pq = 400, .gq = 380};
  const KpiValues kpi = compute_kpis(time, quantities, 1 * kMinute);
  EXPECT_NEAR(percent(kpi.availability), 87.5, 0.1);
  EXPECT_NEAR(percent(kpi.effectiveness), 95.2, 0.1);
  EXPECT_NEAR(percent(kpi.quality_ratio), 95.0, 0.1);
  EXPECT_NEAR(percent(kpi.oee), 79.1, 0.1);
  EXPECT_NEAR(percent(kpi.oee), 0.875 * (400.0 / 420.0) * 0.95 * 100.0, 1e-9);
}

TEST(KpiFormulas, Vorne2002Worksheet) {
  // Planned 2,780 min, operating 1,820 min, 1,626 pieces at 1.041 ppm ideal, 8 rejects.
  TimeElements time;
  time.pot = 2780 * kMinute;
  time.apt = 1820 * kMinute;
  const Quantities quantities{.pq = 1626, .gq = 1618, .sq = 8};
  const KpiValues kpi = compute_kpis(time, quantities, kMinute / 1.041);
  EXPECT_NEAR(percent(kpi.availability), 65.47, 0.01);
  EXPECT_NEAR(percent(kpi.effectiveness), 85.82, 0.01);
  EXPECT_NEAR(percent(kpi.quality_ratio), 99.50, 0.01);
  EXPECT_NEAR(percent(kpi.oee), 55.90, 0.01);
  EXPECT_NEAR(percent(kpi.scrap_ratio), 8.0 / 1626.0 * 100.0, 1e-9);
}

TEST(KpiFormulas, SecondaryRatiosFollowTheirDefinitions) {
  TimeElements time;
  time.pot = 100;
  time.pdot = 10;
  time.apt = 50;
  time.asut = 10;
  time.adet = 20;
  time.adot = 10;
  time.aoet = 90;
  const Quantities quantities{.pq = 40, .gq = 30, .sq = 6, .rq = 4};
  const KpiValues kpi = compute_kpis(time, quantities, 1.0);
  const double effectiveness = 40.0 / 50.0;
  const double quality = 30.0 / 40.0;
  EXPECT_DOUBLE_EQ(*kpi.availability, 50.0 / 90.0);
  EXPECT_DOUBLE_EQ(*kpi.effectiveness, effectiveness);
  EXPECT_DOUBLE_EQ(*kpi.quality_ratio, quality);
  EXPECT_DOUBLE_EQ(*kpi.oee, 50.0 / 90.0 * effectiveness * quality);
  EXPECT_DOUBLE_EQ(*kpi.nee, 60.0 / 90.0 * effectiveness * quality);
  EXPECT_DOUBLE_EQ(*kpi.technical_efficiency, 50.0 / 70.0);
  EXPECT_DOUBLE_EQ(*kpi.utilization_efficiency, 50.0 / 80.0);
  EXPECT_DOUBLE_EQ(*kpi.allocation_efficiency, 80.0 / 90.0);
  EXPECT_DOUBLE_EQ(*kpi.allocation_ratio, 80.0 / 90.0);
  EXPECT_DOUBLE_EQ(*kpi.production_process_ratio, 50.0 / 90.0);
  EXPECT_DOUBLE_EQ(*kpi.setup_rate, 10.0 / 60.0);
  EXPECT_DOUBLE_EQ(*kpi.scrap_ratio, 6.0 / 40.0);
  EXPECT_DOUBLE_EQ(*kpi.rework_ratio, 4.0 / 40.0);
  EXPECT_DOUBLE_EQ(*kpi.throughput_rate, 40.0 / 90.0);
}

TEST(KpiFormulas, EffectivenessMayExceedOne) {
  TimeElements time;
  time.pot = 100;
  time.apt = 100;
  EXPECT_DOUBLE_EQ(*compute_kpis(time, {.pq = 120, .gq = 120}, 1.0).effectiveness, 1.2);
}

TEST(KpiFormulas, ZeroDenominatorsAreUndefinedNotNaN) {
  const KpiValues kpi = compute_kpis(TimeElements{}, Quantities{}, 1.0);
  for (const auto& value : {kpi.availability, kpi.effectiveness, kpi.quality_ratio, kpi.oee, kpi.nee,
                            kpi.technical_efficiency, kpi.utilization_efficiency, kpi.allocation_efficiency,
                            kpi.allocation_ratio, kpi.production_process_ratio, kpi.setup_rate,
                            kpi.scrap_ratio, kpi.rework_ratio, kpi.throughput_rate, kpi.mtbf, kpi.mttr}) {
    EXPECT_FALSE(value.has_value());
  }
}

TEST(KpiFormulas, OneUndefinedFactorMakesOeeUndefined) {
  TimeElements time;
  time.pot = 480;
  time.adot = 480;  // planned but never ran: Availability 0, Effectiveness undefined
  const KpiValues kpi = compute_kpis(time, {.pq = 0}, 1.0);
  ASSERT_TRUE(kpi.availability.has_value());
  EXPECT_EQ(*kpi.availability, 0.0);
  EXPECT_FALSE(kpi.effectiveness.has_value());
  EXPECT_FALSE(kpi.quality_ratio.has_value());
  EXPECT_FALSE(kpi.oee.has_value());
}

TEST(KpiFormulas, SafeRatioNeverReturnsNonFiniteValues) {
  EXPECT_FALSE(safe_ratio(1.0, 0.0).has_value());
  EXPECT_FALSE(safe_ratio(1.0, -2.0).has_value());
  EXPECT_FALSE(safe_ratio(1.0, std::numeric_limits<double>::denorm_min()).has_value());
  EXPECT_FALSE(safe_ratio(std::numeric_limits<double>::quiet_NaN(), 1.0).has_value());
  EXPECT_DOUBLE_EQ(*safe_ratio(3.0, 4.0), 0.75);
}

TEST(KpiFormulas, MtbfAndMttrAreMeansOverFailures) {
  const std::vector<FailureEvent> failures{
      {.at = 1, .time_between_failures = 100, .time_to_repair = 10},
      {.at = 2, .time_between_failures = 200, .time_to_repair = 30},
      {.at = 3, .time_between_failures = 300, .time_to_repair = std::nullopt},  // still being repaired
  };
  EXPECT_DOUBLE_EQ(*mean_time_between_failures(failures), 200.0);
  EXPECT_DOUBLE_EQ(*mean_time_to_repair(failures), 20.0);
  const KpiValues kpi = compute_kpis(TimeElements{}, Quantities{}, 1.0, failures);
  EXPECT_DOUBLE_EQ(*kpi.mtbf, 200.0);
  EXPECT_DOUBLE_EQ(*kpi.mttr, 20.0);
  EXPECT_FALSE(mean_time_to_repair(std::span(failures).subspan(2)).has_value());
}

}  // namespace
}  // namespace strata::kpi
