// Store::history_window: the values of several tags over [from, to) plus each tag's last value before
// `from`, merged by time (ties by arrival), read from both the staging and the clustered tier.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "raw_db.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::RawDb;
using testing::TempDir;

std::unique_ptr<Store> open_ok(const std::string& path, std::size_t merge_rows) {
  auto store = Store::open(path, {.read_only = false, .history_merge_rows = merge_rows});
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(store).value() : nullptr;
}

struct Written {
  HistoryRecord record;
  std::size_t arrival = 0;
};

// What history_window must return, computed from everything written (in arrival order).
std::vector<Written> expected_window(const std::vector<Written>& written,
                                     const std::vector<std::int64_t>& keys, Timestamp from, Timestamp to) {
  std::vector<Written> result;
  if (keys.empty() || from >= to) return result;
  const auto by_time_then_arrival = [](const Written& a, const Written& b) {
    return a.record.source_time != b.record.source_time ? a.record.source_time < b.record.source_time
                                                        : a.arrival < b.arrival;
  };
  for (const auto key : keys) {
    const Written* last_before = nullptr;
    for (const auto& w : written) {
      if (w.record.tag_key != key) continue;
      if (w.record.source_time < from) {
        if (last_before == nullptr || by_time_then_arrival(*last_before, w)) last_before = &w;
      } else if (w.record.source_time < to) {
        result.push_back(w);
      }
    }
    if (last_before != nullptr) result.push_back(*last_before);
  }
  std::sort(result.begin(), result.end(), by_time_then_arrival);
  return result;
}

class StoreHistoryWindow : public ::testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override {
    store_ = open_ok(dir_.file("plant.db"), GetParam());
    ASSERT_NE(store_, nullptr);
    auto keys = store_->register_tags({"t/a", "t/b", "t/c", "t/d"});
    ASSERT_TRUE(keys.ok());
    keys_ = *keys;
  }
  void append(const std::vector<HistoryRecord>& records) {
    ASSERT_TRUE(store_->append_history(records).ok());
    for (const auto& record : records) written_.push_back({record, written_.size()});
  }
  void expect_window(const std::vector<std::int64_t>& keys, Timestamp from, Timestamp to) {
    SCOPED_TRACE(::testing::Message()
                 << "window [" << from << ", " << to << ") of " << keys.size() << " tags");
    const auto got = store_->history_window(keys, from, to);
    ASSERT_TRUE(got.ok()) << got.error().message;
    const auto expected = expected_window(written_, keys, from, to);
    ASSERT_EQ(got->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE(i);
      const auto& want = expected[i].record;
      EXPECT_EQ((*got)[i].tag_key, want.tag_key);
      EXPECT_EQ((*got)[i].source_time, want.source_time);
      EXPECT_EQ((*got)[i].server_time, want.server_time);
      EXPECT_EQ((*got)[i].value, want.value);
      EXPECT_EQ((*got)[i].quality, want.quality);
    }
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<std::int64_t> keys_;
  std::vector<Written> written_;
};

TEST_P(StoreHistoryWindow, MatchesTheDefinitionOnIrregularData) {
  // 60 batches of samples of four tags; times mostly increase but some arrive late, some repeat.
  std::uint64_t random = 2026;
  const auto next = [&random](std::uint64_t bound) {
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    return (random >> 33) % bound;
  };
  Timestamp t = 1000;
  std::int64_t arrival_value = 0;
  for (int batch = 0; batch < 60; ++batch) {
    std::vector<HistoryRecord> records;
    for (int i = 0; i < 5; ++i) {
      t += static_cast<Timestamp>(next(4));  // 0: same time as the previous sample
      const auto key = keys_[next(3)];       // tag d is never written
      const Timestamp at = next(10) == 0 ? t - static_cast<Timestamp>(next(30)) : t;  // late arrivals
      records.push_back({key, at, 5'000'000 + arrival_value, std::int64_t{arrival_value},
                         next(5) == 0 ? model::Quality::Bad : model::Quality::Good});
      ++arrival_value;
    }
    append(records);
  }
  if (GetParam() < 300) {
    RawDb raw(dir_.file("plant.db"));
    EXPECT_GT(raw.scalar("SELECT count(*) FROM history"), 0) << "the clustered tier holds rows";
  }
  const std::vector<std::int64_t> all{keys_[0], keys_[1], keys_[2], keys_[3]};
  for (Timestamp from = 990; from <= t + 5; from += 37) {
    for (Timestamp length : {1, 13, 90, 1000}) {
      expect_window(all, from, from + length);
    }
  }
  expect_window({keys_[1]}, 1200, 1300);
  expect_window({keys_[0], keys_[2]}, 1100, 1400);
  expect_window({keys_[3]}, 0, t + 1);
  expect_window({keys_[0], 9999}, 1500, 1600);
}

TEST_P(StoreHistoryWindow, EdgeCases) {
  append({{keys_[0], 100, 1, std::int64_t{1}}, {keys_[0], 200, 2, std::int64_t{2}}, {keys_[1], 150, 3, 1.5}});
  append({{keys_[0], 200, 4, std::int64_t{3}}});  // same time, later arrival
  const auto window = [&](std::vector<std::int64_t> keys, Timestamp from, Timestamp to) {
    auto got = store_->history_window(keys, from, to);
    EXPECT_TRUE(got.ok());
    return got.ok() ? *got : std::vector<HistoryRecord>{};
  };
  EXPECT_TRUE(window({}, 0, 1000).empty());
  EXPECT_TRUE(window({keys_[0]}, 300, 300).empty()) << "an empty window has no start value either";
  EXPECT_TRUE(window({keys_[0]}, 300, 200).empty());
  EXPECT_TRUE(window({keys_[0]}, 0, 100).empty()) << "nothing before, nothing inside";

  // A value exactly at `from` is inside the window, not the start value.
  const auto at_from = window({keys_[0]}, 200, 201);
  ASSERT_EQ(at_from.size(), 3U);
  EXPECT_EQ(at_from[0].source_time, 100);
  EXPECT_EQ(at_from[1].value, model::Value{std::int64_t{2}});
  EXPECT_EQ(at_from[2].value, model::Value{std::int64_t{3}});

  // Only values before: the last one, and of two at the same time the later arrival.
  const auto after_all = window({keys_[0], keys_[1]}, 500, 600);
  ASSERT_EQ(after_all.size(), 2U);
  EXPECT_EQ(after_all[0].tag_key, keys_[1]);
  EXPECT_EQ(after_all[0].value, model::Value{1.5});
  EXPECT_EQ(after_all[1].tag_key, keys_[0]);
  EXPECT_EQ(after_all[1].value, model::Value{std::int64_t{3}});
}

INSTANTIATE_TEST_SUITE_P(MergeThreshold, StoreHistoryWindow,
                         ::testing::Values(std::size_t{1}, std::size_t{7}, std::size_t{100},
                                           std::size_t{1'000'000}));

TEST(StoreHistoryWindowTiers, StartValueIsTheLatestAcrossBothTiers) {
  TempDir dir;
  auto store = open_ok(dir.file("plant.db"), 4);
  ASSERT_NE(store, nullptr);
  // Merged into the clustered tier: times 10..40. Then in staging: 50 (newer) and 5 (older, late).
  ASSERT_TRUE(store
                  ->append_history({{1, 10, 1, std::int64_t{10}},
                                    {1, 20, 2, std::int64_t{20}},
                                    {1, 30, 3, std::int64_t{30}},
                                    {1, 40, 4, std::int64_t{40}},
                                    {2, 35, 5, std::int64_t{35}}})
                  .ok());
  ASSERT_TRUE(store->append_history({{1, 50, 6, std::int64_t{50}}, {2, 5, 7, std::int64_t{5}}}).ok());
  {
    RawDb raw(dir.file("plant.db"));
    ASSERT_EQ(raw.scalar("SELECT count(*) FROM history"), 5);
    ASSERT_EQ(raw.scalar("SELECT count(*) FROM history_staging"), 2);
  }
  const auto got = store->history_window({1, 2}, 60, 100);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2U);
  EXPECT_EQ((*got)[0].tag_key, 2);
  EXPECT_EQ((*got)[0].source_time, 35) << "the clustered value is newer than the late staged one";
  EXPECT_EQ((*got)[1].tag_key, 1);
  EXPECT_EQ((*got)[1].source_time, 50) << "the staged value is newer than the clustered ones";

  const auto inside = store->history_window({1, 2}, 30, 51);
  ASSERT_TRUE(inside.ok());
  std::vector<Timestamp> times;
  for (const auto& record : *inside) times.push_back(record.source_time);
  EXPECT_EQ(times, (std::vector<Timestamp>{5, 20, 30, 35, 40, 50})) << "5 and 20: the values before 30";
}

}  // namespace
}  // namespace strata::store
