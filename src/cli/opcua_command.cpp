// `strata opcua browse`: lists an OPC UA server's address space through the OPC UA connector, so the
// node ids can be pasted into tag sources (opcua:<connection>/<node id>).
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>

#include "cli/commands.hpp"
#include "drivers/connector/connector_location.hpp"
#include "drivers/connector/connector_process.hpp"

namespace strata::cli {
namespace {

using std::chrono::seconds;

// Connecting includes the connector's start (node-opcua loads in seconds) and the session; both are
// bounded so a wrong endpoint fails instead of hanging.
constexpr seconds kConnectTimeout{60};
constexpr seconds kBrowseTimeout{120};

std::string text_member(const nlohmann::json& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

void print_tree(const nlohmann::json& nodes, int depth) {
  if (!nodes.is_array()) return;
  for (const auto& node : nodes) {
    const auto node_class = text_member(node, "node_class");
    const auto data_type = text_member(node, "data_type");
    const auto kind = data_type.empty() ? node_class : fmt::format("{} {}", node_class, data_type);
    fmt::print("{:{}}{}  [{}]  {}\n", "", depth * 2, text_member(node, "display_name"), kind,
               text_member(node, "node_id"));
    if (const auto children = node.find("children"); children != node.end()) print_tree(*children, depth + 1);
  }
}

nlohmann::json client_config(const OpcUaBrowseOptions& options) {
  nlohmann::json config{{"endpoint", options.endpoint},
                        {"security_mode", options.security_mode},
                        {"items", nlohmann::json::array()}};
  if (!options.security_policy.empty()) config["security_policy"] = options.security_policy;
  if (!options.certificate_file.empty()) config["certificate_file"] = options.certificate_file;
  if (!options.private_key_file.empty()) config["private_key_file"] = options.private_key_file;
  if (!options.trusted_certificates_dir.empty())
    config["trusted_certificates_dir"] = options.trusted_certificates_dir;
  if (!options.user.empty()) {
    config["user"] = options.user;
    const char* password = std::getenv(options.password_env.c_str());  // NOLINT(concurrency-mt-unsafe)
    config["password"] = password == nullptr ? "" : password;
  }
  return config;
}

}  // namespace

int run_opcua_browse(const OpcUaBrowseOptions& options) {
  // stdout carries the tree (or JSON) alone; the connector's chatter is not worth showing.
  spdlog::set_default_logger(spdlog::stderr_color_mt("strata-opcua"));
  spdlog::set_level(spdlog::level::warn);
  auto location = connector::find_connector("opcua", options.program_path);
  if (!location) {
    spdlog::error("{}", location.error().message);
    return 2;
  }
  if (!options.user.empty() && std::getenv(options.password_env.c_str()) == nullptr) {  // NOLINT
    spdlog::error("the password of user '{}' is read from ${}, which is not set", options.user,
                  options.password_env);
    return 2;
  }
  connector::ConnectorOptions process_options;
  process_options.name = "browse";
  process_options.argv = location->argv();
  process_options.role = "client";
  process_options.config = client_config(options);
  // A one-shot tool need not wait the protocol's full grace for a connector that is slow to exit.
  process_options.timings.stdin_close_grace = std::chrono::milliseconds{500};
  process_options.timings.term_grace = std::chrono::milliseconds{500};
  connector::ConnectorProcess process(std::move(process_options));

  // The first session state decides: connected, or the reason it is not.
  std::promise<std::string> session;
  auto session_state = session.get_future();
  std::once_flag reported;
  process.on_message([&](const nlohmann::json& message) {
    if (message["type"] != "connection") return;
    const auto state = text_member(message, "state");
    const auto why = text_member(message, "message");
    std::call_once(reported, [&] {
      session.set_value(state == "connected" ? std::string{} : why.empty() ? state : why);
    });
  });
  process.start();
  if (auto up = process.wait_until_up(kConnectTimeout); !up) {
    spdlog::error("OPC UA connector: {}", up.error().message);
    return 1;
  }
  if (session_state.wait_for(kConnectTimeout) != std::future_status::ready) {
    spdlog::error("no session with {} within {} s", options.endpoint, kConnectTimeout.count());
    return 1;
  }
  if (const auto problem = session_state.get(); !problem.empty()) {
    spdlog::error("cannot connect to {}: {}", options.endpoint, problem);
    return 1;
  }
  auto reply = process.request({{"type", "browse"}, {"node_id", options.node}, {"depth", options.depth}});
  if (reply.wait_for(kBrowseTimeout) != std::future_status::ready) {
    spdlog::error("browse of {} not answered within {} s", options.node, kBrowseTimeout.count());
    return 1;
  }
  auto result = reply.get();
  process.stop();
  if (!result) {
    spdlog::error("browse of {} failed: {}", options.node, result.error().message);
    return 1;
  }
  const auto nodes = (*result).contains("nodes") ? (*result)["nodes"] : nlohmann::json::array();
  if (options.json) {
    fmt::print("{}\n", nodes.dump(2));
  } else {
    fmt::print("{} (below {}, depth {})\n", options.endpoint, options.node, options.depth);
    print_tree(nodes, 1);
  }
  return 0;
}

}  // namespace strata::cli
