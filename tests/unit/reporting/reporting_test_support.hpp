#pragma once
// Helpers for the reporting tests: the demo plant, plant-local times and report comparisons.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "config/plant_loader.hpp"
#include "kpi/unit_evaluation.hpp"

namespace strata::reporting::test {

using model::kMicrosPerDay;
using model::kMicrosPerMinute;
constexpr Timestamp kMicrosPerHour = 60 * kMicrosPerMinute;
// examples/bottling/plant.yaml plans in UTC+01:00.
constexpr Timestamp kUtcOffset = kMicrosPerHour;

inline std::string demo_plant_path() {
  return std::string(STRATA_SOURCE_DIR) + "/examples/bottling/plant.yaml";
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The demo plant with its one-off planned maintenance of L1 moved to `maintenance_start` (local
// "YYYY-MM-DDTHH:MM"), so a test week can contain it.
inline model::Plant demo_plant(const std::string& maintenance_start = "2026-12-01T06:00") {
  auto text = read_text(demo_plant_path());
  const std::string from = "2026-12-01T06:00";
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the demo plant no longer plans maintenance on " << from;
  if (at != std::string::npos) text.replace(at, from.size(), maintenance_start);
  auto result = config::load_plant_string(text, demo_plant_path());
  EXPECT_TRUE(result.ok()) << config::to_string(result.diagnostics);
  return result.ok() ? std::move(*result.plant) : model::Plant{};
}

// UTC instant of a plant-local date and time.
inline Timestamp local_time(int year, int month, int day, int hour = 0, int minute = 0) {
  return model::days_from_civil(model::LocalDate{year, month, day}) * kMicrosPerDay + hour * kMicrosPerHour +
         minute * kMicrosPerMinute - kUtcOffset;
}

inline double hours(double h) {
  return h * 3600.0;
}

inline ::testing::AssertionResult same_time_elements(const kpi::TimeElements& a, const kpi::TimeElements& b) {
  if (a == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "pot " << a.pot << " / " << b.pot << ", pdot " << a.pdot << " / " << b.pdot << ", apt " << a.apt
         << " / " << b.apt << ", asut " << a.asut << " / " << b.asut << ", adet " << a.adet << " / " << b.adet
         << ", adot " << a.adot << " / " << b.adot << ", not_counted " << a.not_counted << " / "
         << b.not_counted;
}

inline ::testing::AssertionResult same_quantities(const kpi::Quantities& a, const kpi::Quantities& b) {
  if (a == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "pq " << a.pq << " / " << b.pq << ", gq " << a.gq << " / " << b.gq << ", sq " << a.sq << " / "
         << b.sq << ", rq " << a.rq << " / " << b.rq;
}

// PDOT + APT + ASUT + ADET + ADOT + not_counted == POT, to the microsecond.
inline ::testing::AssertionResult time_adds_up(const kpi::TimeElements& t) {
  const double sum = t.pdot + t.apt + t.asut + t.adet + t.adot + t.not_counted;
  if (std::abs(sum - t.pot) < 1e-6) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "elements add up to " << sum << " s, POT is " << t.pot << " s";
}

}  // namespace strata::reporting::test
