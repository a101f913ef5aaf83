// The store-and-forward queue on disk: order, popping, reopening, a torn tail and the size bound.
#include "drivers/sparkplug/store_forward.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace strata::sparkplug {
namespace {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("strata-sf-{}-{}", ::getpid(), counter.fetch_add(1));
    std::filesystem::remove_all(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

StoredRecord record(int i) {
  return {fmt::format("spBv1.0/g/DDATA/e/d{}", i % 3), fmt::format("payload-{}-{}", i, std::string(40, 'x'))};
}

std::vector<StoredRecord> records(int from, int to) {
  std::vector<StoredRecord> out;
  for (int i = from; i < to; ++i) out.push_back(record(i));
  return out;
}

// Reads every live record from the cursor on.
std::vector<StoreForward::Next> read_all(StoreForward& store) {
  std::vector<StoreForward::Next> out;
  while (true) {
    auto next = store.next();
    EXPECT_TRUE(next.ok()) << next.error().message;
    if (!next.ok() || !*next) break;
    out.push_back(std::move(**next));
  }
  return out;
}

constexpr std::uint64_t kMiB = 1ULL << 20;

TEST(SparkplugStoreForward, KeepsOrderAndPopsOnlyWhatWasAcknowledged) {
  TempDir dir;
  auto store = StoreForward::open(dir.path(), kMiB);
  ASSERT_TRUE(store.ok()) << store.error().message;
  const auto input = records(0, 10);
  ASSERT_TRUE((*store)->append(input).ok());
  EXPECT_EQ((*store)->stats().records, 10U);

  auto first = read_all(**store);
  ASSERT_EQ(first.size(), 10U);
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].ordinal, i);
    EXPECT_EQ(first[i].record.topic, input[i].topic);
    EXPECT_EQ(first[i].record.payload, input[i].payload);
  }
  ASSERT_TRUE((*store)->pop_until(first[3].ordinal + 1).ok());
  EXPECT_EQ((*store)->stats().records, 6U);
  (*store)->rewind();  // a lost connection: the unacknowledged ones go again
  const auto again = read_all(**store);
  ASSERT_EQ(again.size(), 6U);
  EXPECT_EQ(again.front().record.payload, input[4].payload);
  ASSERT_TRUE((*store)->pop_until(again.back().ordinal + 1).ok());
  EXPECT_TRUE((*store)->empty());
  EXPECT_EQ((*store)->stats().bytes, 0U);
  ASSERT_TRUE((*store)->append(records(10, 11)).ok());
  const auto later = read_all(**store);
  ASSERT_EQ(later.size(), 1U);
  EXPECT_EQ(later[0].ordinal, 10U) << "ordinals keep increasing";
}

TEST(SparkplugStoreForward, SurvivesReopeningWhereItLeftOff) {
  TempDir dir;
  {
    auto store = StoreForward::open(dir.path(), 4 * kMiB);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->append(records(0, 2000)).ok());
    const auto all = read_all(**store);
    ASSERT_EQ(all.size(), 2000U);
    ASSERT_TRUE((*store)->pop_until(1500).ok());
  }
  auto store = StoreForward::open(dir.path(), 4 * kMiB);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->stats().records, 500U);
  ASSERT_TRUE((*store)->append(records(2000, 2010)).ok());
  const auto rest = read_all(**store);
  ASSERT_EQ(rest.size(), 510U);
  EXPECT_EQ(rest.front().ordinal, 1500U);
  EXPECT_EQ(rest.front().record.payload, record(1500).payload);
  EXPECT_EQ(rest.back().record.payload, record(2009).payload);
  EXPECT_EQ((*store)->stats().corrupt, 0U);
}

TEST(SparkplugStoreForward, CutsATornLastRecordOnOpen) {
  TempDir dir;
  {
    auto store = StoreForward::open(dir.path(), kMiB);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->append(records(0, 5)).ok());
  }
  // A crash in the middle of an append: half a record at the end of the last segment.
  std::filesystem::path segment;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".seg") segment = entry.path();
  }
  ASSERT_FALSE(segment.empty());
  const auto whole = std::filesystem::file_size(segment);
  {
    auto store = StoreForward::open(dir.path(), kMiB);
    ASSERT_TRUE(store.ok());
  }
  const int fd = ::open(segment.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  const std::string torn = "\x40\x00\x00\x00\x12\x34\x56\x78spBv1.0/g/DD";
  ASSERT_EQ(::write(fd, torn.data(), torn.size()), static_cast<ssize_t>(torn.size()));
  ::close(fd);

  auto store = StoreForward::open(dir.path(), kMiB);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->stats().corrupt, 1U);
  EXPECT_EQ(std::filesystem::file_size(segment), whole) << "truncated back to the whole records";
  ASSERT_TRUE((*store)->append(records(5, 6)).ok());
  const auto all = read_all(**store);
  ASSERT_EQ(all.size(), 6U);
  EXPECT_EQ(all.back().record.payload, record(5).payload);
}

TEST(SparkplugStoreForward, FlippedBitInTheLastRecordIsCaughtByTheCrc) {
  TempDir dir;
  std::filesystem::path segment;
  {
    auto store = StoreForward::open(dir.path(), kMiB);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->append(records(0, 3)).ok());
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".seg") segment = entry.path();
  }
  const auto size = std::filesystem::file_size(segment);
  const int fd = ::open(segment.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  const char flipped = '?';
  ASSERT_EQ(::pwrite(fd, &flipped, 1, static_cast<off_t>(size - 3)), 1);
  ::close(fd);
  auto store = StoreForward::open(dir.path(), kMiB);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->stats().corrupt, 1U);
  EXPECT_EQ(read_all(**store).size(), 2U);
}

TEST(SparkplugStoreForward, DropsTheOldestWhenFullAndCountsThem) {
  TempDir dir;
  auto store = StoreForward::open(dir.path(), kMiB);
  ASSERT_TRUE(store.ok());
  // ~100 bytes a record: 30000 records are ~3 MiB, three times the bound.
  for (int batch = 0; batch < 30; ++batch) {
    ASSERT_TRUE((*store)->append(records(batch * 1000, (batch + 1) * 1000)).ok());
    ASSERT_LE((*store)->stats().bytes, kMiB);
  }
  const auto stats = (*store)->stats();
  EXPECT_GT(stats.dropped, 0U);
  EXPECT_EQ(stats.dropped + stats.records, 30000U) << "every record is either kept or counted as dropped";
  const auto kept = read_all(**store);
  ASSERT_EQ(kept.size(), stats.records);
  EXPECT_EQ(kept.back().record.payload, record(29999).payload) << "the newest are kept";
  EXPECT_EQ(kept.front().record.payload, record(static_cast<int>(stats.dropped)).payload)
      << "the oldest go first, in order";
  std::uint64_t on_disk = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) on_disk += entry.file_size();
  EXPECT_LE(on_disk, kMiB + (64U << 10) + 64U) << "disk use is the bound plus at most one segment";
}

TEST(SparkplugStoreForward, ADroppedRecordStillInFlightIsNotPoppedTwice) {
  TempDir dir;
  auto store = StoreForward::open(dir.path(), kMiB);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->append(records(0, 100)).ok());
  auto first = (*store)->next();
  ASSERT_TRUE(first.ok() && *first);
  ASSERT_TRUE((*store)->append(records(100, 20000)).ok());  // overflows: record 0 is dropped
  ASSERT_GT((*store)->stats().dropped, 0U);
  const auto before = (*store)->stats().records;
  ASSERT_TRUE((*store)->pop_until((*first)->ordinal + 1).ok());  // its late PUBACK
  EXPECT_EQ((*store)->stats().records, before);
}

TEST(SparkplugStoreForward, ADirectoryHasOneOwner) {
  TempDir dir;
  auto first = StoreForward::open(dir.path(), kMiB);
  ASSERT_TRUE(first.ok());
  const auto second = StoreForward::open(dir.path(), kMiB);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("in use"), std::string::npos) << second.error().message;
  first->reset();
  EXPECT_TRUE(StoreForward::open(dir.path(), kMiB).ok()) << "free again once closed";
}

}  // namespace
}  // namespace strata::sparkplug
