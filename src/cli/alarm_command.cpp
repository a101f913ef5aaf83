#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "api/alarm_json.hpp"
#include "api/router.hpp"
#include "cli/commands.hpp"
#include "common/time_text.hpp"
#include "config/plant_loader.hpp"
#include "model/equipment_path.hpp"
#include "reporting/alarm_history.hpp"
#include "store/store.hpp"

namespace strata::cli {
namespace {

constexpr Timestamp kDay = 24LL * 3600 * kMicrosPerSecond;

void print_text(const nlohmann::json& report, const nlohmann::json& proposals) {
  fmt::print("Alarm performance {} .. {} (ISA-18.2 / EEMUA 191)\n", iso_time(report["from"].get<Timestamp>()),
             iso_time(report["to"].get<Timestamp>()));
  if (report["positions"].empty()) fmt::print("  no alarms in this period\n");
  for (const auto& position : report["positions"]) {
    fmt::print("\nOperator position {}: {} alarms shown, {} hidden when raised\n",
               position["position"].get<std::string>(), position["annunciated"].get<std::size_t>(),
               position["not_annunciated"].get<std::size_t>());
    const auto rate = [&](const char* key, const char* target) {
      fmt::print("  {:<10} {:>9.2f}  {:<11} (ISA-18.2: {})\n", key, position[key]["average"].get<double>(),
                 position[key]["rating"].get<std::string>(), target);
    };
    rate("per_day", "~150 acceptable, ~300 max");
    rate("per_hour", "~6 / ~12");
    rate("per_10min", "~1 / ~2");
    fmt::print("  EEMUA 191 band: {}; peak {} alarms in 10 min; {:.2f} % of 10-min intervals > 10\n",
               position["eemua_band"].get<std::string>(), position["peak_10min"].get<std::size_t>(),
               position["percent_intervals_over_10"].get<double>());
    fmt::print("  floods: {} ({:.2f} % of the time, target < 1 %), {} alarms in floods\n",
               position["floods"].size(), position["percent_time_in_flood"].get<double>(),
               position["alarms_in_flood"].get<std::size_t>());
    fmt::print("  top 10 bad actors: {:.1f} % of alarms (target < 5 %)\n",
               position["top10_percent"].get<double>());
    for (const auto& actor : position["bad_actors"]) {
      fmt::print("    {:>6}  {:5.1f} %  {}\n", actor["count"].get<std::size_t>(),
                 actor["percent"].get<double>(), actor["alarm"].get<std::string>());
    }
    fmt::print(
        "  chattering: {}, fleeting activations: {}, standing: {} (< 10), stale: {} (< 5), shelved: {} (< "
        "30)\n",
        position["chattering"].size(), position["fleeting_activations"].get<std::size_t>(),
        position["standing"].size(), position["stale"].size(), position["shelved"].get<std::size_t>());
    fmt::print("  priority mix:");
    for (const auto& share : position["priority_mix"]) {
      fmt::print(" {} {:.1f} %{}", share["priority"].get<std::string>(), share["percent"].get<double>(),
                 share["target_percent"].is_null()
                     ? std::string{}
                     : fmt::format(" (target {:.0f} %)", share["target_percent"].get<double>()));
    }
    fmt::print("\n");
  }
  fmt::print("\nCalibration of chattering alarms (replayed on the recorded history):\n");
  if (proposals.empty()) fmt::print("  none chattered\n");
  for (const auto& proposal : proposals) {
    fmt::print("  {}: deadband {} -> {}, on-delay {} s -> {} s: {} -> {} activations ({})\n",
               proposal["alarm"].get<std::string>(), proposal["current"]["deadband"].get<double>(),
               proposal["proposed"]["deadband"].get<double>(), proposal["current"]["on_delay"].get<double>(),
               proposal["proposed"]["on_delay"].get<double>(),
               proposal["activations_before"].get<std::size_t>(),
               proposal["activations_after"].get<std::size_t>(), proposal["rationale"].get<std::string>());
  }
}

}  // namespace

int run_alarm_report(const AlarmReportOptions& options) {
  auto loaded = config::load_plant_file(options.plant_file);
  if (!loaded.plant) {
    fmt::print(stderr, "{}", config::to_string(loaded.diagnostics));
    return 2;
  }
  const auto& plant = *loaded.plant;
  const auto db_path = (std::filesystem::path(options.data_dir) / "strata.db").string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) {
    fmt::print(stderr, "strata alarms report: no database at '{}' (is --data-dir right?)\n", db_path);
    return 2;
  }
  Timestamp to = SystemClock{}.now();
  if (!options.to.empty()) {
    const auto parsed = api::parse_time(options.to);
    if (!parsed) {
      fmt::print(stderr, "--to must be an ISO 8601 UTC time like 2026-12-01T06:00:00Z, got '{}'\n",
                 options.to);
      return 2;
    }
    to = *parsed;
  }
  Timestamp from = to - options.days * kDay;
  if (!options.from.empty()) {
    const auto parsed = api::parse_time(options.from);
    if (!parsed) {
      fmt::print(stderr, "--from must be an ISO 8601 UTC time like 2026-11-01T06:00:00Z, got '{}'\n",
                 options.from);
      return 2;
    }
    from = *parsed;
  }
  if (to <= from) {
    fmt::print(stderr, "the period is empty: --to must be after --from\n");
    return 2;
  }
  auto store = store::Store::open(db_path);
  if (!store) {
    fmt::print(stderr, "{}\n", store.error().message);
    return 2;
  }
  std::vector<std::string> tag_ids;
  for (const auto& tag : plant.tags) tag_ids.push_back(tag.id);
  auto tag_keys = (*store)->register_tags(tag_ids);
  if (!tag_keys) {
    fmt::print(stderr, "{}\n", tag_keys.error().message);
    return 2;
  }
  fmt::print(stderr, "reading the alarm journal...\n");
  const auto includes = [&](std::string_view unit_id) { return model::scope_covers(options.scope, unit_id); };
  auto report = reporting::alarm_kpi_report(**store, plant, {from, to}, includes);
  if (!report) {
    fmt::print(stderr, "{}\n", report.error().message);
    return 2;
  }
  fmt::print(stderr, "replaying recorded history for calibration...\n");
  auto proposals = reporting::calibrate_alarms(**store, plant, *tag_keys, {from, to}, includes);
  if (!proposals) {
    fmt::print(stderr, "{}\n", proposals.error().message);
    return 2;
  }
  const auto report_json = api::alarm_kpi_json(*report, plant.alarm_priorities);
  auto proposals_json = nlohmann::json::array();
  for (const auto& proposal : *proposals) proposals_json.push_back(api::calibration_json(proposal));
  if (options.json) {
    fmt::print("{}\n", nlohmann::json{{"report", report_json}, {"calibration", proposals_json}}.dump(2));
  } else {
    print_text(report_json, proposals_json);
  }
  return 0;
}

}  // namespace strata::cli
