// resolve_scope on the demo plant, and the shift lookups of KpiService on its calendar.
#include "reporting/scope.hpp"

#include <gtest/gtest.h>

#include "reporting/kpi_service.hpp"
#include "reporting_test_support.hpp"

namespace strata::reporting {
namespace {

using test::local_time;

std::vector<std::string> ids(const std::vector<const model::WorkUnit*>& units) {
  std::vector<std::string> list;
  for (const auto* unit : units) list.push_back(unit->id);
  return list;
}

std::vector<std::string> ids(const std::vector<const model::WorkCenter*>& lines) {
  std::vector<std::string> list;
  for (const auto* line : lines) list.push_back(line->id);
  return list;
}

class ReportingScope : public ::testing::Test {
 protected:
  model::Plant plant_ = test::demo_plant();
  const std::vector<std::string> l1_units_{"bottling/packaging/L1/filler", "bottling/packaging/L1/capper",
                                           "bottling/packaging/L1/labeler"};
  const std::vector<std::string> all_units_{"bottling/packaging/L1/filler",  "bottling/packaging/L1/capper",
                                            "bottling/packaging/L1/labeler", "bottling/packaging/L2/filler",
                                            "bottling/packaging/L2/capper",  "bottling/packaging/L2/labeler"};
  const std::vector<std::string> both_lines_{"bottling/packaging/L1", "bottling/packaging/L2"};
};

TEST_F(ReportingScope, Enterprise) {
  const auto scope = resolve_scope(plant_, "");
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->kind, ScopeKind::Enterprise);
  EXPECT_EQ(scope->id, "");
  EXPECT_EQ(scope->name, "ACME Beverages");
  EXPECT_EQ(ids(scope->lines), both_lines_);
  EXPECT_EQ(ids(scope->units), all_units_);
  EXPECT_EQ(to_string(scope->kind), "enterprise");
}

TEST_F(ReportingScope, SiteAndArea) {
  for (const auto& [id, kind, name] : {std::tuple{"bottling", ScopeKind::Site, "Bottling plant"},
                                       std::tuple{"bottling/packaging", ScopeKind::Area, "Packaging hall"}}) {
    SCOPED_TRACE(id);
    const auto scope = resolve_scope(plant_, id);
    ASSERT_TRUE(scope.ok()) << scope.error().message;
    EXPECT_EQ(scope->kind, kind);
    EXPECT_EQ(scope->id, id);
    EXPECT_EQ(scope->name, name);
    EXPECT_EQ(ids(scope->lines), both_lines_);
    EXPECT_EQ(ids(scope->units), all_units_);
  }
  EXPECT_EQ(to_string(ScopeKind::Site), "site");
  EXPECT_EQ(to_string(ScopeKind::Area), "area");
}

TEST_F(ReportingScope, Line) {
  const auto scope = resolve_scope(plant_, "bottling/packaging/L1");
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->kind, ScopeKind::Line);
  EXPECT_EQ(scope->name, "Line 1");
  EXPECT_EQ(ids(scope->lines), std::vector<std::string>{"bottling/packaging/L1"});
  EXPECT_EQ(ids(scope->units), l1_units_);
  EXPECT_EQ(to_string(scope->kind), "line");
}

TEST_F(ReportingScope, Unit) {
  const auto scope = resolve_scope(plant_, "bottling/packaging/L2/capper");
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->kind, ScopeKind::Unit);
  EXPECT_EQ(scope->name, "Capper");
  EXPECT_EQ(ids(scope->lines), std::vector<std::string>{"bottling/packaging/L2"});
  EXPECT_EQ(ids(scope->units), std::vector<std::string>{"bottling/packaging/L2/capper"});
  EXPECT_EQ(to_string(scope->kind), "unit");
}

TEST_F(ReportingScope, UnknownPathsAreRefused) {
  for (const auto* id : {"bottling/packaging/L3", "acme", "filler", "bottling/packaging/L1/", "Bottling",
                         "bottling/packaging/L1/filler/Status.StateCurrent"}) {
    SCOPED_TRACE(id);
    const auto scope = resolve_scope(plant_, id);
    ASSERT_FALSE(scope.ok());
    EXPECT_NE(scope.error().message.find(std::string("unknown equipment '") + id + "'"), std::string::npos)
        << scope.error().message;
  }
}

TEST(ReportingBucketing, Names) {
  EXPECT_EQ(parse_bucketing("none"), Bucketing::None);
  EXPECT_EQ(parse_bucketing("shift"), Bucketing::Shift);
  EXPECT_EQ(parse_bucketing("day"), Bucketing::Day);
  EXPECT_EQ(parse_bucketing("hour"), Bucketing::Hour);
  EXPECT_FALSE(parse_bucketing("week").has_value());
  EXPECT_FALSE(parse_bucketing("Shift").has_value());
}

// --- shift lookups on the demo calendar (UTC+01:00, three 8 h shifts, Sunday off, 25 Dec holiday) --------

class ShiftLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = KpiService::create(plant_, clock_, std::vector<std::int64_t>(plant_.tags.size(), 0), {},
                                      nullptr, nullptr);
    ASSERT_TRUE(created.ok());
    service_ = std::move(*created);
  }
  model::Plant plant_ = test::demo_plant();
  ManualClock clock_{local_time(2026, 12, 28)};
  std::unique_ptr<KpiService> service_;
};

TEST_F(ShiftLookup, ShiftAtFindsTheRunningInstance) {
  const auto late = service_->shift_at(local_time(2026, 12, 22, 15, 30));
  EXPECT_EQ(late.name, "late");
  EXPECT_EQ(late.local_date, "2026-12-22");
  EXPECT_EQ(late.planned, (kpi::Interval{local_time(2026, 12, 22, 14), local_time(2026, 12, 22, 22)}));
  EXPECT_EQ(service_->shift_at(local_time(2026, 12, 22, 14)).name, "late")
      << "a shift owns its first instant";
  EXPECT_EQ(service_->shift_at(local_time(2026, 12, 22, 14) - 1).name, "early");
  const auto night = service_->shift_at(local_time(2026, 12, 23, 3));
  EXPECT_EQ(night.name, "night");
  EXPECT_EQ(night.local_date, "2026-12-22") << "a shift belongs to its start date";
  EXPECT_EQ(service_->shift_at(local_time(2026, 12, 22, 10, 40)).name, "early")
      << "breaks are part of the shift";
}

TEST_F(ShiftLookup, NoShiftRunningGivesTheLocalDay) {
  // Sunday: Saturday's night shift until 06:00, then nothing.
  EXPECT_EQ(service_->shift_at(local_time(2026, 12, 27, 5, 59)).name, "night");
  const auto sunday = service_->shift_at(local_time(2026, 12, 27, 12));
  EXPECT_EQ(sunday.name, "");
  EXPECT_EQ(sunday.local_date, "2026-12-27");
  EXPECT_EQ(sunday.planned, (kpi::Interval{local_time(2026, 12, 27), local_time(2026, 12, 28)}));
  const auto holiday = service_->shift_at(local_time(2026, 12, 25, 12));
  EXPECT_EQ(holiday.name, "");
  EXPECT_EQ(holiday.local_date, "2026-12-25");
  EXPECT_EQ(service_->shift_at(local_time(2026, 12, 25, 2)).local_date, "2026-12-24");
}

TEST_F(ShiftLookup, PreviousShiftIsTheLastOneThatEnded) {
  const auto handover = service_->previous_shift(local_time(2026, 12, 22, 14));
  EXPECT_EQ(handover.name, "early");
  EXPECT_EQ(handover.local_date, "2026-12-22");
  const auto monday = service_->previous_shift(local_time(2026, 12, 28, 7));
  EXPECT_EQ(monday.name, "night");
  EXPECT_EQ(monday.local_date, "2026-12-26") << "over the Sunday off";
  // Saturday 07:00: the early shift is still running; the last one that ended was Thursday's night, which ran
  // into the holiday.
  const auto saturday = service_->previous_shift(local_time(2026, 12, 26, 7));
  EXPECT_EQ(saturday.name, "night");
  EXPECT_EQ(saturday.local_date, "2026-12-24");
  EXPECT_EQ(saturday.planned.end, local_time(2026, 12, 25, 6));
}

TEST(ShiftLookupAroundTheClock, DaysStandInForShifts) {
  auto plant = test::demo_plant();
  plant.calendar = {};
  ManualClock clock{local_time(2026, 12, 28)};
  auto service =
      KpiService::create(plant, clock, std::vector<std::int64_t>(plant.tags.size(), 0), {}, nullptr, nullptr);
  ASSERT_TRUE(service.ok());
  const Timestamp noon_utc =
      model::days_from_civil({2026, 12, 22}) * model::kMicrosPerDay + 12 * test::kMicrosPerHour;
  const auto day = (*service)->shift_at(noon_utc);
  EXPECT_EQ(day.name, "");
  EXPECT_EQ(day.local_date, "2026-12-22") << "no calendar: UTC days";
  EXPECT_EQ(day.planned.length(), model::kMicrosPerDay);
  EXPECT_EQ((*service)->previous_shift(noon_utc).local_date, "2026-12-21");
}

}  // namespace
}  // namespace strata::reporting
