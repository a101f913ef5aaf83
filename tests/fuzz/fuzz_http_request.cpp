// libFuzzer target: arbitrary bytes as one raw HTTP/1.1 request, taken through the same path as
// api/http_server.cpp: Beast's request parser (1 MiB body limit), then the REST router (against a
// real, running engine over a small hand-built plant and a real AuthService over a temporary store),
// the static file server and parse_target.
//
// Authentication: the store holds an admin user "fuzz" (id 1) with the API token kToken (id 1), so
// requests carrying "Authorization: Bearer strata-fuzz-token" (see the seeds) get past the 401 and
// reach the routes; logins, cookies and CSRF headers are fuzzed as they come. The store persists
// across inputs; after each one, that user and token are restored if an input revoked, disabled or
// locked them, so one "DELETE /api/tokens/1" does not shut the fuzzer out for the rest of the run.
// Units are served by a driver that accepts every command (state stays as pushed at start-up).
//
// Invariants (trap on violation):
//  - every router response has a status in 200..599 and a body that is valid JSON;
//  - serve_static never returns the content of a file outside its root (a "secret" file sits next
//    to the root folder, and in a sibling folder whose name extends the root's);
//  - parse_target never yields an empty segment.
// Exceptions escaping the router are bugs too (the server turns them into 500s): libFuzzer reports
// them as crashes.
#include <sqlite3.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/auth_service.hpp"
#include "api/router.hpp"
#include "api/static_files.hpp"
#include "api/url.hpp"
#include "common/clock.hpp"
#include "engine/engine.hpp"
#include "security/secrets.hpp"
#include "store/audit_log.hpp"
#include "store/store.hpp"
#include "store/user_store.hpp"
#include "unit/support/test_plant.hpp"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace strata;

constexpr std::string_view kSecret = "STRATA-FUZZ-SECRET-7f3a9c";
constexpr std::string_view kToken = "strata-fuzz-token";
constexpr std::size_t kBodyLimit = 1 << 20;  // HttpServerOptions::body_limit

template <typename T>
T must(Result<T> result) {
  if (!result) std::abort();
  return std::move(*result);
}

void write_file(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) std::abort();
}

class AcceptingDriver final : public engine::Driver {
 public:
  [[nodiscard]] std::string_view scheme() const override { return "fake"; }
  void start(engine::UpdateSink&) override {}
  void stop() override {}
  Result<void> send_command(const model::WorkUnit&, states::PackMLCommand) override { return {}; }
};

// Lives for the whole process (never destroyed: the engine thread keeps serving until exit).
struct Fixture {
  Fixture() : plant(test::two_unit_plant()), engine(plant, clock) {
    std::string pattern = (fs::temp_directory_path() / "strata-fuzz-http-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    base = pattern;
    root = base / "root";
    write_file(root / "index.html", "<!doctype html><title>cockpit</title>");
    write_file(root / "assets" / "app.js", "console.log('cockpit');");
    write_file(root / "unit.json", "{}");
    write_file(base / "secret.txt", kSecret);
    write_file(base / "root-secret" / "secret.txt", kSecret);  // prefix-check bait
    write_file(base / "index.html", kSecret);                  // parent index.html bait
    root_string = root.string();
    std::atexit([] {  // normal exits only; run.sh points TMPDIR at a scratch dir it removes
      std::error_code ec;
      fs::remove_all(instance().base, ec);
    });

    if (!security::init_crypto()) std::abort();
    const auto db = (base / "strata.db").string();
    store = must(store::Store::open(db));  // creates and migrates the schema
    users = must(store::UserStore::open(db));
    audit = must(store::AuditLog::open(db, (base / "audit.head").string()));
    auto policy = must(api::load_access_policy(*users));
    const auto hash = must(security::hash_password("fuzz-password-123"));
    const auto user_id = must(users->add_user("fuzz", "Fuzz", hash, clock.now()));
    if (!users->grant(user_id, "admin", "")) std::abort();
    if (!users->add_token(security::sha256_hex(kToken), user_id, "fuzz", clock.now(), 0)) std::abort();
    auth.emplace(*users, *audit, std::move(policy), clock, plant.security);
    if (sqlite3_open((base / "strata.db").string().c_str(), &repair) != SQLITE_OK) std::abort();
    sqlite3_busy_timeout(repair, 5000);

    engine.add_driver(std::make_unique<AcceptingDriver>());
    engine.start();
    engine.push({{0, std::int64_t{6}, model::Quality::Good, 1},
                 {1, 598.5, model::Quality::Good, 1},
                 {2, std::int64_t{2}, model::Quality::Good, 1},
                 {3, 0.0, model::Quality::Good, 1}});
    engine.flush().wait();

    api::RouterContext context;
    context.engine = &engine;
    context.auth = &*auth;
    context.plant = &plant;
    context.engine_timeout = std::chrono::milliseconds(5000);
    router.emplace(std::move(context));
  }

  // Undoes what an input did to the fuzzer's own credentials (cheap reads; writes only when needed).
  void restore_credentials() {
    const auto token = users->find_token(std::int64_t{1});
    const auto user = users->find_user(std::int64_t{1});
    const bool token_ok =
        token && token->has_value() && (*token)->revoked_at == 0 && (*token)->expires_at == 0;
    const bool user_ok = user && user->has_value() && !(*user)->disabled && (*user)->locked_until == 0;
    if (token_ok && user_ok) return;
    const char* sql =
        "UPDATE api_tokens SET revoked_at = 0, expires_at = 0 WHERE id = 1;"
        "UPDATE users SET disabled = 0, failed_logins = 0, locked_until = 0 WHERE id = 1;";
    if (sqlite3_exec(repair, sql, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
  }

  static Fixture& instance() {
    static Fixture* fixture = new Fixture();
    return *fixture;
  }

  model::Plant plant;
  ManualClock clock;
  engine::Engine engine;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::AuditLog> audit;
  std::optional<api::AuthService> auth;
  std::optional<api::Router> router;
  sqlite3* repair = nullptr;  // raw connection for restore_credentials()
  fs::path base;
  fs::path root;
  std::string root_string;
};

// Feeds the whole input to the parser the way async_read does; true when a complete request came out.
bool parse(const std::uint8_t* data, std::size_t size, http::request_parser<http::string_body>& parser) {
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t offset = 0;
  while (!parser.is_done() && offset < size) {
    const auto used = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    if (ec == http::error::need_more) break;
    if (ec) return false;
    if (used == 0) break;
    offset += used;
  }
  if (!parser.is_done()) {
    if (!parser.got_some()) return false;  // put_eof asserts that something was parsed
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return false;
  }
  return true;
}

void check_target(std::string_view target) {
  if (const auto parsed = api::parse_target(target)) {
    for (const auto& segment : parsed->segments) {
      if (segment.empty()) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& fixture = Fixture::instance();
  // STRATA_FUZZ_VERBOSE=1: print each router answer (to check what seeds reach).
  static const bool verbose = std::getenv("STRATA_FUZZ_VERBOSE") != nullptr;

  http::request_parser<http::string_body> parser;
  if (!parse(data, size, parser)) return 0;
  const auto request = parser.release();
  const std::string target(request.target());

  check_target(target);

  api::HttpRequest plain;
  plain.method = std::string(request.method_string());
  plain.target = target;
  plain.body = request.body();
  plain.content_type = std::string(request[http::field::content_type]);
  plain.cookie = std::string(request[http::field::cookie]);
  plain.authorization = std::string(request[http::field::authorization]);
  plain.csrf_token = std::string(request["X-CSRF-Token"]);
  plain.remote_address = "127.0.0.1";
  (void)api::Router::handles(target.substr(0, target.find('?')));
  api::HttpResponse response;
  response = fixture.router->handle(plain);
  if (verbose)
    std::fprintf(stderr, "%s %s -> %d %s\n", plain.method.c_str(), target.c_str(), response.status,
                 response.body.substr(0, 200).c_str());
  if (response.status < 200 || response.status > 599) __builtin_trap();
  if (nlohmann::json::parse(response.body, nullptr, false).is_discarded()) __builtin_trap();

  fixture.restore_credentials();

  const auto file = api::serve_static(fixture.root_string, target);
  if (file.status < 200 || file.status > 599) __builtin_trap();
  if (file.body.find(kSecret) != std::string::npos) __builtin_trap();
  return 0;
}
