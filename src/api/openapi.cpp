#include "api/openapi.hpp"

namespace strata::api {
namespace {

constexpr const char* kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "Strata API",
    "version": "0.1.0",
    "description": "Plant model, live state, commands, history and journal of a Strata node. Times are microseconds since the Unix epoch (UTC). Equipment and tag ids are hierarchical paths with '/', so percent-encode them in paths (encodeURIComponent). Errors are JSON objects {\"error\": \"...\"}. Live changes stream over a WebSocket at /api/stream: first {\"type\":\"snapshot\",\"units\":[Unit]}, then {\"type\":\"changes\",\"time\":t,\"units\":[UnitState],\"tags\":[TagChange]} coalesced per client per engine tick."
  },
  "paths": {
    "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {"200": {"description": "ok"}}}},
    "/api/plant": {"get": {"summary": "ISA-95 equipment hierarchy with templates and parameters", "responses": {"200": {"description": "Enterprise, sites, areas, work centers, units"}}}},
    "/api/packml": {"get": {"summary": "PackML states (numbers, types, allowed commands) and commands", "responses": {"200": {"description": "reference"}}}},
    "/api/units": {"get": {"summary": "All units with PackML state, mode and current tag values", "responses": {"200": {"description": "list", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}}}}}}},
    "/api/units/{unit}": {"get": {"summary": "One unit", "parameters": [{"$ref": "#/components/parameters/unit"}], "responses": {"200": {"description": "unit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unit"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/units/{unit}/commands": {"post": {"summary": "Send a PackML command; the reply comes once the command is journaled", "parameters": [{"$ref": "#/components/parameters/unit"}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["command"], "properties": {"signature": {"$ref": "#/components/schemas/Signature"}, "command": {"oneOf": [{"type": "string", "enum": ["Reset", "Start", "Stop", "Hold", "Unhold", "Suspend", "Unsuspend", "Abort", "Clear", "Complete"]}, {"type": "integer", "minimum": 1, "maximum": 10}]}, "origin": {"type": "string"}}}}}},
      "responses": {"200": {"description": "accepted", "content": {"application/json": {"schema": {"type": "object", "properties": {"unit": {"type": "string"}, "command": {"type": "string"}, "state_before": {"type": "string"}, "state": {"type": "string", "description": "state the command leads to"}, "journal_seq": {"type": "integer"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
    "/api/tags": {"get": {"summary": "Tags with current values", "parameters": [{"name": "unit", "in": "query", "schema": {"type": "string"}, "description": "only tags of this unit"}], "responses": {"200": {"description": "list", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}}}}}},
    "/api/tags/{tag}": {"get": {"summary": "One tag", "parameters": [{"$ref": "#/components/parameters/tag"}], "responses": {"200": {"description": "tag", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/tags/{tag}/history": {"get": {"summary": "Recorded values with from <= source_time < to, oldest first", "parameters": [{"$ref": "#/components/parameters/tag"}, {"name": "from", "in": "query", "schema": {"type": "string"}, "description": "microseconds or ISO 8601 UTC"}, {"name": "to", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10000, "maximum": 100000}}], "responses": {"200": {"description": "values"}, "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/events": {"get": {"summary": "Append-only journal (state changes, commands, configuration loads)", "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer"}, "description": "only events with a greater seq"}, {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 1000, "maximum": 10000}}, {"name": "kind", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "events"}, "400": {"$ref": "#/components/responses/Error"}}}},
    "/api/stats": {"get": {"summary": "Engine and store counters", "responses": {"200": {"description": "counters"}}}},
    "/api/login": {"post": {"summary": "Log in: sets the HttpOnly session cookie and returns the CSRF token for state-changing requests", "security": [], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}}, "responses": {"200": {"description": "session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}, "401": {"$ref": "#/components/responses/Error"}, "423": {"description": "account locked"}, "429": {"description": "too many attempts from this address"}}}},
    "/api/logout": {"post": {"summary": "End the session", "responses": {"200": {"description": "logged out"}}}},
    "/api/me": {"get": {"summary": "The caller, its grants and (for sessions) a fresh CSRF token", "responses": {"200": {"description": "session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
    "/api/tokens": {"get": {"summary": "API tokens (own; all with manage_users)", "responses": {"200": {"description": "tokens"}}}, "post": {"summary": "Create an API token for the caller; the token is shown once", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {"name": {"type": "string"}, "expires_in": {"type": "string", "example": "90d"}}}}}}, "responses": {"201": {"description": "created"}, "403": {"$ref": "#/components/responses/Error"}}}},
    "/api/tokens/{id}": {"delete": {"summary": "Revoke a token", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "revoked"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
    "/api/users": {"get": {"summary": "Users and grants (manage_users)", "responses": {"200": {"description": "users"}}}, "post": {"summary": "Add a user (manage_users; may need a signature)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["name", "password", "roles"], "properties": {"name": {"type": "string"}, "display_name": {"type": "string"}, "password": {"type": "string", "minLength": 10}, "roles": {"type": "array", "items": {"type": "object", "properties": {"role": {"type": "string"}, "scope": {"type": "string"}}}}, "signature": {"$ref": "#/components/schemas/Signature"}}}}}}, "responses": {"201": {"description": "added"}, "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
    "/api/users/{name}/unlock": {"post": {"summary": "Lift a lock-out (manage_users)", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "unlocked"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/audit": {"get": {"summary": "Hash-chained audit trail (view_audit)", "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 1000, "maximum": 10000}}, {"name": "user", "in": "query", "schema": {"type": "string"}}, {"name": "action", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "records"}, "403": {"$ref": "#/components/responses/Error"}}}},
    "/api/stream": {"get": {"summary": "WebSocket upgrade for the live change stream (see description above)", "responses": {"101": {"description": "switching protocols"}}}}
  },
  "security": [{"session": []}, {"bearer": []}],
  "components": {
    "securitySchemes": {
      "session": {"type": "apiKey", "in": "cookie", "name": "strata_session", "description": "From POST /api/login; state-changing requests also need the X-CSRF-Token header"},
      "bearer": {"type": "http", "scheme": "bearer", "description": "API token from strata token add or POST /api/tokens"}
    },
    "parameters": {
      "unit": {"name": "unit", "in": "path", "required": true, "schema": {"type": "string"}, "example": "bottling%2Fpackaging%2FL1%2Ffiller"},
      "tag": {"name": "tag", "in": "path", "required": true, "schema": {"type": "string"}, "example": "bottling%2Fpackaging%2FL1%2Ffiller%2FStatus.CurMachSpeed"}
    },
    "responses": {"Error": {"description": "error", "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}}}},
    "schemas": {
      "Session": {"type": "object", "properties": {"user": {"type": "object", "properties": {"name": {"type": "string"}, "display_name": {"type": "string"}, "grants": {"type": "array", "items": {"type": "object", "properties": {"role": {"type": "string"}, "scope": {"type": "string"}}}}}}, "csrf_token": {"type": "string"}, "expires_at": {"type": "integer"}}},
      "Signature": {"type": "object", "additionalProperties": false, "required": ["password", "reason"], "properties": {"password": {"type": "string"}, "reason": {"type": "string"}}, "description": "Electronic signature for actions listed in security.signature_required"},
      "TagValue": {"type": "object", "properties": {"value": {}, "quality": {"type": "string", "enum": ["good", "uncertain", "bad", "stale"]}, "source_time": {"type": "integer"}, "server_time": {"type": "integer"}}},
      "Tag": {"allOf": [{"$ref": "#/components/schemas/TagValue"}, {"type": "object", "properties": {"id": {"type": "string"}, "unit": {"type": "string"}, "name": {"type": "string"}, "type": {"type": "string"}, "engineering_unit": {"type": "string"}, "source": {"type": "string"}}}]},
      "UnitState": {"type": "object", "properties": {"id": {"type": "string"}, "state": {"type": "string"}, "state_number": {"type": "integer"}, "state_type": {"type": "string", "enum": ["Wait", "Acting", "Dual", "Undefined"]}, "mode": {"type": "string"}, "mode_number": {"type": "integer"}, "since": {"type": "integer"}, "allowed_commands": {"type": "array", "items": {"type": "string"}}}},
      "Unit": {"allOf": [{"$ref": "#/components/schemas/UnitState"}, {"type": "object", "properties": {"name": {"type": "string"}, "local_id": {"type": "string"}, "level": {"type": "string"}, "work_center": {"type": "string"}, "tags": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/TagValue"}}}}]}
    }
  }
})json";

}  // namespace

const nlohmann::json& openapi_document() {
  static const nlohmann::json document = nlohmann::json::parse(kDocument);
  return document;
}

}  // namespace strata::api
