#include "api/auth_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "common/time_text.hpp"
#include "security/secrets.hpp"

namespace strata::api {
namespace {

constexpr std::string_view kBearer = "Bearer ";
constexpr Timestamp kTouchInterval = 60 * kMicrosPerSecond;  // write last_seen at most once a minute

security::LockoutPolicy lockout_policy(const model::SecuritySettings& settings) {
  return {settings.lockout_max_failures, settings.lockout_duration, settings.login_attempts_per_minute};
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return {};
}

Result<security::AccessPolicy> load_access_policy(store::UserStore& users) {
  for (const auto& role : security::builtin_roles()) {
    store::RoleRecord record{role.name, role.description, true, {}};
    for (const auto permission : role.permissions)
      record.permissions.emplace_back(security::to_string(permission));
    if (auto stored = users.upsert_role(record); !stored) return stored.error();
  }
  return read_access_policy(users);
}

Result<security::AccessPolicy> read_access_policy(store::UserStore& users) {
  auto stored_roles = users.roles();
  if (!stored_roles) return stored_roles.error();
  std::vector<security::RoleDefinition> roles;
  for (const auto& record : *stored_roles) {
    security::RoleDefinition role{record.name, record.description, {}, record.builtin};
    for (const auto& name : record.permissions) {
      if (const auto permission = security::parse_permission(name)) role.permissions.insert(*permission);
    }
    roles.push_back(std::move(role));
  }
  return security::AccessPolicy(std::move(roles));
}

AuthService::AuthService(store::UserStore& users, store::AuditLog& audit, security::AccessPolicy policy,
                         const Clock& clock, model::SecuritySettings settings)
    : users_(users),
      audit_log_(audit),
      policy_(std::make_shared<const security::AccessPolicy>(std::move(policy))),
      clock_(clock),
      settings_(std::move(settings)),
      throttle_(clock_, lockout_policy(settings_)) {
  if (auto ready = security::init_crypto(); !ready) throw std::runtime_error(ready.error().message);
  dummy_hash_ = security::hash_password(security::random_secret()).value();
}

std::shared_ptr<const security::AccessPolicy> AuthService::current_policy() {
  auto fresh = read_access_policy(users_);
  std::lock_guard lock(policy_mutex_);
  if (fresh) {
    policy_ = std::make_shared<const security::AccessPolicy>(std::move(*fresh));
  } else {
    spdlog::error("cannot re-read roles, using the last known ones: {}", fresh.error().message);
  }
  return policy_;
}

void AuthService::audit(const std::string& user, std::string action, std::string subject, std::string before,
                        std::string after, std::string reason, bool is_signed) {
  store::AuditEntry entry{
      clock_.now(),      user,     std::move(action), std::move(subject), std::move(before), std::move(after),
      std::move(reason), is_signed};
  if (auto appended = audit_log_.append(entry); !appended) {
    spdlog::error("audit trail append failed for {} {}: {}", entry.action, entry.subject,
                  appended.error().message);
  }
}

LoginOutcome AuthService::login(const std::string& name, const std::string& password,
                                const std::string& address) {
  LoginOutcome outcome;
  const auto refuse = [&](int status, std::string error, const std::string& why) {
    outcome.status = status;
    outcome.error = std::move(error);
    audit(name, "login.failed", name, "{}", nlohmann::json{{"address", address}, {"why", why}}.dump());
    return outcome;
  };
  if (!throttle_.admit(address)) {
    return refuse(429, "too many login attempts from this address; wait a minute", "rate limited");
  }
  auto user = users_.find_user(name);
  if (!user) {
    outcome.status = 500;
    outcome.error = user.error().message;
    return outcome;
  }
  if (!user->has_value()) {
    (void)security::verify_password(dummy_hash_, password);
    return refuse(401, "wrong user name or password", "unknown user");
  }
  const auto& record = **user;
  if (record.disabled) {
    (void)security::verify_password(dummy_hash_, password);
    return refuse(401, "wrong user name or password", "disabled");
  }
  if (throttle_.is_locked(record.locked_until)) {
    return refuse(423, "account locked until " + iso_time(record.locked_until) + " after repeated failures",
                  "locked");
  }
  // A lock-out that has run out starts the count afresh, or one more slip would lock again at once.
  int failed_before = record.failed_logins;
  if (record.locked_until != 0) {
    (void)users_.clear_login_failures(record.id);
    failed_before = 0;
  }
  if (!security::verify_password(record.password_hash, password)) {
    const auto locked_until = throttle_.locked_until_after_failure(failed_before + 1);
    (void)users_.record_login_failure(record.id, locked_until);
    if (locked_until != 0) {
      return refuse(423, "account locked until " + iso_time(locked_until) + " after repeated failures",
                    "wrong password; locked");
    }
    return refuse(401, "wrong user name or password", "wrong password");
  }
  (void)users_.clear_login_failures(record.id);
  auto principal = principal_of(record.id);
  if (!principal) return refuse(401, "wrong user name or password", "user vanished");

  const auto now = clock_.now();
  outcome.session_token = security::random_secret();
  outcome.csrf_token = security::random_secret();
  outcome.expires_at = now + settings_.session_max_age;
  store::SessionRecord session{security::sha256_hex(outcome.session_token),
                               record.id,
                               outcome.csrf_token,
                               now,
                               now,
                               outcome.expires_at};
  if (auto created = users_.create_session(session); !created) {
    outcome.status = 500;
    outcome.error = created.error().message;
    return outcome;
  }
  outcome.status = 200;
  outcome.principal = std::move(*principal);
  audit(name, "login", name, "{}", nlohmann::json{{"address", address}}.dump());
  return outcome;
}

std::optional<security::Principal> AuthService::principal_of(std::int64_t user_id) {
  auto user = users_.find_user(user_id);
  if (!user || !user->has_value() || (*user)->disabled) return std::nullopt;
  auto grants = users_.grants(user_id);
  if (!grants) return std::nullopt;
  security::Principal principal{user_id, (*user)->name, (*user)->display_name, {}, false};
  for (const auto& grant : *grants) principal.grants.push_back({grant.role, grant.scope});
  return principal;
}

std::optional<Caller> AuthService::authenticate(const HttpRequest& request) {
  const auto now = clock_.now();
  if (request.authorization.rfind(kBearer, 0) == 0) {
    const auto token = request.authorization.substr(kBearer.size());
    auto record = users_.find_token(security::sha256_hex(token));
    if (!record || !record->has_value()) return std::nullopt;
    const auto& found = **record;
    if (found.revoked_at != 0 || (found.expires_at != 0 && found.expires_at <= now)) return std::nullopt;
    auto principal = principal_of(found.user_id);
    if (!principal) return std::nullopt;
    principal->via_token = true;
    return Caller{std::move(*principal), current_policy(), std::nullopt, {}, found.expires_at};
  }
  const auto token = cookie_value(request.cookie, kSessionCookie);
  if (token.empty()) return std::nullopt;
  const auto hash = security::sha256_hex(token);
  auto session = users_.find_session(hash);
  if (!session || !session->has_value()) return std::nullopt;
  const auto& found = **session;
  if (found.expires_at <= now || found.last_seen + settings_.session_idle_timeout <= now) {
    (void)users_.delete_session(hash);
    return std::nullopt;
  }
  auto principal = principal_of(found.user_id);
  if (!principal) return std::nullopt;
  if (now - found.last_seen >= kTouchInterval) (void)users_.touch_session(hash, now);
  return Caller{std::move(*principal), current_policy(), hash, found.csrf_token, found.expires_at};
}

void AuthService::logout(const Caller& caller) {
  if (caller.session_hash) (void)users_.delete_session(*caller.session_hash);
  audit(caller.principal.name, "logout", caller.principal.name, "{}", "{}");
}

bool AuthService::csrf_ok(const Caller& caller, const HttpRequest& request) const {
  // Bearer tokens are not sent by browsers on their own, so they need no CSRF token.
  if (!caller.session_hash) return true;
  return !request.csrf_token.empty() && security::secrets_equal(request.csrf_token, caller.csrf_token);
}

bool AuthService::signature_required(std::string_view permission, std::string_view detail) const {
  for (const auto& action : settings_.signature_required) {
    if (action == permission) return true;
    if (!detail.empty() && action.size() == permission.size() + 1 + detail.size() &&
        action.compare(0, permission.size(), permission) == 0 && action[permission.size()] == ':' &&
        action.compare(permission.size() + 1, std::string::npos, detail) == 0) {
      return true;
    }
  }
  return false;
}

bool AuthService::verify_signature(const security::Principal& who, const std::string& password) {
  auto user = users_.find_user(who.user_id);
  if (!user || !user->has_value()) return false;
  return security::verify_password((*user)->password_hash, password);
}

Result<NewToken> AuthService::create_token(const security::Principal& owner, const std::string& name,
                                           Timestamp expires_at) {
  NewToken created;
  created.token = security::random_secret();
  auto id =
      users_.add_token(security::sha256_hex(created.token), owner.user_id, name, clock_.now(), expires_at);
  if (!id) return id.error();
  created.id = *id;
  return created;
}

std::string AuthService::session_cookie(const std::string& token, Timestamp expires_at, bool secure) const {
  const auto max_age = std::max<Timestamp>(0, (expires_at - clock_.now()) / kMicrosPerSecond);
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie, token, max_age,
                     secure ? "; Secure" : "");
}

std::string AuthService::cleared_cookie(bool secure) {
  return fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", kSessionCookie,
                     secure ? "; Secure" : "");
}

}  // namespace strata::api
