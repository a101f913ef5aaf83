#include "drivers/sparkplug/host_session.hpp"

#include <gtest/gtest.h>

namespace strata::sparkplug {
namespace {

using namespace std::chrono_literals;
using model::Quality;
using model::Value;

// The session alone, fed encoded payloads directly: seq arithmetic and timeouts without a broker.
class HostSessionTest : public ::testing::Test {
 protected:
  HostSession session{
      "g",
      {MetricBinding{
          .tag = 0, .type = model::TagType::Int64, .edge_node_id = "e", .device_id = "d", .metric = "count"}},
      100ms};
  HostSession::SteadyTime t0{};

  SessionOutput feed(MessageType type, std::optional<std::uint64_t> seq, std::vector<Metric> metrics,
                     HostSession::SteadyTime at = {}) {
    Payload payload{.timestamp = 1, .seq = seq, .metrics = std::move(metrics)};
    const auto topic =
        type == MessageType::NBirth || type == MessageType::NData || type == MessageType::NDeath
            ? node_topic("g", type, "e")
            : device_topic("g", type, "e", "d");
    SessionOutput out;
    session.handle(topic, encode(payload), at, 0, out);
    return out;
  }
  void birth(std::uint64_t nbirth_seq = 0) {
    feed(MessageType::NBirth, nbirth_seq,
         {Metric{.name = "bdSeq", .datatype = DataType::Int64, .value = std::int64_t{1}}});
    feed(MessageType::DBirth, (nbirth_seq + 1) % 256,
         {Metric{.name = "count", .alias = 5, .datatype = DataType::UInt16, .value = std::uint64_t{0}}});
  }
};

TEST_F(HostSessionTest, SeqWrapsFrom255To0WithoutAGap) {
  birth();
  std::uint64_t value = 0;
  for (std::uint64_t seq = 2; seq < 2 + 300; ++seq) {
    const auto out = feed(MessageType::DData, seq % 256, {Metric{.alias = 5, .value = ++value}});
    ASSERT_TRUE(out.rebirth.empty()) << "seq " << seq % 256;
    ASSERT_EQ(out.errors, 0U);
    ASSERT_EQ(out.updates.size(), 1U);
    EXPECT_EQ(out.updates[0].value, Value{static_cast<std::int64_t>(value)});
  }
  EXPECT_FALSE(session.next_deadline().has_value());
}

TEST_F(HostSessionTest, NbirthMayStartAtAnySeq) {
  birth(/*nbirth_seq=*/200);
  const auto out = feed(MessageType::DData, 202, {Metric{.alias = 5, .value = std::uint64_t{9}}});
  EXPECT_TRUE(out.rebirth.empty());
  ASSERT_EQ(out.updates.size(), 1U);
}

TEST_F(HostSessionTest, AGapExpiresIntoOneRebirthRequestAfterTheReorderTimeout) {
  birth();
  auto out = feed(MessageType::DData, 3, {Metric{.alias = 5, .value = std::uint64_t{3}}}, t0);
  EXPECT_TRUE(out.updates.empty());
  ASSERT_TRUE(session.next_deadline().has_value());
  EXPECT_EQ(*session.next_deadline(), t0 + 100ms);
  SessionOutput early;
  session.expire(t0 + 99ms, early);
  EXPECT_TRUE(early.rebirth.empty());
  SessionOutput late;
  session.expire(t0 + 100ms, late);
  EXPECT_EQ(late.rebirth, std::vector<std::string>{"e"});
  EXPECT_FALSE(session.next_deadline().has_value());
  // Ignored until the new NBIRTH; no second request within the retry interval.
  out = feed(MessageType::DData, 4, {Metric{.alias = 5, .value = std::uint64_t{4}}}, t0 + 150ms);
  EXPECT_TRUE(out.updates.empty());
  EXPECT_TRUE(out.rebirth.empty());
  out = feed(MessageType::DData, 5, {Metric{.alias = 5, .value = std::uint64_t{5}}}, t0 + 250ms);
  EXPECT_EQ(out.rebirth, std::vector<std::string>{"e"});
  birth();
  out = feed(MessageType::DData, 2, {Metric{.alias = 5, .value = std::uint64_t{6}}}, t0 + 300ms);
  ASSERT_EQ(out.updates.size(), 1U);
}

TEST_F(HostSessionTest, BirthValueIsReinterpretedAndOutOfRangeValuesTurnBad) {
  birth();
  auto out = feed(MessageType::DData, 2, {Metric{.alias = 5, .value = std::uint64_t{0x1FFFF}}});
  ASSERT_EQ(out.updates.size(), 1U);
  EXPECT_EQ(out.updates[0].value, Value{std::int64_t{0xFFFF}});  // UInt16 from the BIRTH
  out = feed(MessageType::DData, 3,
             {Metric{.alias = 5, .datatype = DataType::String, .value = std::string("x")}});
  ASSERT_EQ(out.updates.size(), 1U);
  EXPECT_EQ(out.updates[0].quality, Quality::Bad);
  EXPECT_EQ(out.errors, 1U);
}

TEST_F(HostSessionTest, ConnectionLossMakesBornTagsStaleAndRequiresANewBirth) {
  birth();
  SessionOutput out;
  session.connection_lost(7, out);
  ASSERT_EQ(out.updates.size(), 1U);
  EXPECT_EQ(out.updates[0].quality, Quality::Stale);
  EXPECT_EQ(out.updates[0].source_time, 7);
  const auto data = feed(MessageType::DData, 2, {Metric{.alias = 5, .value = std::uint64_t{1}}});
  EXPECT_TRUE(data.updates.empty());
  EXPECT_EQ(data.rebirth, std::vector<std::string>{"e"});
}

}  // namespace
}  // namespace strata::sparkplug
