#include "notify/backoff.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "notify_test_time.hpp"

namespace strata::notify {
namespace {

using test::minutes;
using test::seconds;

constexpr BackoffPolicy kPolicy{
    .initial_delay = seconds(2), .factor = 2.0, .max_delay = seconds(30), .max_attempts = 6};

AttemptResult transient(std::optional<Timestamp> retry_after = std::nullopt) {
  return AttemptResult{
      .verdict = AttemptVerdict::TransientFailure, .detail = "HTTP 503", .retry_after = retry_after};
}

TEST(Backoff, DelaysGrowGeometricallyUpToTheCap) {
  std::vector<Timestamp> delays;
  for (int failed = 1; failed <= 6; ++failed) delays.push_back(backoff_delay(kPolicy, failed));
  EXPECT_EQ(delays, (std::vector<Timestamp>{seconds(2), seconds(4), seconds(8), seconds(16), seconds(30),
                                            seconds(30)}));
}

TEST(Backoff, HugeExponentsStayAtTheCap) {
  const BackoffPolicy steep{
      .initial_delay = seconds(1), .factor = 10.0, .max_delay = minutes(5), .max_attempts = 1000};
  EXPECT_EQ(backoff_delay(steep, 900), minutes(5));
}

TEST(Backoff, FactorOneIsAConstantDelay) {
  const BackoffPolicy flat{
      .initial_delay = seconds(5), .factor = 1.0, .max_delay = seconds(5), .max_attempts = 3};
  EXPECT_EQ(backoff_delay(flat, 1), seconds(5));
  EXPECT_EQ(backoff_delay(flat, 2), seconds(5));
}

TEST(Backoff, TransientFailuresRetryUntilTheLastAttempt) {
  std::vector<RetryStep> steps;
  for (int attempt = 1; attempt <= kPolicy.max_attempts; ++attempt)
    steps.push_back(next_step(kPolicy, attempt, transient()));
  for (int index = 0; index < 5; ++index) {
    EXPECT_EQ(steps[index].outcome, DeliveryOutcome::Retrying);
    EXPECT_EQ(steps[index].detail, "HTTP 503");
    EXPECT_EQ(steps[index].wait, backoff_delay(kPolicy, index + 1));
  }
  EXPECT_EQ(steps[5].outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(steps[5].detail, "HTTP 503; gave up after 6 attempts");
  EXPECT_EQ(steps[5].wait, 0);
}

TEST(Backoff, PermanentFailureAndSuccessEndAtOnce) {
  const auto failed = next_step(
      kPolicy, 1,
      AttemptResult{.verdict = AttemptVerdict::PermanentFailure, .detail = "HTTP 400", .retry_after = {}});
  EXPECT_EQ(failed.outcome, DeliveryOutcome::Failed);
  EXPECT_EQ(failed.detail, "HTTP 400");
  const auto delivered =
      next_step(kPolicy, 3,
                AttemptResult{.verdict = AttemptVerdict::Delivered, .detail = "HTTP 200", .retry_after = {}});
  EXPECT_EQ(delivered.outcome, DeliveryOutcome::Delivered);
}

TEST(Backoff, RetryAfterLengthensTheWaitButNeverBeyondTheCap) {
  EXPECT_EQ(next_step(kPolicy, 1, transient(seconds(10))).wait, seconds(10));  // longer than 2 s: honoured
  EXPECT_EQ(next_step(kPolicy, 4, transient(seconds(1))).wait, seconds(16));   // shorter: backoff wins
  EXPECT_EQ(next_step(kPolicy, 1, transient(seconds(3600))).wait, seconds(30));
}

TEST(Backoff, RetryAfterParsesDelaySecondsOnly) {
  EXPECT_EQ(parse_retry_after("120"), seconds(120));
  EXPECT_EQ(parse_retry_after(" 0 "), 0);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5"), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5"), std::nullopt);
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
  EXPECT_EQ(parse_retry_after("99999999999999999999999"), seconds(86'400));
}

TEST(Backoff, ValidationRejectsNonsense) {
  EXPECT_TRUE(validate_backoff(kPolicy));
  auto policy = kPolicy;
  policy.max_attempts = 0;
  EXPECT_FALSE(validate_backoff(policy));
  policy = kPolicy;
  policy.factor = 0.5;
  EXPECT_FALSE(validate_backoff(policy));
  policy = kPolicy;
  policy.max_delay = seconds(1);
  EXPECT_FALSE(validate_backoff(policy));
}

}  // namespace
}  // namespace strata::notify
