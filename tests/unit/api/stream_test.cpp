#include <gtest/gtest.h>

#include "api/stream_hub.hpp"

namespace strata::api {
namespace {

TEST(PendingChanges, LaterValuesReplaceEarlierOnesUntilSent) {
  PendingChanges pending;
  const StreamVisibility all{{true}, {true, true, true, true, true}};
  EXPECT_TRUE(pending.empty());
  pending.merge(
      StreamDelta{10, {{0, {{"id", "u"}, {"state", "Idle"}}}}, {{3, {{"value", 1}}}, {4, {{"value", 2}}}}}, all);
  pending.merge(StreamDelta{20, {{0, {{"id", "u"}, {"state", "Starting"}}}}, {{3, {{"value", 5}}}}}, all);
  const auto message = nlohmann::json::parse(pending.take_message());
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(message["type"], "changes");
  EXPECT_EQ(message["time"], 20);
  ASSERT_EQ(message["units"].size(), 1U);
  EXPECT_EQ(message["units"][0]["state"], "Starting");
  ASSERT_EQ(message["tags"].size(), 2U);
  EXPECT_EQ(message["tags"][0]["value"], 5);
  EXPECT_EQ(message["tags"][1]["value"], 2);
}

TEST(PendingChanges, OnlyWhatTheClientMaySeeIsKept) {
  PendingChanges pending;
  const StreamVisibility some{{false, true}, {true, false}};
  pending.merge(
      StreamDelta{
          10, {{0, {{"id", "hidden"}}}, {1, {{"id", "shown"}}}}, {{0, {{"value", 1}}}, {1, {{"value", 2}}}}},
      some);
  const auto message = nlohmann::json::parse(pending.take_message());
  ASSERT_EQ(message["units"].size(), 1U);
  EXPECT_EQ(message["units"][0]["id"], "shown");
  ASSERT_EQ(message["tags"].size(), 1U);
  EXPECT_EQ(message["tags"][0]["value"], 1);
  pending.merge(StreamDelta{11, {{0, {{"id", "hidden"}}}}, {{1, {{"value", 3}}}}}, some);
  EXPECT_TRUE(pending.empty());
}

}  // namespace
}  // namespace strata::api
