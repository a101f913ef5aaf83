#include "drivers/connector/frame_codec.hpp"

#include <gtest/gtest.h>

namespace strata::connector {
namespace {

std::string raw_frame(std::string_view body) {
  return frame_header(body.size()) + std::string(body);
}

TEST(FrameCodec, EncodesBigEndianLengthThenJson) {
  const auto frame = encode_frame({{"type", "ping"}, {"id", 1}});
  ASSERT_TRUE(frame);
  const std::string body = R"({"id":1,"type":"ping"})";
  ASSERT_EQ(frame->size(), 4 + body.size());
  EXPECT_EQ(static_cast<unsigned char>((*frame)[0]), 0);
  EXPECT_EQ(static_cast<unsigned char>((*frame)[3]), body.size());
  EXPECT_EQ(frame->substr(4), body);
}

TEST(FrameCodec, HeaderHoldsLargeLengths) {
  const auto header = frame_header(0x01020304);
  EXPECT_EQ(header, std::string("\x01\x02\x03\x04", 4));
}

TEST(FrameCodec, DecodesFramesSplitAtEveryByte) {
  const auto stream = raw_frame(R"({"type":"a","n":1})") + raw_frame(R"({"type":"b","s":"é"})");
  FrameDecoder decoder;
  std::vector<nlohmann::json> messages;
  for (const char byte : stream) {
    decoder.feed(std::string_view(&byte, 1));
    while (true) {
      auto next = decoder.next();
      ASSERT_TRUE(next) << next.error().message;
      if (!*next) break;
      messages.push_back(std::move(**next));
    }
  }
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0]["n"], 1);
  EXPECT_EQ(messages[1]["s"], "é");
  EXPECT_EQ(decoder.buffered(), 0U);
}

TEST(FrameCodec, DecodesManyFramesFedAtOnce) {
  std::string stream;
  for (int i = 0; i < 1000; ++i) stream += *encode_frame({{"type", "values"}, {"i", i}});
  FrameDecoder decoder;
  decoder.feed(stream);
  int count = 0;
  while (true) {
    auto next = decoder.next();
    ASSERT_TRUE(next);
    if (!*next) break;
    EXPECT_EQ((**next)["i"], count);
    ++count;
  }
  EXPECT_EQ(count, 1000);
}

TEST(FrameCodec, RejectsLengthsOutsideTheProtocolRange) {
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, kMaxFrameSize + 1}) {
    FrameDecoder decoder;
    decoder.feed(frame_header(size));
    auto next = decoder.next();
    ASSERT_FALSE(next) << size;
    EXPECT_NE(next.error().message.find("outside 2..16777216"), std::string::npos);
  }
}

TEST(FrameCodec, AcceptsTheLargestFrame) {
  std::string body = R"({"type":"x","pad":")";
  body += std::string(kMaxFrameSize - body.size() - 2, 'a');
  body += "\"}";
  ASSERT_EQ(body.size(), kMaxFrameSize);
  FrameDecoder decoder;
  decoder.feed(raw_frame(body));
  auto next = decoder.next();
  ASSERT_TRUE(next);
  ASSERT_TRUE(*next);
}

TEST(FrameCodec, EncodingRefusesFramesOverTheLimit) {
  const auto frame = encode_frame({{"type", "x"}, {"pad", std::string(kMaxFrameSize, 'a')}});
  ASSERT_FALSE(frame);
  EXPECT_NE(frame.error().message.find("16 MiB"), std::string::npos);
}

TEST(FrameCodec, RejectsInvalidJsonNonObjectsAndMissingType) {
  const std::pair<std::string, std::string> cases[] = {
      {"{not json", "not valid JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"id":1})", "no string member 'type'"},
      {R"({"type":5})", "no string member 'type'"},
  };
  for (const auto& [body, expected] : cases) {
    FrameDecoder decoder;
    decoder.feed(raw_frame(body));
    auto next = decoder.next();
    ASSERT_FALSE(next) << body;
    EXPECT_NE(next.error().message.find(expected), std::string::npos) << next.error().message;
  }
}

TEST(FrameCodec, ErrorsAreSticky) {
  FrameDecoder decoder;
  decoder.feed(raw_frame("nope"));
  EXPECT_FALSE(decoder.next());
  decoder.feed(raw_frame(R"({"type":"ok"})"));
  EXPECT_FALSE(decoder.next());
}

TEST(FrameCodec, InvalidUtf8IsReplacedWhenEncoding) {
  const auto frame = encode_frame({{"type", "log"}, {"message", std::string("bad \xff byte")}});
  ASSERT_TRUE(frame);
  FrameDecoder decoder;
  decoder.feed(*frame);
  auto next = decoder.next();
  ASSERT_TRUE(next);
  ASSERT_TRUE(*next);
}

}  // namespace
}  // namespace strata::connector
