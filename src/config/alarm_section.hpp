#pragma once
// Alarms in a plant definition (ISA-18.2 Master Alarm Database entries):
//  - a unit template's `alarms:` list: what to watch, when it trips, priority, rationalisation, and which
//    fields lines may override (`overridable:`, the template's declared extension points);
//  - a line instance's `alarm_overrides:` ("<unit>.<alarm>": {field: value}), refused for fields the
//    template does not declare overridable, so every local variant is explicit and reportable;
//  - the plant's `alarms:` section: the ordered priority set (default low, medium, high, critical).
#include <map>
#include <string>
#include <vector>

#include "config/template_parser.hpp"
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

void parse_unit_alarms(DiagnosticSink& sink, const Entry& entry, ParsedUnit& unit,
                       const std::string& unit_what);

// Builds the alarm definitions of one line instance (after its units and tags exist) into plant.alarms.
void instantiate_alarms(DiagnosticSink& sink, const ParsedTemplate& line, const model::WorkCenter& center,
                        const Entry* overrides, const std::map<std::string, std::string>& values,
                        const std::map<std::string, Position>& value_positions, model::Plant& plant,
                        const std::string& center_what);

// The `alarms:` section's priorities; runs before the sites so definitions can name priorities.
void read_alarm_settings(DiagnosticSink& sink, const Entry& entry, model::Plant& plant);

// The `alarms:` section's `webhooks:`, `smtp:` and `escalation:`; runs after the sites so policy scopes can
// be checked against the equipment:
//   webhooks: [{ name: teams, url: "https://...", headers: {Authorization: "Bearer ..."}, timeout: 10s,
//                ca_file: /etc/ssl/plant-ca.pem }]
//   smtp: { host: mail.plant.example, port: 587, security: starttls | tls | none, from: strata@plant.example,
//           username: strata, password_env: STRATA_SMTP_PASSWORD, ca_file: ... }
//   escalation:
//     - { scope: bottling/packaging, priority: high, repeat: 15m,     # scope "" = plant, priority "*" = any
//         levels: [{ after: 5m, role: shift_supervisor, cockpit: true, webhooks: [teams], email: [a@b] }] }
void read_alarm_notifications(DiagnosticSink& sink, const Entry& entry, model::Plant& plant);

}  // namespace strata::config::detail
