#include "api/router.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "security/secrets.hpp"
#include "unit/store/temp_dir.hpp"
#include "unit/support/test_plant.hpp"

namespace strata::api {
namespace {

using nlohmann::json;

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : plant_(test::two_unit_plant()), engine_(plant_, clock_) {
    EXPECT_TRUE(security::init_crypto().ok());
    const auto db = dir_.file("strata.db");
    store_ = std::move(store::Store::open(db).value());
    users_ = std::move(store::UserStore::open(db).value());
    audit_ = std::move(store::AuditLog::open(db, dir_.file("audit.head")).value());
    auth_ = std::make_unique<AuthService>(*users_, *audit_, load_access_policy(*users_).value(), clock_,
                                          settings());
    router_ = std::make_unique<Router>(
        RouterContext{&engine_, auth_.get(), &plant_, nullptr, {}, nullptr, std::chrono::milliseconds(5000)});
    admin_token_ = add_user("admin", {{"admin", ""}});
    operator_token_ = add_user("capper-operator", {{"operator", "site/area/L1/capper"}});
    engine_.start();
    engine_.push({{0, std::int64_t{6}, model::Quality::Good, 1}, {1, 598.5, model::Quality::Good, 1}});
  }
  ~RouterTest() override { engine_.stop(); }

  static model::SecuritySettings settings() {
    model::SecuritySettings settings;
    settings.session_idle_timeout = 30 * 60 * kMicrosPerSecond;
    settings.lockout_max_failures = 3;
    settings.login_attempts_per_minute = 10;
    settings.signature_required = {"command_unit:Abort"};
    return settings;
  }

  // Adds a user with password "<name> password" and returns a bearer token for it.
  std::string add_user(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& grants) {
    const auto hash = security::hash_password(name + " password", {1, 8 << 20}).value();
    const auto id = users_->add_user(name, name, hash, clock_.now()).value();
    for (const auto& [role, scope] : grants) EXPECT_TRUE(users_->grant(id, role, scope).ok());
    security::Principal principal{id, name, name, {}, false};
    return auth_->create_token(principal, "test", 0).value().token;
  }

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body,
                       const std::string& token) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.content_type = "application/json";
    request.remote_address = "127.0.0.1";
    if (!token.empty()) request.authorization = "Bearer " + token;
    return router_->handle(request);
  }
  HttpResponse get(const std::string& target) { return request("GET", target, "", admin_token_); }
  HttpResponse post(const std::string& target, const std::string& body) {
    return request("POST", target, body, admin_token_);
  }
  HttpResponse login(const std::string& name, const std::string& password) {
    return request("POST", "/api/login", json{{"username", name}, {"password", password}}.dump(), "");
  }

  store::testing::TempDir dir_;
  model::Plant plant_;
  ManualClock clock_;
  engine::Engine engine_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::UserStore> users_;
  std::unique_ptr<store::AuditLog> audit_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<Router> router_;
  std::string admin_token_;
  std::string operator_token_;
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
  expect_error(request("POST", commands, R"({"command": "Stop"})", ""), 401, "login required");
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
  expect_error(get("/api/users/x/unlock"), 405, "not allowed");
  expect_error(get("/api/events?after=-3"), 400, "'after'");
  expect_error(get("/api/whatever"), 404, "no API route");
  expect_error(get("/api/units/%FF%FE"), 404, "unknown unit");  // not UTF-8: replaced, not thrown
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

TEST_F(RouterTest, NothingWithoutLoginButHealth) {
  EXPECT_EQ(request("GET", "/healthz", "", "").status, 200);
  for (const auto* target : {"/api/units", "/api/plant", "/api/openapi.json", "/api/events", "/api/me"}) {
    EXPECT_EQ(request("GET", target, "", "").status, 401) << target;
    EXPECT_EQ(request("GET", target, "", "not-a-token").status, 401) << target;
  }
}

TEST_F(RouterTest, ScopedOperatorSeesAndCommandsOnlyItsScope) {
  const auto units = json::parse(request("GET", "/api/units", "", operator_token_).body);
  ASSERT_EQ(units.size(), 1U);
  EXPECT_EQ(units[0]["id"], "site/area/L1/capper");
  EXPECT_NE(std::find(units[0]["permissions"].begin(), units[0]["permissions"].end(), "command_unit"),
            units[0]["permissions"].end());
  EXPECT_EQ(request("GET", "/api/units/site%2Farea%2FL1%2Ffiller", "", operator_token_).status, 403);
  const auto plant = json::parse(request("GET", "/api/plant", "", operator_token_).body);
  EXPECT_EQ(plant["sites"][0]["areas"][0]["work_centers"][0]["units"].size(), 1U);
  const auto outside = request("POST", "/api/units/site%2Farea%2FL1%2Ffiller/commands",
                               R"({"command":"Stop"})", operator_token_);
  EXPECT_EQ(outside.status, 403) << outside.body;
  EXPECT_EQ(request("GET", "/api/users", "", operator_token_).status, 403);
  EXPECT_EQ(request("GET", "/api/audit", "", operator_token_).status, 403);
  EXPECT_EQ(get("/api/users").status, 200);
}

TEST_F(RouterTest, CookieSessionsNeedTheCsrfTokenAndExpireWhenIdle) {
  const auto response = login("admin", "admin password");
  ASSERT_EQ(response.status, 200) << response.body;
  std::string cookie;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
  }
  ASSERT_EQ(cookie.rfind("strata_session=", 0), 0U);
  EXPECT_NE(response.headers.front().second.find("HttpOnly"), std::string::npos);
  EXPECT_NE(response.headers.front().second.find("SameSite=Strict"), std::string::npos);
  const auto csrf = json::parse(response.body)["csrf_token"].get<std::string>();

  HttpRequest logout;
  logout.method = "POST";
  logout.target = "/api/logout";
  logout.cookie = cookie;
  EXPECT_EQ(router_->handle(logout).status, 403);  // no CSRF token
  logout.csrf_token = "forged";
  EXPECT_EQ(router_->handle(logout).status, 403);

  HttpRequest me;
  me.method = "GET";
  me.target = "/api/me";
  me.cookie = cookie;
  EXPECT_EQ(router_->handle(me).status, 200);
  clock_.advance(31 * 60 * kMicrosPerSecond);  // past the idle timeout
  EXPECT_EQ(router_->handle(me).status, 401);
  (void)csrf;
}

TEST_F(RouterTest, RepeatedWrongPasswordsLockTheAccount) {
  EXPECT_EQ(login("admin", "wrong one").status, 401);
  EXPECT_EQ(login("admin", "wrong two").status, 401);
  EXPECT_EQ(login("admin", "wrong three").status, 423);
  EXPECT_EQ(login("admin", "admin password").status, 423);  // right password, still locked
  EXPECT_EQ(login("nobody", "whatever").status, 401);
  clock_.advance(16 * 60 * kMicrosPerSecond);  // past the lock-out
  EXPECT_EQ(login("admin", "wrong four").status, 401);  // counting starts afresh after a lock-out
  EXPECT_EQ(login("admin", "admin password").status, 200);
  const auto audit = json::parse(get("/api/audit?action=login.failed").body);
  EXPECT_EQ(audit["records"].size(), 6U);
}

TEST_F(RouterTest, LoginAttemptsAreRateLimitedPerAddress) {
  int limited = 0;
  for (int i = 0; i < 12; ++i) limited += login("nobody", "whatever").status == 429 ? 1 : 0;
  EXPECT_EQ(limited, 2);
}

TEST_F(RouterTest, CriticalCommandsNeedAnElectronicSignature) {
  const std::string commands = "/api/units/site%2Farea%2FL1%2Ffiller/commands";
  const auto unsigned_abort = post(commands, R"({"command":"Abort"})");
  EXPECT_EQ(unsigned_abort.status, 403);
  EXPECT_EQ(json::parse(unsigned_abort.body)["signature_required"], true);
  const auto wrong = post(commands, R"({"command":"Abort","signature":{"password":"nope","reason":"jam"}})");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("signature password is wrong"), std::string::npos);
  const auto no_reason =
      post(commands, R"({"command":"Abort","signature":{"password":"admin password","reason":" "}})");
  EXPECT_EQ(no_reason.status, 400);
  // Signed correctly: passes the signature check and reaches the engine (no driver in this plant).
  const auto signed_abort =
      post(commands, R"({"command":"Abort","signature":{"password":"admin password","reason":"jam"}})");
  EXPECT_EQ(signed_abort.status, 409) << signed_abort.body;
}

TEST_F(RouterTest, TokensCanBeCreatedListedAndRevoked) {
  const auto created = post("/api/tokens", R"({"name":"erp","expires_in":"90d"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto token = json::parse(created.body);
  EXPECT_EQ(request("GET", "/api/me", "", token["token"]).status, 200);
  const auto id = std::to_string(token["id"].get<std::int64_t>());
  EXPECT_EQ(request("DELETE", "/api/tokens/" + id, "", operator_token_).status, 403);
  EXPECT_EQ(request("DELETE", "/api/tokens/" + id, "", admin_token_).status, 200);
  EXPECT_EQ(request("GET", "/api/me", "", token["token"]).status, 401);
  EXPECT_EQ(request("DELETE", "/api/tokens/" + id, "", admin_token_).status, 409);
}

TEST_F(RouterTest, MetricsNeedALoginAndAreInThePrometheusTextFormat) {
  EXPECT_EQ(request("GET", "/metrics", "", "").status, 401);
  EXPECT_EQ(request("POST", "/metrics", "", admin_token_).status, 405);
  engine_.flush().wait();
  const auto response = get("/metrics");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("# TYPE strata_engine_updates_applied_total counter\n"
                               "strata_engine_updates_applied_total 2\n"),
            std::string::npos)
      << response.body;
  EXPECT_TRUE(Router::handles("/metrics"));
}

}  // namespace
}  // namespace strata::api
