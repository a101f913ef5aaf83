#include "api/router.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/support/test_plant.hpp"

namespace strata::api {
namespace {

using nlohmann::json;

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : plant_(test::two_unit_plant()), engine_(plant_, clock_) {
    engine_.start();
    engine_.push({{0, std::int64_t{6}, model::Quality::Good, 1}, {1, 598.5, model::Quality::Good, 1}});
  }
  ~RouterTest() override { engine_.stop(); }

  HttpResponse get(const std::string& target) { return router_.handle({"GET", target, "", ""}); }
  HttpResponse post(const std::string& target, const std::string& body) {
    return router_.handle({"POST", target, body, "application/json"});
  }

  model::Plant plant_;
  ManualClock clock_;
  engine::Engine engine_;
  Router router_{RouterContext{&engine_, &plant_, nullptr, {}, nullptr, std::chrono::milliseconds(5000)}};
};

TEST_F(RouterTest, UnitsCarryStateAndTags) {
  const auto response = get("/api/units/site%2Farea%2FL1%2Ffiller");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto unit = json::parse(response.body);
  EXPECT_EQ(unit["state"], "Execute");
  EXPECT_EQ(unit["state_number"], 6);
  EXPECT_EQ(unit["work_center"], "site/area/L1");
  EXPECT_EQ(unit["tags"]["Status.CurMachSpeed"]["value"], 598.5);
  EXPECT_EQ(unit["allowed_commands"], json({"Stop", "Hold", "Suspend", "Abort"}));
  EXPECT_EQ(json::parse(get("/api/units").body).size(), 2U);
  EXPECT_EQ(get("/api/units/nope").status, 404);
}

TEST_F(RouterTest, BadRequestsGetFourHundredsWithAMessage) {
  const auto expect_error = [](const HttpResponse& response, int status, const std::string& fragment) {
    EXPECT_EQ(response.status, status) << response.body;
    const auto body = json::parse(response.body);
    EXPECT_NE(body["error"].get<std::string>().find(fragment), std::string::npos) << body.dump();
  };
  const std::string commands = "/api/units/site%2Farea%2FL1%2Ffiller/commands";
  expect_error(post(commands, "not json"), 400, "JSON object");
  expect_error(post(commands, R"({"command": "Fly"})"), 400, "unknown command");
  expect_error(post(commands, R"({"command": 11})"), 400, "unknown command");
  expect_error(post(commands, R"({"command": "Start", "force": true})"), 400, "unknown field 'force'");
  expect_error(post(commands, R"({})"), 400, "missing field 'command'");
  expect_error(post(commands, R"({"command": "Start"})"), 409, "no commandable");
  expect_error(get(commands), 405, "not allowed");
  expect_error(get("/api/units/%zz"), 400, "percent-encoding");
  expect_error(get("/api/tags?colour=red"), 400, "unknown query parameter 'colour'");
  expect_error(get("/api/tags/site%2Farea%2FL1%2Ffiller%2FStatus.CurMachSpeed/history?from=soon"), 400,
               "'from'");
  expect_error(get("/api/tags/site%2Farea%2FL1%2Ffiller%2FStatus.CurMachSpeed/history"), 503, "no store");
  expect_error(get("/api/events?after=-3"), 400, "'after'");
  expect_error(get("/api/whatever"), 404, "no API route");
}

TEST_F(RouterTest, PlantOpenApiAndHealth) {
  EXPECT_EQ(get("/healthz").status, 200);
  const auto openapi = json::parse(get("/api/openapi.json").body);
  EXPECT_EQ(openapi["openapi"], "3.0.3");
  const auto plant = json::parse(get("/api/plant").body);
  EXPECT_EQ(plant["sites"][0]["areas"][0]["work_centers"][0]["units"].size(), 2U);
  const auto tags = json::parse(get("/api/tags?unit=site%2Farea%2FL1%2Fcapper").body);
  ASSERT_EQ(tags.size(), 2U);
  EXPECT_EQ(tags[0]["id"], "site/area/L1/capper/Status.StateCurrent");
}

}  // namespace
}  // namespace strata::api
