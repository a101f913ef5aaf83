// The read planner: fewest requests within the size and gap limits, every span covered once.
#include "drivers/modbus/poll_planner.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace strata::modbus {
namespace {

AddressSpan hr(int offset, int count = 1) {
  return AddressSpan{.table = Table::HoldingRegister, .offset = offset, .count = count};
}

// Every span is in exactly one request, inside it, and every request respects the limits.
void expect_valid_plan(const std::vector<AddressSpan>& spans, const std::vector<ReadRequest>& plan,
                       const PlanLimits& limits) {
  std::multiset<std::size_t> covered;
  for (const auto& request : plan) {
    const bool bits = request.table == Table::Coil || request.table == Table::DiscreteInput;
    EXPECT_LE(request.count, bits ? limits.max_bits : limits.max_registers);
    for (const auto index : request.spans) {
      covered.insert(index);
      EXPECT_EQ(spans[index].table, request.table);
      EXPECT_GE(spans[index].offset, request.offset);
      EXPECT_LE(spans[index].offset + spans[index].count, request.offset + request.count);
    }
  }
  ASSERT_EQ(covered.size(), spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) EXPECT_EQ(covered.count(i), 1U) << "span " << i;
}

TEST(PollPlanner, MergesNeighboursAndSmallGaps) {
  const std::vector<AddressSpan> spans{hr(100, 2), hr(102), hr(111), hr(103, 4)};
  const PlanLimits limits;
  const auto plan = plan_reads(spans, limits);
  ASSERT_EQ(plan.size(), 1U);
  EXPECT_EQ(plan[0].offset, 100);
  EXPECT_EQ(plan[0].count, 12);  // 100..111; the gap 107..110 (4 registers) is read and ignored
  expect_valid_plan(spans, plan, limits);
}

TEST(PollPlanner, SplitsAtGapsLargerThanTheLimit) {
  const std::vector<AddressSpan> spans{hr(0), hr(9), hr(19)};
  PlanLimits limits;
  limits.max_register_gap = 8;
  const auto plan = plan_reads(spans, limits);
  ASSERT_EQ(plan.size(), 2U);  // 0..9 (gap of 8), then 19 (gap of 9)
  EXPECT_EQ(plan[0].count, 10);
  EXPECT_EQ(plan[1].offset, 19);
  expect_valid_plan(spans, plan, limits);

  limits.max_register_gap = 0;
  EXPECT_EQ(plan_reads(std::vector<AddressSpan>{hr(0), hr(1), hr(3)}, limits).size(), 2U);
}

TEST(PollPlanner, RespectsTheRequestSizeAndNeverSplitsAValue) {
  std::vector<AddressSpan> spans;
  for (int offset = 0; offset < 12; offset += 2) spans.push_back(hr(offset, 2));  // 0..11
  PlanLimits limits;
  limits.max_registers = 5;
  const auto plan = plan_reads(spans, limits);
  ASSERT_EQ(plan.size(), 3U);  // 0..3, 4..7, 8..11: a float32 at 4 may not straddle 0..4
  EXPECT_EQ(plan[0].count, 4);
  EXPECT_EQ(plan[1].offset, 4);
  expect_valid_plan(spans, plan, limits);
}

TEST(PollPlanner, KeepsTablesApartInTableOrder) {
  const std::vector<AddressSpan> spans{hr(0),
                                       {Table::InputRegister, 0, 1},
                                       {Table::Coil, 0, 1},
                                       {Table::DiscreteInput, 1, 1},
                                       {Table::Coil, 60, 1}};
  const PlanLimits limits;
  const auto plan = plan_reads(spans, limits);
  ASSERT_EQ(plan.size(), 4U);
  EXPECT_EQ(plan[0].table, Table::Coil);
  EXPECT_EQ(plan[0].count, 61);  // bit gaps are cheap: 59 unused bits are within the bit gap limit
  EXPECT_EQ(plan[1].table, Table::DiscreteInput);
  EXPECT_EQ(plan[2].table, Table::InputRegister);
  EXPECT_EQ(plan[3].table, Table::HoldingRegister);
  expect_valid_plan(spans, plan, limits);
}

TEST(PollPlanner, SharesRegistersBetweenOverlappingTags) {
  // Three bits of one status word and the word itself: one single-register read.
  const std::vector<AddressSpan> spans{hr(7), hr(7), hr(7), hr(6, 2)};
  const PlanLimits limits;
  const auto plan = plan_reads(spans, limits);
  ASSERT_EQ(plan.size(), 1U);
  EXPECT_EQ(plan[0].offset, 6);
  EXPECT_EQ(plan[0].count, 2);
  expect_valid_plan(spans, plan, limits);
}

TEST(PollPlanner, AThousandTagsBecomeAFewDozenRequests) {
  std::vector<AddressSpan> spans;
  // 600 int16 every other register, 300 float32 packed, 100 coils spread over 1,000 bits.
  for (int i = 0; i < 600; ++i) spans.push_back(hr(i * 2));
  for (int i = 0; i < 300; ++i) spans.push_back(AddressSpan{Table::InputRegister, 1000 + i * 2, 2});
  for (int i = 0; i < 100; ++i) spans.push_back(AddressSpan{Table::Coil, i * 10, 1});
  const PlanLimits limits;
  const auto plan = plan_reads(spans, limits);
  EXPECT_EQ(plan.size(), 10U + 5U + 1U);  // ceil(1199/125) + ceil(600/125) + one coil read
  EXPECT_LE(plan.size(), 36U);
  expect_valid_plan(spans, plan, limits);
}

TEST(PollPlanner, EmptyInputPlansNothing) {
  EXPECT_TRUE(plan_reads({}, PlanLimits{}).empty());
}

TEST(PollPlanner, LimitsComeFromTheConnectionSettings) {
  ConnectionSettings settings;
  settings.max_registers_per_request = 60;
  settings.max_bits_per_request = 800;
  settings.max_register_gap = 0;
  settings.max_bit_gap = 3;
  const auto limits = plan_limits(settings);
  EXPECT_EQ(limits.max_registers, 60);
  EXPECT_EQ(limits.max_bits, 800);
  EXPECT_EQ(limits.max_register_gap, 0);
  EXPECT_EQ(limits.max_bit_gap, 3);
}

}  // namespace
}  // namespace strata::modbus
