#include "notify/escalation_policy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "notify_test_time.hpp"

namespace strata::notify {
namespace {

using test::minutes;

EscalationLevel level(Timestamp after, std::string role) {
  return EscalationLevel{.after = after,
                         .role = std::move(role),
                         .sinks = {.cockpit = true, .webhooks = {}, .email_recipients = {}}};
}

EscalationPolicy policy(std::string scope, std::string priority, std::vector<EscalationLevel> levels = {},
                        std::optional<Timestamp> repeat = std::nullopt) {
  return EscalationPolicy{.scope = std::move(scope),
                          .priority = std::move(priority),
                          .levels = std::move(levels),
                          .repeat = repeat};
}

TEST(EscalationPolicySelection, MostSpecificScopeWins) {
  const std::vector<EscalationPolicy> policies{
      policy("", "high", {level(minutes(5), "plant")}),
      policy("bottling", "high", {level(minutes(5), "bottling")}),
      policy("bottling/packaging", "high", {level(minutes(5), "packaging")}),
  };
  ASSERT_TRUE(validate_policies(policies));
  EXPECT_EQ(select_policy(policies, "bottling/packaging/filler", "high"), 2U);
  EXPECT_EQ(select_policy(policies, "bottling/packaging", "high"), 2U);
  EXPECT_EQ(select_policy(policies, "bottling/packaging2", "high"), 1U);  // whole segments only
  EXPECT_EQ(select_policy(policies, "bottling/washer", "high"), 1U);
  EXPECT_EQ(select_policy(policies, "brewing/kettle", "high"), 0U);
  EXPECT_EQ(select_policy(policies, "brewing/kettle", "low"), std::nullopt);
}

TEST(EscalationPolicySelection, ScopeBeatsPriorityAndNamedPriorityBeatsAnyAtTheSameScope) {
  const std::vector<EscalationPolicy> policies{
      policy("", "critical", {level(0, "plant-critical")}),
      policy("bottling", "*", {level(minutes(5), "bottling-any")}),
      policy("bottling/", "critical", {level(0, "bottling-critical")}),  // trailing slash ignored
  };
  ASSERT_TRUE(validate_policies(policies));
  EXPECT_EQ(select_policy(policies, "bottling/filler", "critical"), 2U);
  EXPECT_EQ(select_policy(policies, "bottling/filler", "low"), 1U);
  EXPECT_EQ(select_policy(policies, "brewing", "critical"), 0U);
}

TEST(EscalationPolicyValidation, RejectsBrokenPolicies) {
  const auto rejects = [](std::vector<EscalationPolicy> policies, const std::string& expected) {
    const auto checked = validate_policies(policies);
    ASSERT_FALSE(checked) << expected;
    EXPECT_NE(checked.error().message.find(expected), std::string::npos) << checked.error().message;
  };
  rejects({policy("a", "")}, "no priority");
  rejects({policy("a", "high"), policy("a/", "high")}, "defined twice");
  rejects({policy("a", "high", {level(minutes(15), "x"), level(minutes(5), "y")})},
          "earlier than the previous");
  rejects({policy("a", "high", {level(-1, "x")})}, "must not be negative");
  rejects({policy("a", "high", {level(0, "")})}, "no role");
  rejects({policy("a", "high", {}, minutes(5))}, "'repeat' without levels");
  rejects({policy("a", "high", {level(0, "x")}, 0)}, "'repeat' must be positive");

  auto silent = policy("a", "high", {level(minutes(5), "x")});
  silent.levels[0].sinks.cockpit = false;
  rejects({silent}, "no sink");

  auto injected = policy("a", "high", {level(minutes(5), "x")});
  injected.levels[0].sinks.email_recipients = {"boss@plant.example>\r\nRCPT TO:<evil@x"};
  rejects({injected}, "not a plain e-mail address");
}

TEST(EscalationPolicyValidation, AcceptsAnEmptyPolicyAsASilencerAndEqualDelays) {
  const std::vector<EscalationPolicy> policies{
      policy("", "*", {level(minutes(5), "supervisor"), level(minutes(5), "maintenance")}),
      policy("lab", "*"),
  };
  EXPECT_TRUE(validate_policies(policies));
}

TEST(EscalationPolicyValidation, ListsWebhooksNobodyConfigured) {
  auto first = policy("", "*", {level(minutes(5), "supervisor"), level(minutes(15), "manager")});
  first.levels[0].sinks.webhooks = {"teams", "pager"};
  first.levels[1].sinks.webhooks = {"pager", "sms"};
  const std::vector<EscalationPolicy> policies{first};
  const std::vector<std::string> configured{"teams"};
  EXPECT_EQ(unknown_webhooks(policies, configured), (std::vector<std::string>{"pager", "sms"}));
}

}  // namespace
}  // namespace strata::notify
