// What security costs per request and per login: authenticating a session cookie or a bearer
// token (store look-ups plus re-reading the roles), and Argon2id hashing at the default cost.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "api/auth_service.hpp"
#include "security/secrets.hpp"
#include "store/store.hpp"

namespace {

using namespace strata;

struct AuthFixture {
  AuthFixture() {
    dir = std::filesystem::temp_directory_path() / ("strata-bench-auth-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto db = (dir / "strata.db").string();
    (void)security::init_crypto();
    store = std::move(store::Store::open(db).value());
    users = std::move(store::UserStore::open(db).value());
    audit = std::move(store::AuditLog::open(db, (dir / "audit.head").string()).value());
    auth = std::make_unique<api::AuthService>(*users, *audit, api::load_access_policy(*users).value(), clock,
                                              model::SecuritySettings{});
    const auto hash = security::hash_password("bench password 1").value();
    const auto id = users->add_user("bench", "bench", hash, clock.now()).value();
    (void)users->grant(id, "operator", "site/area/L1");
    const auto login = auth->login("bench", "bench password 1", "127.0.0.1");
    cookie = std::string(api::kSessionCookie) + "=" + login.session_token;
    token = auth->create_token(login.principal, "bench", 0).value().token;
  }
  ~AuthFixture() { std::filesystem::remove_all(dir); }

  std::filesystem::path dir;
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::AuditLog> audit;
  std::unique_ptr<api::AuthService> auth;
  std::string cookie;
  std::string token;
};

void BM_AuthenticateSession(benchmark::State& state) {
  AuthFixture fixture;
  api::HttpRequest request;
  request.cookie = fixture.cookie;
  for (auto _ : state) benchmark::DoNotOptimize(fixture.auth->authenticate(request));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthenticateSession);

void BM_AuthenticateBearer(benchmark::State& state) {
  AuthFixture fixture;
  api::HttpRequest request;
  request.authorization = "Bearer " + fixture.token;
  for (auto _ : state) benchmark::DoNotOptimize(fixture.auth->authenticate(request));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthenticateBearer);

void BM_Argon2idHash(benchmark::State& state) {
  (void)security::init_crypto();
  for (auto _ : state) benchmark::DoNotOptimize(security::hash_password("bench password 1"));
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
