#include "config/opcua_section.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>

#include "common/duration.hpp"
#include "config/connection_fields.hpp"

namespace strata::config::detail {
namespace {

std::optional<std::string> endpoint_url(std::string_view text) {
  constexpr std::string_view kPrefix = "opc.tcp://";
  if (text.size() <= kPrefix.size() || text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  return std::string(text);
}

std::optional<model::OpcUaSecurityMode> security_mode(std::string_view text) {
  if (text == "None") return model::OpcUaSecurityMode::None;
  if (text == "Sign") return model::OpcUaSecurityMode::Sign;
  if (text == "SignAndEncrypt") return model::OpcUaSecurityMode::SignAndEncrypt;
  return std::nullopt;
}

std::optional<model::OpcUaSecurityPolicy> security_policy(std::string_view text) {
  if (text == "None") return model::OpcUaSecurityPolicy::None;
  if (text == "Basic256Sha256") return model::OpcUaSecurityPolicy::Basic256Sha256;
  return std::nullopt;
}

// Security settings must be coherent: a mode other than None needs a policy other than None and
// Strata's own certificate and key; the password needs a user.
void check_security(const MapReader& map, const model::OpcUaConnection& connection) {
  auto& sink = map.sink();
  const bool secure = connection.security_mode != model::OpcUaSecurityMode::None;
  if (secure && connection.security_policy == model::OpcUaSecurityPolicy::None) {
    sink.error(map.find("security_policy")->value_position,
               fmt::format("'security_policy' in {} must be Basic256Sha256 when security_mode is {}",
                           map.what(), to_string(connection.security_mode)));
  }
  if (!secure && connection.security_policy != model::OpcUaSecurityPolicy::None) {
    sink.error(
        map.find("security_policy")->value_position,
        fmt::format("'security_policy' in {} needs a security_mode of Sign or SignAndEncrypt", map.what()));
  }
  if (secure) {
    for (const std::string_view key : {"certificate_file", "private_key_file"}) {
      if (map.find(key) == nullptr) {
        sink.error(map.find("security_mode")->value_position,
                   fmt::format("{} needs '{}' when security_mode is {}", map.what(), key,
                               to_string(connection.security_mode)));
      }
    }
  }
  if (map.find("password_env") != nullptr && connection.user.empty()) {
    sink.error(map.find("password_env")->key_position,
               fmt::format("'password_env' in {} needs a 'user'", map.what()));
  }
}

std::optional<model::OpcUaConnection> read_opcua(DiagnosticSink& sink, const YAML::Node& node,
                                                 Position fallback, std::size_t index,
                                                 const model::Plant& plant) {
  MapReader map(sink, node, fallback, fmt::format("opcua connection #{}", index + 1));
  if (!map.ok()) return std::nullopt;
  map.check_keys({"name", "endpoint", "security_mode", "security_policy", "certificate_file",
                  "private_key_file", "trusted_certificates_dir", "user", "password_env", "session_timeout",
                  "sampling_interval", "publishing_interval", "reconnect", "commands"},
                 {"name", "endpoint"});
  const auto name = map.id("name");
  if (name) map.rename(fmt::format("opcua connection '{}'", *name));
  const auto endpoint =
      read_value(map, "endpoint", "an opc.tcp:// URL like opc.tcp://10.0.0.5:4840", endpoint_url);
  if (!name || !endpoint) return std::nullopt;
  model::OpcUaConnection connection;
  connection.name = *name;
  connection.endpoint = *endpoint;
  if (const auto mode = read_value(map, "security_mode", "None, Sign or SignAndEncrypt", security_mode)) {
    connection.security_mode = *mode;
    // Basic256Sha256 is the only secure policy offered, so it need not be spelled out.
    if (*mode != model::OpcUaSecurityMode::None)
      connection.security_policy = model::OpcUaSecurityPolicy::Basic256Sha256;
  }
  if (const auto policy = read_value(map, "security_policy", "None or Basic256Sha256", security_policy)) {
    connection.security_policy = *policy;
  }
  if (const auto file = map.scalar("certificate_file")) connection.certificate_file = *file;
  if (const auto file = map.scalar("private_key_file")) connection.private_key_file = *file;
  if (const auto dir = map.scalar("trusted_certificates_dir")) connection.trusted_certificates_dir = *dir;
  if (const auto user = map.scalar("user")) connection.user = *user;
  if (const auto variable = read_value(
          map, "password_env", "an environment variable name like STRATA_OPCUA_PASSWORD", environment_name)) {
    connection.password_env = *variable;
  }
  const auto duration = [&](std::string_view key, std::string_view example,
                            std::chrono::milliseconds& target) {
    if (const auto value =
            read_value(map, key, fmt::format("a duration of at least 1ms, like {}", example), milliseconds)) {
      target = *value;
    }
  };
  duration("session_timeout", "60s", connection.session_timeout);
  duration("sampling_interval", "250ms", connection.sampling_interval);
  duration("publishing_interval", "500ms", connection.publishing_interval);
  read_reconnect(map, connection.reconnect);
  check_security(map, connection);
  connection.commands = read_commands(map, plant);
  return connection;
}

}  // namespace

void read_opcua_connections(DiagnosticSink& sink, const Entry& entry, model::Plant& plant) {
  DuplicateTracker names;
  const auto items = sequence_items(sink, entry, "the connections section");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto connection = read_opcua(sink, items[i], entry.value_position, i, plant);
    if (!connection || !names.add(sink, connection->name, position_of(items[i], entry.value_position),
                                  "opcua connection", "the connections section")) {
      continue;
    }
    plant.opcua_connections.push_back(std::move(*connection));
  }
}

}  // namespace strata::config::detail
