#include "security/login_throttle.hpp"

#include <gtest/gtest.h>

#include <string>

namespace strata::security {
namespace {

constexpr Timestamp kSecond = kMicrosPerSecond;

class LoginThrottleTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  LockoutPolicy policy_{5, 15 * 60 * kSecond, 3};
  LoginThrottle throttle_{clock_, policy_};
};

TEST_F(LoginThrottleTest, AdmitsNThenRefuses) {
  EXPECT_TRUE(throttle_.admit("10.0.0.1"));
  EXPECT_TRUE(throttle_.admit("10.0.0.1"));
  EXPECT_TRUE(throttle_.admit("10.0.0.1"));
  EXPECT_FALSE(throttle_.admit("10.0.0.1"));
  EXPECT_FALSE(throttle_.admit("10.0.0.1"));
}

TEST_F(LoginThrottleTest, AddressesAreCountedSeparately) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(throttle_.admit("10.0.0.1"));
  EXPECT_FALSE(throttle_.admit("10.0.0.1"));
  EXPECT_TRUE(throttle_.admit("10.0.0.2"));
}

TEST_F(LoginThrottleTest, AdmittedAgainAfterTheWindow) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(throttle_.admit("10.0.0.1"));
  clock_.advance(59 * kSecond);
  EXPECT_FALSE(throttle_.admit("10.0.0.1"));
  clock_.advance(1 * kSecond);
  EXPECT_TRUE(throttle_.admit("10.0.0.1"));
}

TEST_F(LoginThrottleTest, WindowSlides) {
  ASSERT_TRUE(throttle_.admit("a"));  // t = 0
  clock_.advance(30 * kSecond);
  ASSERT_TRUE(throttle_.admit("a"));  // t = 30
  ASSERT_TRUE(throttle_.admit("a"));  // t = 30
  EXPECT_FALSE(throttle_.admit("a"));
  clock_.advance(30 * kSecond);  // t = 60: only the first attempt has left the minute
  EXPECT_TRUE(throttle_.admit("a"));
  EXPECT_FALSE(throttle_.admit("a"));
  clock_.advance(30 * kSecond);  // t = 90: the two from t = 30 have left
  EXPECT_TRUE(throttle_.admit("a"));
  EXPECT_TRUE(throttle_.admit("a"));
  EXPECT_FALSE(throttle_.admit("a"));
}

TEST_F(LoginThrottleTest, RefusedAttemptsDoNotExtendTheWait) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(throttle_.admit("a"));
  for (int i = 0; i < 50; ++i) {
    clock_.advance(1 * kSecond);
    EXPECT_FALSE(throttle_.admit("a"));
  }
  clock_.advance(10 * kSecond);
  EXPECT_TRUE(throttle_.admit("a"));
}

TEST_F(LoginThrottleTest, IdleAddressesAreForgotten) {
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(throttle_.admit("10.0.1." + std::to_string(i)));
  EXPECT_EQ(throttle_.tracked_addresses(), 100U);
  clock_.advance(61 * kSecond);
  EXPECT_EQ(throttle_.tracked_addresses(), 0U);
}

TEST_F(LoginThrottleTest, AFloodOfAddressesStaysBounded) {
  const auto cap = LoginThrottle::kMaxTrackedAddresses;
  for (std::size_t i = 0; i < cap + 500; ++i) {
    clock_.advance(1);  // all within the minute, each a little later than the one before
    ASSERT_TRUE(throttle_.admit("flood-" + std::to_string(i)));
  }
  EXPECT_LE(throttle_.tracked_addresses(), cap);
  // The busy address that keeps trying is still limited.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(throttle_.admit("busy"));
  EXPECT_FALSE(throttle_.admit("busy"));
}

TEST_F(LoginThrottleTest, LockOutAfterMaxFailures) {
  EXPECT_EQ(throttle_.locked_until_after_failure(1), 0);
  EXPECT_EQ(throttle_.locked_until_after_failure(4), 0);
  const Timestamp expected = clock_.now() + 15 * 60 * kSecond;
  EXPECT_EQ(throttle_.locked_until_after_failure(5), expected);
  EXPECT_EQ(throttle_.locked_until_after_failure(6), expected);
}

TEST_F(LoginThrottleTest, IsLockedUntilTheLockRunsOut) {
  const Timestamp locked_until = throttle_.locked_until_after_failure(5);
  EXPECT_FALSE(throttle_.is_locked(0));
  EXPECT_TRUE(throttle_.is_locked(locked_until));
  clock_.advance(15 * 60 * kSecond - 1);
  EXPECT_TRUE(throttle_.is_locked(locked_until));
  clock_.advance(1);
  EXPECT_FALSE(throttle_.is_locked(locked_until));
}

TEST_F(LoginThrottleTest, DefaultPolicy) {
  const LockoutPolicy defaults;
  EXPECT_EQ(defaults.max_failures, 5);
  EXPECT_EQ(defaults.lockout_duration, 15 * 60 * kSecond);
  EXPECT_EQ(defaults.max_attempts_per_minute_per_address, 20);
  LoginThrottle throttle(clock_, defaults);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(throttle.admit("a")) << i;
  EXPECT_FALSE(throttle.admit("a"));
}

}  // namespace
}  // namespace strata::security
