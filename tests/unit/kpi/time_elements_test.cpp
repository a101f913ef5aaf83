// Time elements and quantities aggregate over units, shifts and days by plain addition.
#include "kpi/time_elements.hpp"

#include <gtest/gtest.h>

namespace strata::kpi {
namespace {

TEST(KpiTimeElements, DerivedElementsFollowTheirIdentities) {
  TimeElements time;
  time.pot = 480;
  time.pdot = 60;
  time.apt = 300;
  time.asut = 20;
  time.adet = 40;
  EXPECT_DOUBLE_EQ(time.pbt(), 420);
  EXPECT_DOUBLE_EQ(time.aupt(), 320);
  EXPECT_DOUBLE_EQ(time.aubt(), 360);
}

TEST(KpiTimeElements, MergeAddsEveryElement) {
  const TimeElements a{
      .pot = 1, .pdot = 2, .apt = 3, .asut = 4, .adet = 5, .adot = 6, .aoet = 7, .not_counted = 8};
  TimeElements b{
      .pot = 10, .pdot = 20, .apt = 30, .asut = 40, .adet = 50, .adot = 60, .aoet = 70, .not_counted = 80};
  b += a;
  EXPECT_EQ(b, (TimeElements{.pot = 11,
                             .pdot = 22,
                             .apt = 33,
                             .asut = 44,
                             .adet = 55,
                             .adot = 66,
                             .aoet = 77,
                             .not_counted = 88}));
  EXPECT_EQ(
      a + a,
      (TimeElements{
          .pot = 2, .pdot = 4, .apt = 6, .asut = 8, .adet = 10, .adot = 12, .aoet = 14, .not_counted = 16}));
}

TEST(KpiTimeElements, QuantitiesMerge) {
  const Quantities day1{.pq = 100, .gq = 90, .sq = 8, .rq = 2};
  const Quantities day2{.pq = 50, .gq = 50};
  EXPECT_EQ(day1 + day2, (Quantities{.pq = 150, .gq = 140, .sq = 8, .rq = 2}));
}

TEST(KpiTimeElements, WeightedPruKeepsTheIdealRunTime) {
  // 100 units at 2 s and 300 at 1 s: 500 s of ideal run time for 400 units.
  const double pru = weighted_pru(2.0, 100, 1.0, 300);
  EXPECT_DOUBLE_EQ(pru * 400, 500.0);
  EXPECT_EQ(weighted_pru(2.0, 0, 1.0, 0), 0.0);
}

}  // namespace
}  // namespace strata::kpi
