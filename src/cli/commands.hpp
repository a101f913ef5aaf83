#pragma once
// The `strata` sub-commands; each returns the process exit code.
#include <cstdint>
#include <string>
#include <vector>

namespace strata::cli {

struct ServeOptions {
  std::string plant_file;
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  std::string data_dir = "var";
  std::string cockpit_dir;      // empty: found next to the binary
  std::string port_file;        // where to write the bound port once listening
  std::string tls_certificate;  // PEM; with tls_private_key the server speaks HTTPS/WSS only
  std::string tls_private_key;
  std::uint64_t seed = 1;
  int tick_ms = 100;
};

struct SimOptions {
  std::string plant_file;
  std::string duration = "8h";
  std::uint64_t seed = 1;
  bool json = false;
  // --serve: stage the plant instead: serve the simulated tags over their real protocols until
  // SIGINT/SIGTERM, at `speedup` plant seconds per second.
  bool serve = false;
  double speedup = 1.0;
  std::string program_path{};  // argv[0], to find connectors (OPC UA)
};

struct AlarmReportOptions {
  std::string plant_file;
  std::string data_dir = "var";
  std::string from;  // ISO 8601 UTC; empty: `days` before now
  std::string to;    // empty: now
  std::int64_t days = 30;
  std::string scope;
  bool json = false;
};

// `strata opcua browse <endpoint>`: the address space below a node as an indented tree (display name,
// node class and data type, node id) or JSON, through the OPC UA connector; 0 on success, 1 when the
// server cannot be reached or browsed, 2 on bad input.
struct OpcUaBrowseOptions {
  std::string endpoint;
  std::string node = "ns=0;i=85";  // the Objects folder
  int depth = 2;
  bool json = false;
  std::string security_mode = "None";
  std::string security_policy{};  // empty: implied by the mode
  std::string certificate_file{};
  std::string private_key_file{};
  std::string trusted_certificates_dir{};
  std::string user{};
  std::string password_env = "STRATA_OPCUA_PASSWORD";
  std::string program_path{};  // argv[0], to find the connector
};
int run_opcua_browse(const OpcUaBrowseOptions& options);

int run_serve(const ServeOptions& options, const std::string& program_path);
// `strata alarms report`: ISA-18.2 / EEMUA 191 KPIs per operator position from the journal, plus
// calibration proposals for chattering alarms; 0 on success, 2 on bad input.
int run_alarm_report(const AlarmReportOptions& options);
int run_check(const std::vector<std::string>& plant_files);
int run_sim(const SimOptions& options);
// `strata audit verify --data-dir D`: 0 when the audit chain of D/strata.db is intact, 1 with
// every problem (seq and what is wrong) otherwise.
int run_audit_verify(const std::string& data_dir);

struct UserAddOptions {
  std::string data_dir = "var";
  std::string name;
  std::string display_name;
  std::vector<std::string> roles;  // "role" or "role@scope"
  bool password_stdin = false;     // read one line from stdin instead of prompting
};
int run_user_add(const UserAddOptions& options);
int run_user_list(const std::string& data_dir);
int run_user_unlock(const std::string& data_dir, const std::string& name);

struct RoleAddOptions {
  std::string data_dir = "var";
  std::string name;
  std::string description;
  std::vector<std::string> permissions;  // snake_case names, e.g. command_unit
};
// Custom roles next to the built-in ones; adding an existing custom role replaces its permissions.
int run_role_add(const RoleAddOptions& options);
int run_role_list(const std::string& data_dir);

struct TokenAddOptions {
  std::string data_dir = "var";
  std::string user;
  std::string name;
  std::string expires_in;  // e.g. "90d"; empty = no expiry
};
int run_token_add(const TokenAddOptions& options);
int run_token_revoke(const std::string& data_dir, std::int64_t id);

}  // namespace strata::cli
