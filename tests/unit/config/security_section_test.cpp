// The optional security section: defaults, parsed values and positioned errors.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace strata::config {
namespace {

using testing::has_error;
using testing::mutate;
using testing::read_fixture;

std::string with_security(const std::string& section) {
  return mutate(read_fixture("minimal_plant.yaml"), "\nsites:", "\n" + section + "\nsites:");
}

TEST(SecuritySection, DefaultsWhenAbsent) {
  const auto result = load_plant_string(read_fixture("minimal_plant.yaml"), "plant.yaml");
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  EXPECT_EQ(result.plant->security.session_idle_timeout, 30LL * 60 * kMicrosPerSecond);
  EXPECT_EQ(result.plant->security.lockout_max_failures, 5);
  EXPECT_TRUE(result.plant->security.signature_required.empty());
}

TEST(SecuritySection, ReadsEveryField) {
  const auto yaml = with_security(
      "security:\n"
      "  session_idle_timeout: 10m\n"
      "  session_max_age: 8h\n"
      "  login_attempts_per_minute: 7\n"
      "  lockout: { max_failures: 3, duration: 90s }\n"
      "  signature_required: [\"command_unit:Abort\", manage_users]");
  const auto result = load_plant_string(yaml, "plant.yaml");
  ASSERT_TRUE(result.ok()) << to_string(result.diagnostics);
  const auto& security = result.plant->security;
  EXPECT_EQ(security.session_idle_timeout, 600 * kMicrosPerSecond);
  EXPECT_EQ(security.session_max_age, 8 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(security.login_attempts_per_minute, 7);
  EXPECT_EQ(security.lockout_max_failures, 3);
  EXPECT_EQ(security.lockout_duration, 90 * kMicrosPerSecond);
  EXPECT_EQ(security.signature_required, (std::vector<std::string>{"command_unit:Abort", "manage_users"}));
}

TEST(SecuritySection, ErrorsArePositioned) {
  const auto yaml = with_security(
      "security:\n"
      "  session_idle_timeot: 10m\n"
      "  session_max_age: soon\n"
      "  lockout: { max_failures: 0 }\n"
      "  signature_required: [\"command_unit:Fly\", launch_rockets, \"view_plant:x\"]");
  const auto result = load_plant_string(yaml, "plant.yaml");
  int line = 1;
  for (std::size_t at = yaml.find("security:"); at != std::string::npos && at > 0;
       at = yaml.rfind('\n', at - 1)) {
    ++line;
  }
  --line;  // line of "security:"
  EXPECT_TRUE(
      has_error(result, yaml, line + 1, 3, "unknown key 'session_idle_timeot'", "session_idle_timeot"));
  EXPECT_TRUE(has_error(result, yaml, line + 2, 20, "must be a duration", "soon"));
  EXPECT_TRUE(has_error(result, yaml, line + 3, 28, "at least 1", "0"));
  EXPECT_TRUE(has_error(result, yaml, line + 4, 24, "unknown PackML command 'Fly'", "\"command_unit:Fly\""));
  EXPECT_TRUE(has_error(result, yaml, line + 4, 44, "unknown permission 'launch_rockets'", "launch_rockets"));
  EXPECT_TRUE(has_error(result, yaml, line + 4, 60, "takes no detail", "\"view_plant:x\""));
}

TEST(SecuritySection, DurationsBeyondTheClockRangeAreRefused) {
  for (const auto* value : {"1e300s", "nan", "inf", "-5m"}) {
    const auto yaml = with_security(std::string("security:\n  session_idle_timeout: ") + value);
    const auto result = load_plant_string(yaml, "plant.yaml");
    ASSERT_FALSE(result.ok()) << value;
    EXPECT_NE(to_string(result.diagnostics).find("must be a duration"), std::string::npos) << value;
  }
}

}  // namespace
}  // namespace strata::config
