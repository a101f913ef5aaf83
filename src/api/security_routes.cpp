// Login, logout, the current user, API tokens, users and the audit trail.
#include <fmt/format.h>

#include "api/request_helpers.hpp"
#include "api/router.hpp"
#include "common/duration.hpp"
#include "security/secrets.hpp"

namespace strata::api {

using nlohmann::json;
using security::Permission;

namespace {

json grants_json(const std::vector<security::Grant>& grants) {
  json list = json::array();
  for (const auto& grant : grants) list.push_back({{"role", grant.role}, {"scope", grant.scope}});
  return list;
}

json user_json(const security::Principal& who) {
  return {{"name", who.name}, {"display_name", who.display_name}, {"grants", grants_json(who.grants)}};
}

json token_json(const store::TokenRecord& token) {
  return {{"id", token.id},
          {"name", token.name},
          {"user_id", token.user_id},
          {"created_at", token.created_at},
          {"expires_at", token.expires_at},
          {"revoked_at", token.revoked_at}};
}

// Enterprise-level permissions (users, audit) need a grant that covers the whole enterprise.
bool allowed_enterprise_wide(const Caller& caller, Permission permission) {
  return caller.policy->allows(caller.principal, permission, "");
}

// Own tokens: any grant carrying the permission, whatever its scope.
bool allowed_anywhere(const Caller& caller, Permission permission) {
  for (const auto& grant : caller.principal.grants) {
    const auto* role = caller.policy->find_role(grant.role);
    if (role != nullptr && role->permissions.contains(permission)) return true;
  }
  return false;
}

bool is_equipment_path(const model::Plant& plant, const std::string& path) {
  for (const auto& site : plant.sites) {
    if (site.id == path) return true;
    for (const auto& area : site.areas) {
      if (area.id == path) return true;
    }
  }
  return plant.find_work_center(path) != nullptr || plant.find_unit(path) != nullptr;
}

HttpResponse forbidden(Permission permission, std::string_view what) {
  return json_error(403, fmt::format("you may not {} (needs {} for the whole enterprise)", what,
                                     security::to_string(permission)));
}

}  // namespace

std::optional<HttpResponse> Router::check_signature(const Caller& caller, bool required, const json& body,
                                                    std::string& reason, bool& is_signed) {
  if (!body.contains("signature")) {
    if (!required) return std::nullopt;
    auto response =
        json_error(403, "this action needs an electronic signature: re-enter your password and a reason");
    auto payload = json::parse(response.body);
    payload["signature_required"] = true;
    response.body = payload.dump();
    return response;
  }
  const auto& signature = body["signature"];
  if (!signature.is_object() || !signature.contains("password") || !signature["password"].is_string() ||
      !signature.contains("reason") || !signature["reason"].is_string() || signature.size() != 2) {
    return json_error(400, "field 'signature' must be {\"password\": \"...\", \"reason\": \"...\"}");
  }
  reason = signature["reason"].get<std::string>();
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return json_error(400, "an electronic signature needs a reason");
  }
  if (!context_.auth->verify_signature(caller.principal, signature["password"].get<std::string>())) {
    context_.auth->audit(caller.principal.name, "signature.failed", caller.principal.name, "{}", "{}",
                         reason);
    return json_error(403, "signature password is wrong");
  }
  is_signed = true;
  return std::nullopt;
}

HttpResponse Router::post_login(const HttpRequest& request) {
  auto body = parse_json_object(request.body, {"username", "password"}, {"username", "password"});
  if (!body) return json_error(400, body.error().message);
  if (!(*body)["username"].is_string() || !(*body)["password"].is_string()) {
    return json_error(400, "fields 'username' and 'password' must be strings");
  }
  auto outcome = context_.auth->login((*body)["username"].get<std::string>(),
                                      (*body)["password"].get<std::string>(), request.remote_address);
  if (outcome.status != 200) return json_error(outcome.status, outcome.error);
  auto response = json_ok({{"user", user_json(outcome.principal)},
                           {"csrf_token", outcome.csrf_token},
                           {"expires_at", outcome.expires_at}});
  response.headers.emplace_back(
      "Set-Cookie", context_.auth->session_cookie(outcome.session_token, outcome.expires_at, request.secure));
  return response;
}

HttpResponse Router::post_logout(const Caller& caller, const HttpRequest& request) {
  context_.auth->logout(caller);
  auto response = json_ok({{"logged_out", true}});
  response.headers.emplace_back("Set-Cookie", AuthService::cleared_cookie(request.secure));
  return response;
}

HttpResponse Router::get_me(const Caller& caller) {
  json permissions = json::array();
  for (const auto permission : caller.policy->permissions_at(caller.principal, "")) {
    permissions.push_back(security::to_string(permission));
  }
  json body{{"user", user_json(caller.principal)},
            {"expires_at", caller.expires_at},
            {"enterprise_permissions", std::move(permissions)}};
  if (caller.session_hash) body["csrf_token"] = caller.csrf_token;
  return json_ok(body);
}

HttpResponse Router::get_tokens(const Caller& caller) {
  const bool all = allowed_enterprise_wide(caller, Permission::ManageUsers);
  auto tokens = context_.auth->users().tokens(all ? std::nullopt : std::optional(caller.principal.user_id));
  if (!tokens) return json_error(500, tokens.error().message);
  json list = json::array();
  for (const auto& token : *tokens) list.push_back(token_json(token));
  return json_ok({{"tokens", std::move(list)}});
}

HttpResponse Router::post_token(const Caller& caller, const HttpRequest& request) {
  if (!allowed_anywhere(caller, Permission::ManageOwnTokens)) {
    return json_error(403, "you may not create API tokens (needs manage_own_tokens)");
  }
  auto body = parse_json_object(request.body, {"name", "expires_in"}, {"name"});
  if (!body) return json_error(400, body.error().message);
  auto name = string_field(*body, "name");
  if (!name || name->value_or("").empty()) return json_error(400, "field 'name' must be a non-empty string");
  auto expires_in = string_field(*body, "expires_in");
  if (!expires_in) return json_error(400, expires_in.error().message);
  Timestamp expires_at = 0;
  if (expires_in->has_value()) {
    const auto duration = parse_duration(**expires_in);
    if (!duration) return json_error(400, "field 'expires_in' must be a duration like 90d, 8h or 30m");
    expires_at = context_.auth->now() + *duration;
  }
  auto created = context_.auth->create_token(caller.principal, **name, expires_at);
  if (!created) return json_error(500, created.error().message);
  context_.auth->audit(caller.principal.name, "token.create", std::to_string(created->id), "{}",
                       json{{"name", **name}, {"expires_at", expires_at}}.dump());
  return json_ok(
      {{"id", created->id}, {"name", **name}, {"token", created->token}, {"expires_at", expires_at}}, 201);
}

HttpResponse Router::delete_token(const Caller& caller, const std::string& id_text) {
  const auto id = parse_integer(id_text);
  if (!id) return json_error(400, fmt::format("token id must be a number, got '{}'", id_text));
  auto token = context_.auth->users().find_token(*id);
  if (!token) return json_error(500, token.error().message);
  if (!token->has_value()) return json_error(404, fmt::format("unknown token {}", *id));
  const bool own = (*token)->user_id == caller.principal.user_id;
  if (!own && !allowed_enterprise_wide(caller, Permission::ManageUsers)) {
    return forbidden(Permission::ManageUsers, "revoke other users' tokens");
  }
  if ((*token)->revoked_at != 0) return json_error(409, fmt::format("token {} is already revoked", *id));
  if (auto revoked = context_.auth->users().revoke_token(*id, context_.auth->now()); !revoked) {
    return json_error(500, revoked.error().message);
  }
  context_.auth->audit(caller.principal.name, "token.revoke", std::to_string(*id),
                       json{{"name", (*token)->name}, {"revoked", false}}.dump(),
                       json{{"revoked", true}}.dump());
  return json_ok({{"id", *id}, {"revoked", true}});
}

HttpResponse Router::get_users(const Caller& caller) {
  if (!allowed_enterprise_wide(caller, Permission::ManageUsers)) {
    return forbidden(Permission::ManageUsers, "list users");
  }
  auto users = context_.auth->users().users();
  if (!users) return json_error(500, users.error().message);
  json list = json::array();
  for (const auto& user : *users) {
    auto grants = context_.auth->users().grants(user.id);
    json grant_list = json::array();
    if (grants) {
      for (const auto& grant : *grants) grant_list.push_back({{"role", grant.role}, {"scope", grant.scope}});
    }
    list.push_back({{"name", user.name},
                    {"display_name", user.display_name},
                    {"disabled", user.disabled},
                    {"locked_until", user.locked_until},
                    {"grants", std::move(grant_list)}});
  }
  return json_ok({{"users", std::move(list)}});
}

HttpResponse Router::post_user(const Caller& caller, const HttpRequest& request) {
  if (!allowed_enterprise_wide(caller, Permission::ManageUsers)) {
    return forbidden(Permission::ManageUsers, "add users");
  }
  auto body = parse_json_object(request.body, {"name", "display_name", "password", "roles", "signature"},
                                {"name", "password", "roles"});
  if (!body) return json_error(400, body.error().message);
  auto name = string_field(*body, "name");
  auto display_name = string_field(*body, "display_name");
  auto password = string_field(*body, "password");
  if (!name || !display_name || !password)
    return json_error(400, "name, display_name and password must be strings");
  const auto& roles = (*body)["roles"];
  if (!roles.is_array() || roles.empty()) {
    return json_error(400, "field 'roles' must be a non-empty list of {\"role\": ..., \"scope\": ...}");
  }
  std::vector<security::Grant> grants;
  for (const auto& role : roles) {
    if (!role.is_object() || !role.contains("role") || !role["role"].is_string() ||
        (role.contains("scope") && !role["scope"].is_string())) {
      return json_error(400, "each role must be {\"role\": \"operator\", \"scope\": \"site/area/line\"}");
    }
    security::Grant grant{role["role"].get<std::string>(), role.value("scope", std::string{})};
    if (caller.policy->find_role(grant.role) == nullptr) {
      return json_error(400, fmt::format("unknown role '{}'", grant.role));
    }
    if (!grant.scope.empty() && !is_equipment_path(*context_.plant, grant.scope)) {
      return json_error(400, fmt::format("scope '{}' is not an equipment path of this plant", grant.scope));
    }
    grants.push_back(std::move(grant));
  }
  if (auto valid = security::check_password_policy(**name, **password); !valid) {
    return json_error(400, valid.error().message);
  }
  std::string reason;
  bool is_signed = false;
  if (auto refused = check_signature(caller, context_.auth->signature_required("manage_users"), *body, reason,
                                     is_signed)) {
    return *refused;
  }
  auto hash = security::hash_password(**password);
  if (!hash) return json_error(500, hash.error().message);
  auto id =
      context_.auth->users().add_user(**name, display_name->value_or(**name), *hash, context_.auth->now());
  if (!id) return json_error(409, id.error().message);
  for (const auto& grant : grants) {
    if (auto granted = context_.auth->users().grant(*id, grant.role, grant.scope); !granted) {
      return json_error(500, granted.error().message);
    }
  }
  context_.auth->audit(
      caller.principal.name, "user.add", **name, "{}",
      json{{"display_name", display_name->value_or(**name)}, {"grants", grants_json(grants)}}.dump(), reason,
      is_signed);
  return json_ok({{"name", **name}, {"grants", grants_json(grants)}}, 201);
}

HttpResponse Router::post_unlock(const Caller& caller, const std::string& name) {
  if (!allowed_enterprise_wide(caller, Permission::ManageUsers)) {
    return forbidden(Permission::ManageUsers, "unlock users");
  }
  auto user = context_.auth->users().find_user(name);
  if (!user) return json_error(500, user.error().message);
  if (!user->has_value()) return json_error(404, fmt::format("unknown user '{}'", name));
  if (auto cleared = context_.auth->users().clear_login_failures((*user)->id); !cleared) {
    return json_error(500, cleared.error().message);
  }
  context_.auth->audit(
      caller.principal.name, "user.unlock", name,
      json{{"locked_until", (*user)->locked_until}, {"failed_logins", (*user)->failed_logins}}.dump(),
      json{{"locked_until", 0}, {"failed_logins", 0}}.dump());
  return json_ok({{"name", name}, {"unlocked", true}});
}

HttpResponse Router::get_audit(const Caller& caller, const std::map<std::string, std::string>& query) {
  if (!allowed_enterprise_wide(caller, Permission::ViewAudit)) {
    return forbidden(Permission::ViewAudit, "read the audit trail");
  }
  if (auto rejected = reject_unknown_parameters(query, {"after", "limit", "user", "action"}))
    return *rejected;
  const auto after = integer_param(query, "after");
  if (!after) return json_error(400, after.error().message);
  const auto limit = integer_param(query, "limit");
  if (!limit) return json_error(400, limit.error().message);
  store::AuditQuery audit_query;
  audit_query.after_seq = after->value_or(0);
  audit_query.limit = static_cast<std::size_t>(std::min<std::int64_t>(limit->value_or(1000), 10'000));
  if (const auto it = query.find("user"); it != query.end()) audit_query.user = it->second;
  if (const auto it = query.find("action"); it != query.end()) audit_query.action = it->second;
  auto records = context_.auth->audit_log().records(audit_query);
  if (!records) return json_error(500, records.error().message);
  json list = json::array();
  for (const auto& record : *records) {
    const auto& e = record.entry;
    list.push_back({{"seq", record.seq},
                    {"time", e.time},
                    {"user", e.user},
                    {"action", e.action},
                    {"subject", e.subject},
                    {"before", json::parse(e.before, nullptr, false)},
                    {"after", json::parse(e.after, nullptr, false)},
                    {"reason", e.reason},
                    {"signed", e.is_signed},
                    {"hash", record.hash}});
  }
  return json_ok({{"records", std::move(list)}});
}

}  // namespace strata::api
