#include "drivers/sparkplug/payload.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace strata::sparkplug {
namespace {

Metric round_trip(DataType type, MetricValue value) {
  Payload payload;
  payload.metrics.push_back(Metric{.name = "m", .datatype = type, .value = std::move(value)});
  auto decoded = decode(encode(payload));
  EXPECT_TRUE(decoded.ok());
  if (!decoded.ok() || decoded->metrics.size() != 1) return {};
  return decoded->metrics.front();
}

TEST(SparkplugPayload, SignedIntegersRoundTripIncludingNegatives) {
  EXPECT_EQ(round_trip(DataType::Int8, std::int64_t{-1}).value, MetricValue{std::int64_t{-1}});
  EXPECT_EQ(round_trip(DataType::Int8, std::int64_t{-128}).value, MetricValue{std::int64_t{-128}});
  EXPECT_EQ(round_trip(DataType::Int8, std::int64_t{127}).value, MetricValue{std::int64_t{127}});
  EXPECT_EQ(round_trip(DataType::Int16, std::int64_t{-32768}).value, MetricValue{std::int64_t{-32768}});
  EXPECT_EQ(round_trip(DataType::Int16, std::int64_t{-2}).value, MetricValue{std::int64_t{-2}});
  EXPECT_EQ(round_trip(DataType::Int32, std::int64_t{std::numeric_limits<std::int32_t>::min()}).value,
            MetricValue{std::int64_t{std::numeric_limits<std::int32_t>::min()}});
  EXPECT_EQ(round_trip(DataType::Int32, std::int64_t{-123456}).value, MetricValue{std::int64_t{-123456}});
  EXPECT_EQ(round_trip(DataType::Int64, std::int64_t{std::numeric_limits<std::int64_t>::min()}).value,
            MetricValue{std::int64_t{std::numeric_limits<std::int64_t>::min()}});
  EXPECT_EQ(round_trip(DataType::Int64, std::int64_t{-5}).value, MetricValue{std::int64_t{-5}});
}

TEST(SparkplugPayload, UnsignedIntegersAndDateTimeRoundTrip) {
  EXPECT_EQ(round_trip(DataType::UInt8, std::uint64_t{255}).value, MetricValue{std::uint64_t{255}});
  EXPECT_EQ(round_trip(DataType::UInt16, std::uint64_t{65535}).value, MetricValue{std::uint64_t{65535}});
  EXPECT_EQ(round_trip(DataType::UInt32, std::uint64_t{4294967295U}).value,
            MetricValue{std::uint64_t{4294967295U}});
  EXPECT_EQ(round_trip(DataType::UInt64, std::numeric_limits<std::uint64_t>::max()).value,
            MetricValue{std::numeric_limits<std::uint64_t>::max()});
  EXPECT_EQ(round_trip(DataType::DateTime, std::uint64_t{1767225600000}).value,
            MetricValue{std::uint64_t{1767225600000}});
}

TEST(SparkplugPayload, FloatingBooleanAndTextTypesRoundTrip) {
  EXPECT_EQ(round_trip(DataType::Float, 1.5F).value, MetricValue{1.5F});
  EXPECT_EQ(round_trip(DataType::Double, -2.25).value, MetricValue{-2.25});
  EXPECT_EQ(round_trip(DataType::Boolean, true).value, MetricValue{true});
  EXPECT_EQ(round_trip(DataType::Boolean, false).value, MetricValue{false});
  EXPECT_EQ(round_trip(DataType::String, std::string("héllo")).value, MetricValue{std::string("héllo")});
  EXPECT_EQ(round_trip(DataType::Text, std::string("long text")).value,
            MetricValue{std::string("long text")});
  EXPECT_EQ(round_trip(DataType::UUID, std::string("0b6c-11")).value, MetricValue{std::string("0b6c-11")});
}

TEST(SparkplugPayload, NullAndUncarriedKindsDecodeAsNull) {
  EXPECT_TRUE(std::holds_alternative<std::monostate>(round_trip(DataType::Int32, std::monostate{}).value));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(round_trip(DataType::DataSet, std::int64_t{1}).value));
}

TEST(SparkplugPayload, HeaderFieldsAndMetricAttributesRoundTrip) {
  Payload payload;
  payload.timestamp = 1767225600123;
  payload.seq = 255;
  payload.uuid = "u-1";
  payload.body = std::string("\0\1binary", 8);
  payload.metrics.push_back(Metric{.name = "Node Control/Rebirth",
                                   .alias = 7,
                                   .timestamp = 42,
                                   .datatype = DataType::Boolean,
                                   .is_historical = true,
                                   .is_transient = true,
                                   .value = false});
  payload.metrics.push_back(Metric{.alias = 8, .datatype = DataType::Int16, .value = std::int64_t{-7}});
  const auto decoded = decode(encode(payload));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->timestamp, payload.timestamp);
  EXPECT_EQ(decoded->seq, payload.seq);
  EXPECT_EQ(decoded->uuid, payload.uuid);
  EXPECT_EQ(decoded->body, payload.body);
  ASSERT_EQ(decoded->metrics.size(), 2U);
  const auto& first = decoded->metrics[0];
  EXPECT_EQ(first.name, "Node Control/Rebirth");
  EXPECT_EQ(first.alias, std::optional<std::uint64_t>{7});
  EXPECT_EQ(first.timestamp, std::optional<std::uint64_t>{42});
  EXPECT_EQ(first.datatype, DataType::Boolean);
  EXPECT_TRUE(first.is_historical);
  EXPECT_TRUE(first.is_transient);
  EXPECT_EQ(first.value, MetricValue{false});
  EXPECT_TRUE(decoded->metrics[1].name.empty());
  EXPECT_EQ(decoded->metrics[1].value, MetricValue{std::int64_t{-7}});
}

TEST(SparkplugPayload, NdeathWithoutSeqKeepsSeqAbsent) {
  Payload payload;
  payload.metrics.push_back(Metric{.name = "bdSeq", .datatype = DataType::Int64, .value = std::int64_t{3}});
  const auto decoded = decode(encode(payload));
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->seq.has_value());
  EXPECT_FALSE(decoded->timestamp.has_value());
}

TEST(SparkplugPayload, DataWithoutDatatypeIsReinterpretedWithTheBirthDatatype) {
  Payload payload;
  payload.metrics.push_back(Metric{.alias = 1, .datatype = DataType::Int8, .value = std::int64_t{-3}});
  auto bytes = encode(payload);
  // Strip the datatype as DATA messages may: decode raw, then apply the BIRTH's datatype.
  auto decoded = decode(bytes);
  ASSERT_TRUE(decoded.ok());
  Payload untyped;
  untyped.metrics.push_back(Metric{.alias = 1, .value = std::uint64_t{0xFFFFFFFDU}});
  decoded = decode(encode(untyped));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->metrics[0].value, MetricValue{std::uint64_t{0xFFFFFFFDU}});
  EXPECT_EQ(as_datatype(decoded->metrics[0].value, DataType::Int8), MetricValue{std::int64_t{-3}});
  EXPECT_EQ(as_datatype(decoded->metrics[0].value, DataType::Int32), MetricValue{std::int64_t{-3}});
  EXPECT_EQ(as_datatype(decoded->metrics[0].value, DataType::UInt16), MetricValue{std::uint64_t{0xFFFD}});
  EXPECT_EQ(as_datatype(2.5F, DataType::Double), MetricValue{2.5});
  EXPECT_TRUE(std::holds_alternative<std::monostate>(as_datatype(std::string("x"), DataType::Int32)));
}

TEST(SparkplugPayload, GarbageDecodesToAnErrorWithoutCrashing) {
  EXPECT_FALSE(decode(std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)).ok());
  EXPECT_FALSE(decode(std::string("\x12\x7f", 2)).ok());  // metrics field claiming 127 bytes
  EXPECT_FALSE(decode("{\"online\": true}").ok());
  // Every prefix and a byte-wise corruption of a valid payload: errors or payloads, never a crash.
  Payload payload;
  payload.seq = 1;
  payload.metrics.push_back(
      Metric{.name = "a", .alias = 1, .datatype = DataType::Int32, .value = std::int64_t{5}});
  payload.metrics.push_back(Metric{.name = "s", .datatype = DataType::String, .value = std::string("text")});
  const auto bytes = encode(payload);
  for (std::size_t n = 0; n <= bytes.size(); ++n) (void)decode(std::string_view(bytes).substr(0, n));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto corrupted = bytes;
      corrupted[i] = static_cast<char>(corrupted[i] ^ (1 << bit));
      (void)decode(corrupted);
    }
  }
  std::uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string noise(static_cast<std::size_t>(round % 64), '\0');
    for (auto& c : noise) {
      state = state * 1664525U + 1013904223U;
      c = static_cast<char>(state >> 24);
    }
    (void)decode(noise);
  }
  EXPECT_TRUE(decode("").ok());  // the empty message is a valid (empty) payload
}

}  // namespace
}  // namespace strata::sparkplug
