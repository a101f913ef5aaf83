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
#include "cli/protocol_drivers.hpp"
#include "common/time_text.hpp"
#include "config/plant_loader.hpp"
#include "delivery/notifier.hpp"
#include "drivers/sim/line_simulator.hpp"
#include "drivers/sim/sim_driver.hpp"
#include "engine/engine.hpp"
#include "escalation/alarm_escalation.hpp"
#include "reporting/alarm_history.hpp"
#include "reporting/kpi_service.hpp"
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

// The plant's alarms as they were when the node stopped: active and unacknowledged alarms come back as they
// were, from the last journaled record of each.
Result<alarms::AlarmBook> restore_alarms(const model::Plant& plant, api::StoreReader& reader) {
  auto book = alarms::AlarmBook::create(plant.alarms, plant.alarm_priorities);
  if (!book) return book.error();
  auto records = reader.with([](store::Store& store) { return reporting::persisted_alarm_states(store); });
  if (!records) return records.error();
  const auto summary = book->restore(*records);
  spdlog::info("{} alarms defined, {} restored in a non-normal state", book->size(), summary.restored);
  for (const auto& gone : summary.unknown_alarms) {
    spdlog::warn("alarm '{}' was not normal when the node stopped but is no longer defined", gone);
  }
  return book;
}

// Delivery of escalation notifications: webhooks and e-mail from the plant's alarms section, the cockpit
// through the live stream; every attempt is journaled ("notification" events).
Result<std::unique_ptr<notify::Notifier>> start_notifier(const model::Plant& plant, const Clock& clock,
                                                         engine::Engine& engine, api::StreamHub& hub) {
  notify::NotifierConfig config;
  config.webhooks = plant.alarm_notifications.webhooks;
  config.smtp = plant.alarm_notifications.smtp;
  if (config.smtp && !config.smtp->password_env.empty()) {
    const char* password = std::getenv(config.smtp->password_env.c_str());
    if (password == nullptr) {
      return make_error(fmt::format("the smtp password variable {} is not set in the environment",
                                    config.smtp->password_env));
    }
    config.smtp->password = password;
  }
  const auto units = plant.units();
  config.cockpit = [&hub, units](const notify::Notification& note) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (units[i]->id != note.equipment_path) continue;
      hub.publish_notification(i, nlohmann::json{{"id", note.id},
                                                 {"alarm", note.alarm_id},
                                                 {"unit", note.equipment_path},
                                                 {"priority", note.priority},
                                                 {"message", note.message},
                                                 {"role", note.role},
                                                 {"level", note.level},
                                                 {"repeat", note.repeat},
                                                 {"activated_at", note.activated_at},
                                                 {"due_at", note.due_at}});
    }
  };
  auto log = [&engine](const notify::DeliveryRecord& record) {
    (void)engine.record("notification", record.notification_id,
                        nlohmann::json{{"sink", record.sink},
                                       {"attempt", record.attempt},
                                       {"at", record.at},
                                       {"outcome", notify::outcome_name(record.outcome)},
                                       {"detail", record.detail},
                                       {"retry_in", record.retry_in}}
                            .dump());
  };
  return notify::Notifier::start(std::move(config), std::move(log), clock);
}

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
  // KPI recomputation gets its own read connection: a long report must not hold up history queries.
  auto kpi_store = store::Store::open(db_path, store::StoreOptions{true});
  if (!kpi_store) {
    spdlog::error("{}", kpi_store.error().message);
    return 1;
  }
  reporting::ClassificationBook classifications;
  if (auto skipped = classifications.load(**kpi_store); !skipped) {
    spdlog::error("{}", skipped.error().message);
    return 1;
  } else if (*skipped > 0) {
    spdlog::warn("{} malformed downtime classifications in the journal were skipped", *skipped);
  }
  store::StoreWriter writer(std::move(store.value()));
  api::StoreReader reader(std::move(reader_store.value()));
  api::StoreReader kpi_reader(std::move(kpi_store.value()));

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
  if (auto alarms = restore_alarms(plant, kpi_reader); alarms) {
    engine.set_alarms(std::move(*alarms));
  } else {
    spdlog::error("{}", alarms.error().message);
    return 1;
  }
  api::StreamHub hub;
  engine.add_listener(&hub);
  engine.add_driver(std::make_unique<sim::SimDriver>(plant, clock, options.seed));
  auto drivers = create_protocol_drivers(plant, clock, program_path);
  if (!drivers) {
    spdlog::error("{}: {}", options.plant_file, drivers.error().message);
    return 1;
  }
  for (auto& driver : *drivers) engine.add_driver(std::move(driver));
  auto edge_nodes = create_edge_nodes(plant, engine, clock, options.data_dir);
  if (!edge_nodes) {
    spdlog::error("{}: {}", options.plant_file, edge_nodes.error().message);
    return 1;
  }
  auto live = reporting::LiveSeries::create(plant);
  if (!live) {
    spdlog::error("{}", live.error().message);
    return 1;
  }
  auto kpi = reporting::KpiService::create(
      plant, clock, *tag_keys,
      [&kpi_reader](const std::vector<std::int64_t>& keys, Timestamp from, Timestamp to) {
        return kpi_reader.with(
            [&](store::Store& connection) { return connection.history_window(keys, from, to); });
      },
      live->get(), &classifications);
  if (!kpi) {
    spdlog::error("{}", kpi.error().message);
    return 1;
  }
  // Live tiles cover the running shift from memory; after a restart they start from what was recorded.
  const Timestamp live_since =
      (*kpi)->shift_at(clock.now()).planned.begin - reporting::KpiService::kStopContext;
  spdlog::info("replaying recorded history since {} for live KPIs...", iso_time(live_since));
  const auto replayed = (*kpi)->seed(**live, live_since);
  if (!replayed) {
    spdlog::error("{}", replayed.error().message);
    return 1;
  }
  spdlog::info("live KPIs ready ({} recorded values replayed)", *replayed);
  engine.add_listener(live->get());
  auto notifier = start_notifier(plant, clock, engine, hub);
  if (!notifier) {
    spdlog::error("{}", notifier.error().message);
    return 1;
  }
  auto planner = notify::EscalationPlanner::create(plant.alarm_notifications.escalation);
  if (!planner) {
    spdlog::error("{}", planner.error().message);
    return 1;
  }
  escalation::AlarmEscalation escalation(
      std::move(*planner),
      [notifier = notifier->get()](notify::Notification note) { notifier->submit(std::move(note)); });
  if (engine.state().alarms != nullptr) escalation.resume(*engine.state().alarms);
  engine.add_listener(&escalation);

  api::RouterContext context{
      &engine, &auth, &plant, &reader, *tag_keys, &writer, std::chrono::milliseconds(5000)};
  context.kpi = kpi->get();
  context.classifications = &classifications;
  context.other_connections = [&edges = *edge_nodes] {
    std::vector<engine::ConnectionMetrics> all;
    for (const auto& edge : edges) all.push_back(edge->metrics());
    return all;
  };
  api::Router router(std::move(context));
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
  for (auto& edge : *edge_nodes) {
    if (auto started = edge->start(); !started) {
      spdlog::error("{}", started.error().message);
      engine.stop();
      return 1;
    }
  }
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
  (*notifier)->stop();  // undelivered notifications are journaled as failed while the engine still runs
  engine.stop();
  for (auto& edge : *edge_nodes) edge->stop();  // after the engine, so its last tick is published or stored
  writer.flush();
  const auto stats = writer.stats();
  spdlog::info("stopped cleanly: {} history values and {} events written", stats.history_values_written,
               stats.events_written);
  return 0;
}

}  // namespace strata::cli
