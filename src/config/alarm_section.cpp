#include "config/alarm_section.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "alarms/definition_check.hpp"
#include "alarms/names.hpp"
#include "common/duration.hpp"
#include "config/parameters.hpp"
#include "notify/escalation_policy.hpp"
#include "notify/sink_config.hpp"

namespace strata::config::detail {
namespace {

constexpr std::string_view kKindNames =
    "high, high_high, low, low_low, deviation, discrete, rate_of_change, packml_fault";
const std::vector<std::string> kScalarFields = {"id",
                                                "name",
                                                "kind",
                                                "tag",
                                                "setpoint_tag",
                                                "setpoint",
                                                "normal_value",
                                                "limit",
                                                "deadband",
                                                "on_delay",
                                                "off_delay",
                                                "priority",
                                                "class",
                                                "latching",
                                                "max_shelve",
                                                "message",
                                                "cause",
                                                "consequence",
                                                "corrective_action",
                                                "max_time_to_respond"};
const std::vector<std::string> kListFields = {"active_only_in", "comments_required", "overridable"};
const std::vector<std::string> kOverridable = {
    "setpoint", "normal_value", "limit",      "deadband", "on_delay",           "off_delay",
    "priority", "latching",     "max_shelve", "message",  "max_time_to_respond"};
const std::vector<std::string> kNumberFields = {"setpoint", "normal_value", "limit", "deadband"};
const std::vector<std::string> kDurationFields = {"on_delay", "off_delay", "max_shelve",
                                                  "max_time_to_respond"};

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

// Checks one scalar value that no longer references parameters; the message says what was expected.
std::optional<std::string> value_problem(const std::string& field, const std::string& text) {
  if (contains(kNumberFields, field) && !parse_number(text)) return "must be a number";
  if (contains(kDurationFields, field) && !parse_duration_or_zero(text))
    return "must be a duration like 500ms, 5s or 2h";
  if (field == "latching" && !parse_bool(text)) return "must be true or false";
  if (field == "kind" && !alarms::parse_alarm_kind(text)) return fmt::format("must be one of {}", kKindNames);
  return std::nullopt;
}

bool is_numeric_tag(model::TagType type) {
  return type != model::TagType::String;
}

void check_alarm_tag(const MapReader& map, std::string_view key, ParsedUnit& unit) {
  std::optional<std::string> name;
  check_unit_tag_reference(map, key, unit, name);
  if (!name) return;
  const auto& tags = unit.model.tags;
  const auto tag = std::find_if(tags.begin(), tags.end(), [&](const auto& t) { return t.name == *name; });
  if (tag != tags.end() && !is_numeric_tag(tag->type)) {
    map.sink().error(
        map.find(key)->value_position,
        fmt::format("{} '{}' of {} must be a numeric or bool tag (it is a string)", key, *name, map.what()));
  }
}

std::vector<std::string> list_of(DiagnosticSink& sink, const MapReader& map, std::string_view key) {
  std::vector<std::string> items;
  const auto* entry = map.find(key);
  if (entry == nullptr) return items;
  for (const auto& node : sequence_items(sink, *entry, map.what())) {
    if (!node.IsScalar()) {
      sink.error(position_of(node, entry->value_position),
                 fmt::format("'{}' of {} must list names", key, map.what()));
      continue;
    }
    items.push_back(node.Scalar());
  }
  return items;
}

std::optional<ParsedAlarm> parse_alarm(DiagnosticSink& sink, const YAML::Node& node, Position fallback,
                                       std::size_t index, ParsedUnit& unit, const std::string& unit_what) {
  MapReader map(sink, node, fallback, fmt::format("alarm #{} of {}", index + 1, unit_what));
  if (!map.ok()) return std::nullopt;
  ParsedAlarm alarm;
  alarm.position = map.position();
  const auto id = map.id();
  if (id) map.rename(fmt::format("alarm '{}' of {}", *id, unit_what));
  std::vector<std::string> allowed = kScalarFields;
  allowed.insert(allowed.end(), kListFields.begin(), kListFields.end());
  map.check_keys(allowed, {"id", "kind", "priority"});
  for (const auto& entry : map.entries()) {
    if (!contains(kScalarFields, entry.key) || entry.key == "id") continue;
    const auto text = entry_scalar(sink, entry, map.what());
    if (!text) continue;
    alarm.fields[entry.key] = *text;
    alarm.field_positions[entry.key] = entry.value_position;
    if (scan_references(*text).references.empty()) {
      if (const auto problem = value_problem(entry.key, *text)) {
        sink.error(entry.value_position,
                   fmt::format("'{}' of {} {}, got '{}'", entry.key, map.what(), *problem, *text));
      }
    } else if (entry.key == "kind" || entry.key == "tag" || entry.key == "setpoint_tag") {
      sink.error(entry.value_position,
                 fmt::format("'{}' of {} cannot depend on a parameter", entry.key, map.what()));
    }
  }
  check_alarm_tag(map, "tag", unit);
  check_alarm_tag(map, "setpoint_tag", unit);
  const auto kind =
      alarm.fields.count("kind") != 0 ? alarms::parse_alarm_kind(alarm.fields["kind"]) : std::nullopt;
  if (kind) {
    const bool fault = *kind == model::AlarmKind::PackMLFault;
    if (fault && alarm.fields.count("tag") != 0) {
      sink.error(
          map.find("tag")->value_position,
          fmt::format("{} is a packml_fault alarm: it follows the unit's PackML state and takes no tag",
                      map.what()));
    }
    if (!fault && alarm.fields.count("tag") == 0) {
      sink.error(map.position(), fmt::format("{} needs a 'tag' to watch", map.what()));
    }
    if (fault && unit.model.state_tag == std::nullopt) {
      sink.error(map.position(),
                 fmt::format("{} is a packml_fault alarm but the unit has no state_tag", map.what()));
    }
    if (*kind != model::AlarmKind::Deviation && alarm.fields.count("setpoint_tag") != 0) {
      sink.error(map.find("setpoint_tag")->value_position,
                 fmt::format("setpoint_tag of {} is only for deviation alarms", map.what()));
    }
  }
  for (const auto& name : list_of(sink, map, "active_only_in")) {
    if (const auto state = states::parse_state(name)) {
      alarm.active_only_in.push_back(*state);
    } else {
      sink.error(map.find("active_only_in")->value_position,
                 fmt::format("unknown PackML state '{}' in active_only_in of {}", name, map.what()));
    }
  }
  if (!alarm.active_only_in.empty() && unit.model.state_tag == std::nullopt) {
    sink.error(map.find("active_only_in")->value_position,
               fmt::format("{} is suppressed by PackML state but the unit has no state_tag", map.what()));
  }
  if (map.find("comments_required") != nullptr) {
    alarm.comments_required = model::CommentRules{false, false, false};
    for (const auto& action : list_of(sink, map, "comments_required")) {
      if (action == "acknowledge") {
        alarm.comments_required.acknowledge = true;
      } else if (action == "shelve") {
        alarm.comments_required.shelve = true;
      } else if (action == "out_of_service") {
        alarm.comments_required.out_of_service = true;
      } else {
        sink.error(
            map.find("comments_required")->value_position,
            fmt::format("unknown action '{}' in comments_required of {} (expected acknowledge, shelve, "
                        "out_of_service)",
                        action, map.what()));
      }
    }
  }
  for (const auto& field : list_of(sink, map, "overridable")) {
    if (!contains(kOverridable, field)) {
      sink.error(
          map.find("overridable")->value_position,
          fmt::format("'{}' in overridable of {} cannot be overridden per line (overridable fields: {})",
                      field, map.what(), join(kOverridable)));
      continue;
    }
    alarm.overridable.push_back(field);
  }
  if (!id) return std::nullopt;
  alarm.id = *id;
  return alarm;
}

struct Override {
  std::string text;
  Position position;
};

// The `alarm_overrides:` of a line, by "<unit>.<alarm>" then field.
std::map<std::string, std::map<std::string, Override>> read_overrides(DiagnosticSink& sink,
                                                                      const Entry* entry,
                                                                      const ParsedTemplate& line,
                                                                      const std::string& center_what) {
  std::map<std::string, std::map<std::string, Override>> overrides;
  if (entry == nullptr) return overrides;
  MapReader map(sink, entry->value, entry->value_position, fmt::format("alarm_overrides of {}", center_what));
  for (const auto& target : map.entries()) {
    const auto dot = target.key.find('.');
    const ParsedAlarm* alarm = nullptr;
    if (dot != std::string::npos) {
      for (const auto& unit : line.units) {
        if (unit.model.id != target.key.substr(0, dot)) continue;
        for (const auto& candidate : unit.alarms) {
          if (candidate.id == target.key.substr(dot + 1)) alarm = &candidate;
        }
      }
    }
    if (alarm == nullptr) {
      sink.error(target.key_position,
                 fmt::format("'{}' in {} is not an alarm of {} (expected '<unit>.<alarm>')", target.key,
                             map.what(), line.what));
      continue;
    }
    MapReader fields(sink, target.value, target.value_position, fmt::format("override of '{}'", target.key));
    for (const auto& field : fields.entries()) {
      if (!contains(alarm->overridable, field.key)) {
        sink.error(field.key_position,
                   fmt::format("{} does not let lines override '{}' of alarm '{}' (overridable: {})",
                               line.what, field.key, target.key,
                               alarm->overridable.empty() ? "none" : join(alarm->overridable)));
        continue;
      }
      const auto text = entry_scalar(sink, field, fields.what());
      if (text) overrides[target.key][field.key] = Override{*text, field.value_position};
    }
  }
  return overrides;
}

struct FieldReader {
  DiagnosticSink& sink;
  const ParsedAlarm& alarm;
  const std::map<std::string, Override>& overrides;
  const std::map<std::string, std::string>& values;
  const std::map<std::string, Position>& value_positions;
  std::string what;

  // The field's final text (override, then parameters substituted), or nullopt when absent or broken.
  std::optional<std::string> text(const std::string& field) const {
    if (const auto it = overrides.find(field); it != overrides.end()) {
      if (const auto problem = value_problem(field, it->second.text)) {
        sink.error(it->second.position,
                   fmt::format("override '{}' of {} {}, got '{}'", field, what, *problem, it->second.text));
        return std::nullopt;
      }
      return it->second.text;
    }
    const auto raw = alarm.fields.find(field);
    if (raw == alarm.fields.end()) return std::nullopt;
    const auto substituted = substitute(raw->second, values);
    if (!substituted) return std::nullopt;  // missing parameter, reported with the parameters
    if (scan_references(raw->second).references.empty()) return substituted;  // literal: checked once
    if (const auto problem = value_problem(field, *substituted)) {
      sink.error(blame_position(raw->second, value_positions, alarm.field_positions.at(field)),
                 fmt::format("'{}' of {} {}, got '{}' (from '{}')", field, what, *problem, *substituted,
                             raw->second));
      return std::nullopt;
    }
    return substituted;
  }
  double number(const std::string& field, double fallback) const {
    const auto value = text(field);
    return value ? parse_number(*value).value_or(fallback) : fallback;
  }
  // Where a problem with the field's final value belongs: the override, the instance's parameter value,
  // the template's field, or the alarm itself when the field is not written.
  Position position_of(const std::string& field) const {
    if (const auto it = overrides.find(field); it != overrides.end()) return it->second.position;
    const auto raw = alarm.fields.find(field);
    if (raw == alarm.fields.end()) return alarm.position;
    return blame_position(raw->second, value_positions, alarm.field_positions.at(field));
  }
  Timestamp duration(const std::string& field, Timestamp fallback) const {
    const auto value = text(field);
    return value ? parse_duration_or_zero(*value).value_or(fallback) : fallback;
  }
};

}  // namespace

void parse_unit_alarms(DiagnosticSink& sink, const Entry& entry, ParsedUnit& unit,
                       const std::string& unit_what) {
  DuplicateTracker ids;
  const auto items = sequence_items(sink, entry, unit_what);
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto alarm = parse_alarm(sink, items[i], entry.value_position, i, unit, unit_what);
    if (!alarm) continue;
    if (!ids.add(sink, alarm->id, alarm->position, "alarm id", unit_what)) continue;
    unit.alarms.push_back(std::move(*alarm));
  }
}

void instantiate_alarms(DiagnosticSink& sink, const ParsedTemplate& line, const model::WorkCenter& center,
                        const Entry* overrides_entry, const std::map<std::string, std::string>& values,
                        const std::map<std::string, Position>& value_positions, model::Plant& plant,
                        const std::string& center_what) {
  const auto overrides = read_overrides(sink, overrides_entry, line, center_what);
  static const std::map<std::string, Override> kNone;
  for (const auto& parsed_unit : line.units) {
    const auto unit = std::find_if(center.units.begin(), center.units.end(),
                                   [&](const auto& u) { return u.local_id == parsed_unit.model.id; });
    if (unit == center.units.end()) continue;
    const auto tag_index = [&](const std::optional<std::string>& name) -> std::optional<model::TagIndex> {
      if (!name) return std::nullopt;
      for (const auto index : unit->tags) {
        if (plant.tags[index].definition.name == *name) return index;
      }
      return std::nullopt;
    };
    for (const auto& parsed : parsed_unit.alarms) {
      const auto key = parsed_unit.model.id + "." + parsed.id;
      const auto found = overrides.find(key);
      const FieldReader read{sink,   parsed,          found == overrides.end() ? kNone : found->second,
                             values, value_positions, fmt::format("alarm '{}' in {}", key, center_what)};
      model::AlarmDefinition alarm;
      alarm.id = model::child_id(unit->id, parsed.id);
      alarm.unit_id = unit->id;
      alarm.name = read.text("name").value_or(parsed.id);
      const auto kind = alarms::parse_alarm_kind(read.text("kind").value_or(""));
      if (!kind) continue;  // reported with the template
      alarm.kind = *kind;
      alarm.tag = tag_index(read.text("tag"));
      alarm.setpoint_tag = tag_index(read.text("setpoint_tag"));
      alarm.setpoint = read.number("setpoint", 0.0);
      alarm.normal_value = read.number("normal_value", 0.0);
      alarm.limit = read.number("limit", 0.0);
      alarm.deadband = read.number("deadband", 0.0);
      alarm.on_delay = read.duration("on_delay", 0);
      alarm.off_delay = read.duration("off_delay", 0);
      alarm.max_shelve_duration = read.duration("max_shelve", alarm.max_shelve_duration);
      if (const auto latching = read.text("latching")) alarm.latching = parse_bool(*latching).value_or(false);
      alarm.alarm_class = read.text("class").value_or("");
      alarm.message = read.text("message").value_or(alarm.name);
      alarm.rationalization = model::Rationalization{
          read.text("cause").value_or(""), read.text("consequence").value_or(""),
          read.text("corrective_action").value_or(""), read.duration("max_time_to_respond", 0)};
      alarm.active_only_in = parsed.active_only_in;
      alarm.comments_required = parsed.comments_required;
      const auto priority = read.text("priority").value_or("");
      const auto& priorities = plant.alarm_priorities;
      const auto level = std::find_if(priorities.begin(), priorities.end(),
                                      [&](const auto& p) { return p.name == priority; });
      if (level == priorities.end()) {
        std::vector<std::string> names;
        for (const auto& p : priorities) names.push_back(p.name);
        const auto at =
            found != overrides.end() && found->second.count("priority") != 0
                ? found->second.at("priority").position
                : blame_position(parsed.fields.count("priority") != 0 ? parsed.fields.at("priority") : "",
                                 value_positions,
                                 parsed.field_positions.count("priority") != 0
                                     ? parsed.field_positions.at("priority")
                                     : parsed.position);
        sink.error(at, fmt::format("unknown alarm priority '{}' (the plant's priorities: {})", priority,
                                   join(names)));
        continue;
      }
      alarm.priority = static_cast<std::size_t>(level - priorities.begin());
      // The runtime's own rules (deadband within the limit, nothing negative...), reported at the field.
      if (auto usable = alarms::check_definition(alarm, priorities.size()); !usable) {
        const auto& message = usable.error().message;
        std::string field;
        for (const char* candidate :
             {"deadband", "limit", "on_delay", "off_delay", "setpoint", "max_shelve"}) {
          if (message.find(candidate) != std::string::npos) {
            field = candidate;
            break;
          }
        }
        sink.error(field.empty() ? parsed.position : read.position_of(field), message);
        continue;
      }
      plant.alarms.push_back(std::move(alarm));
    }
  }
}

void read_alarm_settings(DiagnosticSink& sink, const Entry& entry, model::Plant& plant) {
  MapReader map(sink, entry.value, entry.value_position, "the alarms section");
  if (!map.ok()) return;
  map.check_keys({"priorities", "webhooks", "smtp", "escalation"}, {});
  if (const auto* priorities = map.find("priorities")) {
    std::vector<model::AlarmPriority> levels;
    DuplicateTracker names;
    for (const auto& node : sequence_items(sink, *priorities, map.what())) {
      const auto at = position_of(node, priorities->value_position);
      if (!node.IsScalar() || !is_valid_id(node.Scalar())) {
        sink.error(at, "alarm priorities are names like low, medium, high, critical (lowest first)");
        continue;
      }
      if (!names.add(sink, node.Scalar(), at, "alarm priority", map.what())) continue;
      levels.push_back(model::AlarmPriority{node.Scalar(), static_cast<int>(levels.size()) + 1});
    }
    if (levels.empty()) {
      sink.error(priorities->value_position, "the alarms section needs at least one priority");
    } else {
      plant.alarm_priorities = std::move(levels);
    }
  }
}

namespace {

std::vector<std::string> names_of(DiagnosticSink& sink, const MapReader& map, std::string_view key) {
  return list_of(sink, map, key);
}

std::optional<model::WebhookConfig> read_webhook(DiagnosticSink& sink, const YAML::Node& node,
                                                 Position fallback, std::size_t index) {
  MapReader map(sink, node, fallback, fmt::format("webhook #{}", index + 1));
  if (!map.ok()) return std::nullopt;
  map.check_keys({"name", "url", "headers", "timeout", "ca_file"}, {"name", "url"});
  model::WebhookConfig webhook;
  const auto name = map.id("name");
  const auto url = map.scalar("url");
  if (!name || !url) return std::nullopt;
  map.rename(fmt::format("webhook '{}'", *name));
  webhook.name = *name;
  webhook.url = *url;
  if (const auto* headers = map.find("headers")) {
    MapReader fields(sink, headers->value, headers->value_position, fmt::format("headers of {}", map.what()));
    for (const auto& header : fields.entries()) {
      if (const auto value = entry_scalar(sink, header, fields.what()))
        webhook.headers.emplace_back(header.key, *value);
    }
  }
  if (const auto timeout = read_value(map, "timeout", "a duration like 10s", parse_duration))
    webhook.timeout = *timeout;
  webhook.extra_ca_file = map.scalar("ca_file").value_or("");
  if (auto valid = notify::validate_webhook(webhook); !valid) {
    sink.error(map.position(), fmt::format("{}: {}", map.what(), valid.error().message));
    return std::nullopt;
  }
  return webhook;
}

std::optional<model::SmtpConfig> read_smtp(DiagnosticSink& sink, const Entry& entry) {
  MapReader map(sink, entry.value, entry.value_position, "the smtp settings");
  if (!map.ok()) return std::nullopt;
  map.check_keys({"host", "port", "security", "from", "from_name", "username", "password_env", "ca_file",
                  "allow_auth_without_tls", "timeout"},
                 {"host", "from"});
  model::SmtpConfig smtp;
  smtp.host = map.scalar("host").value_or("");
  smtp.from_address = map.scalar("from").value_or("");
  if (const auto name = map.scalar("from_name")) smtp.from_name = *name;
  const auto security = read_value(map, "security", "starttls, tls or none", [](std::string_view text) {
    if (text == "starttls") return std::optional(model::SmtpSecurity::StartTls);
    if (text == "tls") return std::optional(model::SmtpSecurity::ImplicitTls);
    if (text == "none") return std::optional(model::SmtpSecurity::None);
    return std::optional<model::SmtpSecurity>{};
  });
  if (security) smtp.security = *security;
  // Implicit TLS has its own well-known port (RFC 8314); STARTTLS and plain relays use submission / 25.
  smtp.port = smtp.security == model::SmtpSecurity::ImplicitTls ? 465 : 587;
  if (const auto port = read_value(map, "port", "a TCP port 1..65535", [](std::string_view text) {
        const auto number = parse_number(text);
        return number && *number >= 1 && *number <= 65535 && *number == static_cast<int>(*number)
                   ? std::optional(static_cast<unsigned short>(*number))
                   : std::nullopt;
      })) {
    smtp.port = *port;
  }
  smtp.username = map.scalar("username").value_or("");
  smtp.password_env = map.scalar("password_env").value_or("");
  smtp.extra_ca_file = map.scalar("ca_file").value_or("");
  if (const auto allow = read_value(map, "allow_auth_without_tls", "true or false", parse_bool)) {
    smtp.allow_auth_without_tls = *allow;
  }
  if (const auto timeout = read_value(map, "timeout", "a duration like 30s", parse_duration))
    smtp.timeout = *timeout;
  if (!smtp.username.empty() && smtp.password_env.empty()) {
    sink.error(map.position(),
               "the smtp settings name a username but no password_env (the environment variable "
               "holding the password; passwords do not go into the plant file)");
  }
  if (auto valid = notify::validate_smtp(smtp); !valid) {
    sink.error(map.position(), fmt::format("the smtp settings: {}", valid.error().message));
    return std::nullopt;
  }
  return smtp;
}

std::optional<model::EscalationLevel> read_level(DiagnosticSink& sink, const YAML::Node& node,
                                                 Position fallback, const std::string& what,
                                                 const model::AlarmNotifications& sinks) {
  MapReader map(sink, node, fallback, what);
  if (!map.ok()) return std::nullopt;
  map.check_keys({"after", "role", "cockpit", "webhooks", "email"}, {"after", "role"});
  model::EscalationLevel level;
  const auto after = read_value(map, "after", "a duration like 5m", parse_duration_or_zero);
  const auto role = map.scalar("role");
  if (!after || !role) return std::nullopt;
  level.after = *after;
  level.role = *role;
  level.sinks.cockpit = read_value(map, "cockpit", "true or false", parse_bool).value_or(true);
  level.sinks.webhooks = names_of(sink, map, "webhooks");
  for (const auto& name : level.sinks.webhooks) {
    const bool known = std::any_of(sinks.webhooks.begin(), sinks.webhooks.end(),
                                   [&](const auto& webhook) { return webhook.name == name; });
    if (!known)
      sink.error(map.find("webhooks")->value_position, fmt::format("unknown webhook '{}' in {}", name, what));
  }
  level.sinks.email_recipients = names_of(sink, map, "email");
  if (!level.sinks.email_recipients.empty() && !sinks.smtp) {
    sink.error(map.find("email")->value_position,
               fmt::format("{} sends e-mail but the alarms section has no smtp settings", what));
  }
  return level;
}

}  // namespace

void read_alarm_notifications(DiagnosticSink& sink, const Entry& entry, model::Plant& plant) {
  MapReader map(sink, entry.value, entry.value_position, "the alarms section");
  if (!map.ok()) return;
  auto& notifications = plant.alarm_notifications;
  if (const auto* webhooks = map.find("webhooks")) {
    DuplicateTracker names;
    const auto items = sequence_items(sink, *webhooks, map.what());
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto webhook = read_webhook(sink, items[i], webhooks->value_position, i);
      if (!webhook || !names.add(sink, webhook->name, position_of(items[i], webhooks->value_position),
                                 "webhook", map.what())) {
        continue;
      }
      notifications.webhooks.push_back(std::move(*webhook));
    }
  }
  if (const auto* smtp = map.find("smtp")) notifications.smtp = read_smtp(sink, *smtp);
  if (const auto* escalation = map.find("escalation")) {
    const auto items = sequence_items(sink, *escalation, map.what());
    for (std::size_t i = 0; i < items.size(); ++i) {
      MapReader policy_map(sink, items[i], escalation->value_position,
                           fmt::format("escalation policy #{}", i + 1));
      if (!policy_map.ok()) continue;
      policy_map.check_keys({"scope", "priority", "repeat", "levels"}, {"levels"});
      model::EscalationPolicy policy;
      policy.scope = policy_map.scalar("scope").value_or("");
      policy.priority = policy_map.scalar("priority").value_or(std::string(model::kAnyPriority));
      if (!policy.scope.empty() && plant.find_unit(policy.scope) == nullptr &&
          plant.find_work_center(policy.scope) == nullptr) {
        bool known = false;
        for (const auto& site : plant.sites) {
          known = known || site.id == policy.scope;
          for (const auto& area : site.areas) known = known || area.id == policy.scope;
        }
        if (!known) {
          sink.error(
              policy_map.find("scope")->value_position,
              fmt::format("escalation scope '{}' is no site, area, line or unit of the plant", policy.scope));
        }
      }
      const auto& priorities = plant.alarm_priorities;
      if (policy.priority != model::kAnyPriority &&
          std::none_of(priorities.begin(), priorities.end(),
                       [&](const auto& p) { return p.name == policy.priority; })) {
        sink.error(policy_map.find("priority")->value_position,
                   fmt::format("unknown alarm priority '{}' in {} (use '*' for any)", policy.priority,
                               policy_map.what()));
      }
      policy.repeat = read_value(policy_map, "repeat", "a duration like 15m", parse_duration);
      if (const auto* levels = policy_map.find("levels")) {
        const auto nodes = sequence_items(sink, *levels, policy_map.what());
        for (std::size_t l = 0; l < nodes.size(); ++l) {
          auto level = read_level(sink, nodes[l], levels->value_position,
                                  fmt::format("level {} of {}", l + 1, policy_map.what()), notifications);
          if (level) policy.levels.push_back(std::move(*level));
        }
      }
      notifications.escalation.push_back(std::move(policy));
      if (auto valid = notify::validate_policies(notifications.escalation); !valid) {
        sink.error(policy_map.position(), fmt::format("{}: {}", policy_map.what(), valid.error().message));
        notifications.escalation.pop_back();
      }
    }
  }
}

}  // namespace strata::config::detail
