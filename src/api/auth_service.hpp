#pragma once
// Who is calling and what they may do: logins with lock-out and rate limiting, cookie sessions with
// CSRF tokens, bearer API tokens, electronic signatures, and the audit trail of it all.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/http_types.hpp"
#include "model/plant.hpp"
#include "security/access_policy.hpp"
#include "security/login_throttle.hpp"
#include "store/audit_log.hpp"
#include "store/user_store.hpp"

namespace strata::api {

constexpr std::string_view kSessionCookie = "strata_session";

struct LoginOutcome {
  int status = 401;  // 200, 400, 401, 423, 429
  std::string error;
  std::string session_token;  // the cookie value, only on success
  std::string csrf_token;
  Timestamp expires_at = 0;
  security::Principal principal;
};

struct Caller {
  security::Principal principal;
  // Roles as stored when the request arrived, so role changes apply without a restart.
  std::shared_ptr<const security::AccessPolicy> policy;
  std::optional<std::string> session_hash;  // set when authenticated by the session cookie
  std::string csrf_token;                   // expected X-CSRF-Token for cookie sessions
  Timestamp expires_at = 0;
};

struct NewToken {
  std::int64_t id = 0;
  std::string token;  // shown once; only its hash is stored
};

class AuthService {
 public:
  AuthService(store::UserStore& users, store::AuditLog& audit, security::AccessPolicy policy,
              const Clock& clock, model::SecuritySettings settings);

  LoginOutcome login(const std::string& name, const std::string& password, const std::string& address);
  // From the session cookie or a bearer token; nullopt when neither is valid (answer 401).
  std::optional<Caller> authenticate(const HttpRequest& request);
  void logout(const Caller& caller);
  [[nodiscard]] bool csrf_ok(const Caller& caller, const HttpRequest& request) const;

  [[nodiscard]] bool signature_required(std::string_view permission, std::string_view detail = {}) const;
  [[nodiscard]] bool verify_signature(const security::Principal& who, const std::string& password);

  Result<NewToken> create_token(const security::Principal& owner, const std::string& name,
                                Timestamp expires_at);

  // Appends to the audit trail; a failure is logged loudly (the action itself already happened).
  void audit(const std::string& user, std::string action, std::string subject, std::string before,
             std::string after, std::string reason = {}, bool is_signed = false);

  // The roles as stored now (re-read, so custom roles added meanwhile count).
  [[nodiscard]] std::shared_ptr<const security::AccessPolicy> current_policy();
  [[nodiscard]] store::UserStore& users() { return users_; }
  [[nodiscard]] store::AuditLog& audit_log() { return audit_log_; }
  [[nodiscard]] const model::SecuritySettings& settings() const { return settings_; }
  [[nodiscard]] Timestamp now() const { return clock_.now(); }

  // The Set-Cookie header value for a session (or for clearing it).
  [[nodiscard]] std::string session_cookie(const std::string& token, Timestamp expires_at, bool secure) const;
  [[nodiscard]] static std::string cleared_cookie(bool secure);

 private:
  std::optional<security::Principal> principal_of(std::int64_t user_id);

  store::UserStore& users_;
  store::AuditLog& audit_log_;
  std::mutex policy_mutex_;
  std::shared_ptr<const security::AccessPolicy> policy_;
  const Clock& clock_;
  model::SecuritySettings settings_;
  security::LoginThrottle throttle_;
  std::string dummy_hash_;  // verified against for unknown users, so timing does not tell them apart
};

// Value of one cookie in a Cookie header, or empty.
[[nodiscard]] std::string cookie_value(std::string_view header, std::string_view name);

// Built-in roles into the store (so grants can reference them) and all roles back as definitions.
Result<security::AccessPolicy> load_access_policy(store::UserStore& users);
// All stored roles as definitions, without touching the store.
Result<security::AccessPolicy> read_access_policy(store::UserStore& users);

}  // namespace strata::api
