// `strata user ...` and `strata token ...`: the first admin is created here, on the machine, since
// there is no default password.
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "api/auth_service.hpp"
#include "cli/commands.hpp"
#include "cli/security_stores.hpp"
#include "common/duration.hpp"
#include "security/secrets.hpp"

namespace strata::cli {
namespace {

using nlohmann::json;

std::optional<std::string> read_line_without_echo(const char* prompt) {
  fmt::print(stderr, "{}", prompt);
  termios saved{};
  const bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    fmt::print(stderr, "\n");
  }
  if (!got) return std::nullopt;
  return line;
}

std::optional<std::string> read_password(bool from_stdin) {
  if (from_stdin || isatty(STDIN_FILENO) == 0) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
  }
  auto first = read_line_without_echo("password: ");
  auto second = read_line_without_echo("password again: ");
  if (!first || !second) return std::nullopt;
  if (*first != *second) {
    fmt::print(stderr, "error: the passwords differ\n");
    return std::nullopt;
  }
  return first;
}

// "operator@bottling/packaging/L1" -> {operator, bottling/packaging/L1}
security::Grant parse_grant(const std::string& text) {
  const auto at = text.find('@');
  if (at == std::string::npos) return {text, ""};
  return {text.substr(0, at), text.substr(at + 1)};
}

bool valid_scope(const std::string& scope) {
  return scope.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/") ==
             std::string::npos &&
         scope.find("//") == std::string::npos &&
         (scope.empty() || (scope.front() != '/' && scope.back() != '/'));
}

std::string role_names(const security::AccessPolicy& policy) {
  std::string names;
  for (const auto& role : policy.roles()) names += (names.empty() ? "" : ", ") + role.name;
  return names;
}

}  // namespace

int run_user_add(const UserAddOptions& options) {
  if (auto ready = security::init_crypto(); !ready) return fail(ready.error().message);
  auto stores = open_security_stores(options.data_dir, true);
  if (!stores) return fail(stores.error().message);
  auto policy = api::load_access_policy(*stores->users);
  if (!policy) return fail(policy.error().message);
  if (options.roles.empty()) return fail("give at least one --role (one of: " + role_names(*policy) + ")", 2);
  std::vector<security::Grant> grants;
  for (const auto& text : options.roles) {
    auto grant = parse_grant(text);
    if (policy->find_role(grant.role) == nullptr) {
      return fail(fmt::format("unknown role '{}' (one of: {})", grant.role, role_names(*policy)), 2);
    }
    if (!valid_scope(grant.scope)) {
      return fail(fmt::format("scope '{}' is not an equipment path like site/area/line", grant.scope), 2);
    }
    grants.push_back(std::move(grant));
  }
  auto existing = stores->users->find_user(options.name);
  if (!existing) return fail(existing.error().message);
  if (existing->has_value()) return fail(fmt::format("user '{}' already exists", options.name));
  const auto password = read_password(options.password_stdin);
  if (!password) return fail("no password given");
  if (auto valid = security::check_password_policy(options.name, *password); !valid) {
    return fail(valid.error().message, 2);
  }
  auto hash = security::hash_password(*password);
  if (!hash) return fail(hash.error().message);
  const auto display_name = options.display_name.empty() ? options.name : options.display_name;
  SystemClock clock;
  auto id = stores->users->add_user(options.name, display_name, *hash, clock.now());
  if (!id) return fail(id.error().message);
  json grant_list = json::array();
  for (const auto& grant : grants) {
    if (auto granted = stores->users->grant(*id, grant.role, grant.scope); !granted) {
      return fail(granted.error().message);
    }
    grant_list.push_back({{"role", grant.role}, {"scope", grant.scope}});
  }
  store::AuditEntry entry{clock.now(), cli_actor(),
                          "user.add",  options.name,
                          "{}",        json{{"display_name", display_name}, {"grants", grant_list}}.dump(),
                          "",          false};
  if (auto audited = stores->audit->append(entry); !audited) return fail(audited.error().message);
  fmt::print("user '{}' added with {}\n", options.name, grant_list.dump());
  return 0;
}

int run_user_list(const std::string& data_dir) {
  auto stores = open_security_stores(data_dir, false);
  if (!stores) return fail(stores.error().message);
  auto users = stores->users->users();
  if (!users) return fail(users.error().message);
  SystemClock clock;
  for (const auto& user : *users) {
    auto grants = stores->users->grants(user.id);
    std::string roles;
    if (grants) {
      for (const auto& grant : *grants) {
        roles += (roles.empty() ? "" : ", ") + grant.role + (grant.scope.empty() ? "" : "@" + grant.scope);
      }
    }
    fmt::print("{:<20} {:<24} {}{}{}\n", user.name, user.display_name, roles,
               user.disabled ? " (disabled)" : "", user.locked_until > clock.now() ? " (locked)" : "");
  }
  return 0;
}

int run_user_unlock(const std::string& data_dir, const std::string& name) {
  auto stores = open_security_stores(data_dir, false);
  if (!stores) return fail(stores.error().message);
  auto user = stores->users->find_user(name);
  if (!user) return fail(user.error().message);
  if (!user->has_value()) return fail(fmt::format("unknown user '{}'", name));
  if (auto cleared = stores->users->clear_login_failures((*user)->id); !cleared)
    return fail(cleared.error().message);
  SystemClock clock;
  store::AuditEntry entry{clock.now(),
                          cli_actor(),
                          "user.unlock",
                          name,
                          json{{"locked_until", (*user)->locked_until}}.dump(),
                          json{{"locked_until", 0}}.dump(),
                          "",
                          false};
  if (auto audited = stores->audit->append(entry); !audited) return fail(audited.error().message);
  fmt::print("user '{}' unlocked\n", name);
  return 0;
}

int run_token_add(const TokenAddOptions& options) {
  if (auto ready = security::init_crypto(); !ready) return fail(ready.error().message);
  auto stores = open_security_stores(options.data_dir, false);
  if (!stores) return fail(stores.error().message);
  auto user = stores->users->find_user(options.user);
  if (!user) return fail(user.error().message);
  if (!user->has_value()) return fail(fmt::format("unknown user '{}'", options.user));
  SystemClock clock;
  Timestamp expires_at = 0;
  if (!options.expires_in.empty()) {
    const auto duration = parse_duration(options.expires_in);
    if (!duration) return fail("--expires-in must be a duration like 90d, 8h or 30m", 2);
    expires_at = clock.now() + *duration;
  }
  const auto token = security::random_secret();
  auto id = stores->users->add_token(security::sha256_hex(token), (*user)->id, options.name, clock.now(),
                                     expires_at);
  if (!id) return fail(id.error().message);
  store::AuditEntry entry{
      clock.now(),
      cli_actor(),
      "token.create",
      std::to_string(*id),
      "{}",
      json{{"user", options.user}, {"name", options.name}, {"expires_at", expires_at}}.dump(),
      "",
      false};
  if (auto audited = stores->audit->append(entry); !audited) return fail(audited.error().message);
  fmt::print(stderr, "token {} for '{}' (shown once; send it as 'Authorization: Bearer <token>'):\n", *id,
             options.user);
  fmt::print("{}\n", token);
  return 0;
}

int run_token_revoke(const std::string& data_dir, std::int64_t id) {
  auto stores = open_security_stores(data_dir, false);
  if (!stores) return fail(stores.error().message);
  SystemClock clock;
  if (auto revoked = stores->users->revoke_token(id, clock.now()); !revoked)
    return fail(revoked.error().message);
  store::AuditEntry entry{clock.now(),
                          cli_actor(),
                          "token.revoke",
                          std::to_string(id),
                          json{{"revoked", false}}.dump(),
                          json{{"revoked", true}}.dump(),
                          "",
                          false};
  if (auto audited = stores->audit->append(entry); !audited) return fail(audited.error().message);
  fmt::print("token {} revoked\n", id);
  return 0;
}

}  // namespace strata::cli
