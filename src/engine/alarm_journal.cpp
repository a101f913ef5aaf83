#include "engine/alarm_journal.hpp"

#include "alarms/names.hpp"

namespace strata::engine {

using nlohmann::json;

json alarm_record_json(const alarms::AlarmRecord& record) {
  return {{"alarm_id", record.alarm_id},
          {"state", alarms::to_string(record.state)},
          {"condition_active", record.condition_active},
          {"acknowledged", record.acknowledged},
          {"latched", record.latched},
          {"suppressed_by_design", record.suppressed_by_design},
          {"out_of_service", record.out_of_service},
          {"shelve", alarms::to_string(record.shelve)},
          {"shelved_at", record.shelved_at},
          {"shelve_expires_at", record.shelve_expires_at},
          {"shelved_by", record.shelved_by},
          {"shelve_comment", record.shelve_comment},
          {"active_since", record.active_since},
          {"acknowledged_at", record.acknowledged_at ? json(*record.acknowledged_at) : json(nullptr)},
          {"state_since", record.state_since}};
}

Result<alarms::AlarmRecord> alarm_record_from_json(const json& value) {
  try {
    alarms::AlarmRecord record;
    record.alarm_id = value.at("alarm_id").get<std::string>();
    const auto state = alarms::parse_alarm_state(value.at("state").get<std::string>());
    const auto shelve = alarms::parse_shelve_kind(value.at("shelve").get<std::string>());
    if (!state || !shelve)
      return make_error("alarm record of '" + record.alarm_id + "' has an unknown state");
    record.state = *state;
    record.shelve = *shelve;
    record.condition_active = value.at("condition_active").get<bool>();
    record.acknowledged = value.at("acknowledged").get<bool>();
    record.latched = value.at("latched").get<bool>();
    record.suppressed_by_design = value.at("suppressed_by_design").get<bool>();
    record.out_of_service = value.at("out_of_service").get<bool>();
    record.shelved_at = value.at("shelved_at").get<Timestamp>();
    record.shelve_expires_at = value.at("shelve_expires_at").get<Timestamp>();
    record.shelved_by = value.at("shelved_by").get<std::string>();
    record.shelve_comment = value.at("shelve_comment").get<std::string>();
    record.active_since = value.at("active_since").get<Timestamp>();
    if (!value.at("acknowledged_at").is_null())
      record.acknowledged_at = value.at("acknowledged_at").get<Timestamp>();
    record.state_since = value.at("state_since").get<Timestamp>();
    return record;
  } catch (const json::exception& error) {
    // Journal text is outside data at this border: a malformed record is an error value, not a crash.
    return make_error(std::string("malformed alarm record in the journal: ") + error.what());
  }
}

std::string alarm_event_payload(const alarms::Transition& transition, const alarms::AlarmRecord& after,
                                const model::AlarmDefinition& definition,
                                const model::AlarmPriority& priority) {
  return json{{"from", alarms::to_string(transition.from)},
              {"to", alarms::to_string(transition.to)},
              {"action", alarms::to_string(transition.action)},
              {"at", transition.at},
              {"actor", transition.actor},
              {"comment", transition.comment},
              {"condition_active", transition.condition_active},
              {"unit", definition.unit_id},
              {"priority", priority.name},
              {"record", alarm_record_json(after)}}
      .dump();
}

}  // namespace strata::engine
