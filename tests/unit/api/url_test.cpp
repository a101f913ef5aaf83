#include "api/url.hpp"

#include <gtest/gtest.h>

#include "api/router.hpp"

namespace strata::api {
namespace {

TEST(Url, SplitsAndDecodesPathSegments) {
  const auto parsed = parse_target("/api/units/bottling%2Fpackaging%2FL1%2Ffiller/commands?x=1&y=a%20b");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->segments,
            (std::vector<std::string>{"api", "units", "bottling/packaging/L1/filler", "commands"}));
  EXPECT_EQ(parsed->query.at("x"), "1");
  EXPECT_EQ(parsed->query.at("y"), "a b");
}

TEST(Url, RejectsMalformedEscapes) {
  EXPECT_FALSE(parse_target("/api/%zz"));
  EXPECT_FALSE(parse_target("/api/%2"));
  EXPECT_FALSE(parse_target("/api?x=%"));
}

TEST(Url, ParsesMicrosecondsAndIsoTimes) {
  EXPECT_EQ(parse_time("1767225600000000"), 1767225600000000);
  EXPECT_EQ(parse_time("2026-01-01T00:00:00Z"), 1767225600000000);
  EXPECT_EQ(parse_time("2026-01-01T00:00:00.25Z"), 1767225600250000);
  EXPECT_FALSE(parse_time("2026-01-01T00:00:00"));  // no zone: ambiguous, refused
  EXPECT_FALSE(parse_time("yesterday"));
  EXPECT_FALSE(parse_time("12abc"));
}

}  // namespace
}  // namespace strata::api
