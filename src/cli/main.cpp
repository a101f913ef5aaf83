#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Strata: one typed ISA-95 model from the PLC up to ERP"};
  app.require_subcommand(1);

  strata::cli::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run a plant: engine, drivers, store, API and cockpit");
  serve_cmd->add_option("plant", serve.plant_file, "Plant definition (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--address", serve.address, "Listen address")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "HTTP port (0 picks a free one)")->capture_default_str();
  serve_cmd->add_option("--data-dir", serve.data_dir, "Folder of the embedded store (strata.db)")
      ->capture_default_str();
  serve_cmd->add_option("--cockpit-dir", serve.cockpit_dir,
                        "Built cockpit to serve (default: found next to the binary)");
  serve_cmd->add_option("--port-file", serve.port_file, "Write the bound port to this file once listening");
  serve_cmd->add_option("--tls-cert", serve.tls_certificate, "TLS certificate chain (PEM): serve HTTPS only")
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--tls-key", serve.tls_private_key, "Private key of --tls-cert (PEM)")
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--seed", serve.seed, "Seed of the built-in simulator")->capture_default_str();
  serve_cmd->add_option("--tick-ms", serve.tick_ms, "Engine tick: history, journal and stream cadence")
      ->check(CLI::Range(10, 5000))
      ->capture_default_str();

  std::vector<std::string> check_files;
  auto* check_cmd = app.add_subcommand("check", "Validate plant definitions; errors as file:line:column");
  check_cmd->add_option("plant", check_files, "Plant definition(s) (YAML)")->required();

  strata::cli::SimOptions sim;
  auto* sim_cmd =
      app.add_subcommand("sim", "Simulate a plant on plant time and report each unit's states and counts");
  sim_cmd->add_option("plant", sim.plant_file, "Plant definition (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  sim_cmd->add_option("--duration", sim.duration, "Plant time to simulate: 90s, 30m, 8h, 7d")
      ->capture_default_str();
  sim_cmd->add_option("--seed", sim.seed, "Simulator seed; same seed, same result")->capture_default_str();
  sim_cmd->add_flag("--json", sim.json, "Print the summary as JSON");
  sim_cmd->add_flag("--serve", sim.serve,
                    "Stage the plant: serve tags with `simulate:` at their real Modbus/OPC UA addresses "
                    "until Ctrl+C");
  sim_cmd->add_option("--speedup", sim.speedup, "With --serve: plant seconds per second")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  auto* user_cmd = app.add_subcommand("user", "Manage users (the first admin is created here)");
  user_cmd->require_subcommand(1);
  strata::cli::UserAddOptions user_add;
  auto* user_add_cmd = user_cmd->add_subcommand("add", "Add a user with roles, each over an ISA-95 scope");
  user_add_cmd->add_option("name", user_add.name, "User name")->required();
  user_add_cmd
      ->add_option("--role", user_add.roles,
                   "role or role@scope, e.g. operator@bottling/packaging/L1 (repeatable)")
      ->required();
  user_add_cmd->add_option("--display-name", user_add.display_name, "Name shown in the cockpit");
  user_add_cmd->add_option("--data-dir", user_add.data_dir, "Folder of the store")->capture_default_str();
  user_add_cmd->add_flag("--password-stdin", user_add.password_stdin,
                         "Read the password as one line from stdin (default: prompt twice)");
  std::string user_data_dir = "var";
  auto* user_list_cmd = user_cmd->add_subcommand("list", "List users and their roles");
  user_list_cmd->add_option("--data-dir", user_data_dir, "Folder of the store")->capture_default_str();
  std::string unlock_name;
  auto* user_unlock_cmd = user_cmd->add_subcommand("unlock", "Lift a lock-out after failed logins");
  user_unlock_cmd->add_option("name", unlock_name, "User name")->required();
  user_unlock_cmd->add_option("--data-dir", user_data_dir, "Folder of the store")->capture_default_str();

  auto* role_cmd = app.add_subcommand("role", "Custom roles beside the built-in ones");
  role_cmd->require_subcommand(1);
  strata::cli::RoleAddOptions role_add;
  auto* role_add_cmd = role_cmd->add_subcommand("add", "Add or replace a custom role");
  role_add_cmd->add_option("name", role_add.name, "Role name")->required();
  role_add_cmd->add_option("--permission", role_add.permissions, "Permission, e.g. command_unit (repeatable)")
      ->required();
  role_add_cmd->add_option("--description", role_add.description, "What the role is for");
  role_add_cmd->add_option("--data-dir", role_add.data_dir, "Folder of the store")->capture_default_str();
  std::string role_data_dir = "var";
  auto* role_list_cmd = role_cmd->add_subcommand("list", "List roles and their permissions");
  role_list_cmd->add_option("--data-dir", role_data_dir, "Folder of the store")->capture_default_str();

  auto* token_cmd = app.add_subcommand("token", "Manage API tokens for machine clients (ERP, scripts)");
  token_cmd->require_subcommand(1);
  strata::cli::TokenAddOptions token_add;
  auto* token_add_cmd = token_cmd->add_subcommand("add", "Create a bearer token for a user; printed once");
  token_add_cmd->add_option("user", token_add.user, "User the token acts as")->required();
  token_add_cmd->add_option("--name", token_add.name, "What the token is for, e.g. erp")->required();
  token_add_cmd->add_option("--expires-in", token_add.expires_in, "Lifetime like 90d (default: none)");
  token_add_cmd->add_option("--data-dir", token_add.data_dir, "Folder of the store")->capture_default_str();
  std::int64_t revoke_id = 0;
  std::string token_data_dir = "var";
  auto* token_revoke_cmd = token_cmd->add_subcommand("revoke", "Revoke a token by id");
  token_revoke_cmd->add_option("id", revoke_id, "Token id")->required();
  token_revoke_cmd->add_option("--data-dir", token_data_dir, "Folder of the store")->capture_default_str();

  std::string audit_data_dir = "var";
  auto* audit_cmd = app.add_subcommand("audit", "The tamper-evident audit trail");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd =
      audit_cmd->add_subcommand("verify", "Check the hash chain: exit 0 intact, 1 broken");
  audit_verify_cmd->add_option("--data-dir", audit_data_dir, "Folder of the store")->capture_default_str();

  strata::cli::AlarmReportOptions alarm_report;
  auto* alarms_cmd = app.add_subcommand("alarms", "Alarm management reports");
  alarms_cmd->require_subcommand(1);
  auto* alarm_report_cmd = alarms_cmd->add_subcommand(
      "report", "ISA-18.2 / EEMUA 191 alarm KPIs per operator position and calibration proposals");
  alarm_report_cmd->add_option("plant", alarm_report.plant_file, "Plant definition (YAML)")->required();
  alarm_report_cmd->add_option("--data-dir", alarm_report.data_dir, "Folder of the store")
      ->capture_default_str();
  alarm_report_cmd->add_option("--from", alarm_report.from, "Period start, ISO 8601 UTC");
  alarm_report_cmd->add_option("--to", alarm_report.to, "Period end, ISO 8601 UTC (default: now)");
  alarm_report_cmd->add_option("--days", alarm_report.days, "Without --from: this many days before the end")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  alarm_report_cmd->add_option("--scope", alarm_report.scope, "Equipment path, e.g. bottling/packaging");
  alarm_report_cmd->add_flag("--json", alarm_report.json, "Print JSON instead of text");

  strata::cli::OpcUaBrowseOptions opcua_browse;
  auto* opcua_cmd = app.add_subcommand("opcua", "OPC UA tools");
  opcua_cmd->require_subcommand(1);
  auto* opcua_browse_cmd =
      opcua_cmd->add_subcommand("browse", "Print a server's address space with node ids for tag sources");
  opcua_browse_cmd
      ->add_option("endpoint", opcua_browse.endpoint, "Server endpoint, opc.tcp://host:port[/path]")
      ->required();
  opcua_browse_cmd->add_option("--node", opcua_browse.node, "Node to browse below")->capture_default_str();
  opcua_browse_cmd->add_option("--depth", opcua_browse.depth, "Levels below --node")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  opcua_browse_cmd->add_flag("--json", opcua_browse.json, "Print the tree as JSON");
  opcua_browse_cmd->add_option("--security-mode", opcua_browse.security_mode, "None, Sign or SignAndEncrypt")
      ->check(CLI::IsMember({"None", "Sign", "SignAndEncrypt"}))
      ->capture_default_str();
  opcua_browse_cmd->add_option("--security-policy", opcua_browse.security_policy, "None or Basic256Sha256")
      ->check(CLI::IsMember({"None", "Basic256Sha256"}));
  opcua_browse_cmd->add_option("--certificate", opcua_browse.certificate_file, "Own certificate (PEM)")
      ->check(CLI::ExistingFile);
  opcua_browse_cmd->add_option("--private-key", opcua_browse.private_key_file, "Key of --certificate (PEM)")
      ->check(CLI::ExistingFile);
  opcua_browse_cmd
      ->add_option("--trusted-dir", opcua_browse.trusted_certificates_dir, "Trusted server certificates")
      ->check(CLI::ExistingDirectory);
  opcua_browse_cmd->add_option("--user", opcua_browse.user, "User name (default: anonymous)");
  opcua_browse_cmd
      ->add_option("--password-env", opcua_browse.password_env, "Environment variable with the password")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (*alarm_report_cmd) return strata::cli::run_alarm_report(alarm_report);
  if (*opcua_browse_cmd) {
    opcua_browse.program_path = argv[0];
    return strata::cli::run_opcua_browse(opcua_browse);
  }
  if (*serve_cmd) return strata::cli::run_serve(serve, argv[0]);
  if (*check_cmd) return strata::cli::run_check(check_files);
  if (*sim_cmd) {
    sim.program_path = argv[0];
    return strata::cli::run_sim(sim);
  }
  if (*user_add_cmd) return strata::cli::run_user_add(user_add);
  if (*user_list_cmd) return strata::cli::run_user_list(user_data_dir);
  if (*user_unlock_cmd) return strata::cli::run_user_unlock(user_data_dir, unlock_name);
  if (*role_add_cmd) return strata::cli::run_role_add(role_add);
  if (*role_list_cmd) return strata::cli::run_role_list(role_data_dir);
  if (*token_add_cmd) return strata::cli::run_token_add(token_add);
  if (*token_revoke_cmd) return strata::cli::run_token_revoke(token_data_dir, revoke_id);
  return strata::cli::run_audit_verify(audit_data_dir);
}
