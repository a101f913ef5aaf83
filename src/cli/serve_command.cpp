#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/auth_service.hpp"
#include "api/http_server.hpp"
#include "api/router.hpp"
#include "api/stream_hub.hpp"
#include "cli/commands.hpp"
#include "config/plant_loader.hpp"
#include "drivers/sim/line_simulator.hpp"
#include "drivers/sim/sim_driver.hpp"
#include "engine/engine.hpp"
#include "security/secrets.hpp"
#include "store/audit_log.hpp"
#include "store/store_writer.hpp"
#include "store/user_store.hpp"

namespace strata::cli {
namespace {

namespace fs = std::filesystem;

// The built cockpit: in a source build it is <repo>/cockpit/dist and the binary is
// <repo>/build/src/cli/strata; an install puts it in <prefix>/share/strata/cockpit.
std::string find_cockpit_dir(const std::string& program_path) {
  std::error_code ec;
  const auto exe = fs::weakly_canonical(fs::path(program_path), ec).parent_path();
  const std::vector<fs::path> candidates{exe / "../../../cockpit/dist", exe / "../share/strata/cockpit",
                                         fs::current_path() / "cockpit/dist"};
  for (const auto& candidate : candidates) {
    if (fs::exists(candidate / "index.html", ec)) return fs::weakly_canonical(candidate, ec).string();
  }
  return {};
}

// Blocks SIGINT/SIGTERM in every thread started after this, so the main thread can wait for them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool write_port_file(const std::string& path, unsigned short port) {
  const auto temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    if (!out) return false;
    out << port << '\n';
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);  // atomic, so a reader never sees a half-written port
  return !ec;
}

}  // namespace

int run_serve(const ServeOptions& options, const std::string& program_path) {
  const auto signals = block_shutdown_signals();

  auto loaded = config::load_plant_file(options.plant_file);
  if (!loaded.ok()) {
    fmt::print(stderr, "{}", config::to_string(loaded.diagnostics));
    return 1;
  }
  const model::Plant plant = std::move(*loaded.plant);
  if (auto valid = sim::LineSimulator::validate(plant); !valid) {
    fmt::print(stderr, "{}: error: {}\n", options.plant_file, valid.error().message);
    return 1;
  }
  spdlog::info("plant '{}' loaded from {}: {} units, {} tags", plant.enterprise.name, options.plant_file,
               plant.units().size(), plant.tags.size());

  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create data folder '{}': {}", options.data_dir, ec.message());
    return 1;
  }
  const auto db_path = (fs::path(options.data_dir) / "strata.db").string();
  auto store = store::Store::open(db_path);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return 1;
  }
  std::vector<std::string> tag_ids;
  tag_ids.reserve(plant.tags.size());
  for (const auto& tag : plant.tags) tag_ids.push_back(tag.id);
  auto tag_keys = (*store)->register_tags(tag_ids);
  if (!tag_keys) {
    spdlog::error("{}", tag_keys.error().message);
    return 1;
  }
  spdlog::info("store {} at schema version {}", db_path, (*store)->schema_version());
  auto reader_store = store::Store::open(db_path, store::StoreOptions{true});
  if (!reader_store) {
    spdlog::error("{}", reader_store.error().message);
    return 1;
  }
  store::StoreWriter writer(std::move(store.value()));
  api::StoreReader reader(std::move(reader_store.value()));

  if (auto ready = security::init_crypto(); !ready) {
    spdlog::error("{}", ready.error().message);
    return 1;
  }
  auto users = store::UserStore::open(db_path);
  if (!users) {
    spdlog::error("{}", users.error().message);
    return 1;
  }
  auto audit = store::AuditLog::open(db_path, (fs::path(options.data_dir) / "audit.head").string());
  if (!audit) {
    spdlog::error("{}", audit.error().message);
    return 1;
  }
  auto policy = api::load_access_policy(**users);
  if (!policy) {
    spdlog::error("{}", policy.error().message);
    return 1;
  }
  if (auto count = (*users)->user_count(); count && *count == 0) {
    spdlog::warn(
        "no users yet: nobody can log in. Create the first admin with\n  strata user add admin --role admin "
        "--data-dir {}",
        options.data_dir);
  }

  SystemClock clock;
  api::AuthService auth(**users, **audit, std::move(*policy), clock, plant.security);
  // Which configuration ran when is part of the audit trail: the file and a digest of its content.
  auth.audit("system", "config.load", plant.enterprise.id, "{}",
             nlohmann::json{{"file", options.plant_file},
                            {"sha256", security::sha256_hex(read_text(options.plant_file))},
                            {"units", plant.units().size()},
                            {"tags", plant.tags.size()}}
                 .dump());
  engine::Engine engine(plant, clock, engine::EngineOptions{std::chrono::milliseconds(options.tick_ms), true},
                        &writer, *tag_keys);
  api::StreamHub hub;
  engine.add_listener(&hub);
  engine.add_driver(std::make_unique<sim::SimDriver>(plant, clock, options.seed));

  api::Router router(api::RouterContext{&engine, &auth, &plant, &reader, *tag_keys, &writer,
                                        std::chrono::milliseconds(5000)});
  api::ServerOptions server_options;
  server_options.address = options.address;
  server_options.port = options.port;
  server_options.tls_certificate = options.tls_certificate;
  server_options.tls_private_key = options.tls_private_key;
  server_options.cockpit_dir =
      options.cockpit_dir.empty() ? find_cockpit_dir(program_path) : options.cockpit_dir;
  if (server_options.cockpit_dir.empty()) {
    spdlog::warn("no built cockpit found (cockpit/dist); the API works, the web page does not");
  }
  api::HttpServer server(server_options, plant, router, engine, hub);

  engine.start();
  // The configuration load is durable before anyone can talk to this node.
  engine.flush().wait();
  writer.flush();
  const auto port = server.start();
  if (!port) {
    spdlog::error("{}", port.error().message);
    engine.stop();
    return 1;
  }
  if (!options.port_file.empty() && !write_port_file(options.port_file, *port)) {
    spdlog::error("cannot write port file '{}'", options.port_file);
  }
  spdlog::info("cockpit at {}://{}:{}/ (API: /api/openapi.json); Ctrl+C stops",
               options.tls_certificate.empty() ? "http" : "https", options.address, *port);

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("{} received: stopping", received == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  engine.stop();
  writer.flush();
  const auto stats = writer.stats();
  spdlog::info("stopped cleanly: {} history values and {} events written", stats.history_values_written,
               stats.events_written);
  return 0;
}

}  // namespace strata::cli
