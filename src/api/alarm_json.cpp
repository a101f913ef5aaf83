#include "api/alarm_json.hpp"

#include "alarms/names.hpp"
#include "kpi/interval.hpp"

namespace strata::api {
namespace {

using nlohmann::json;

json optional_time(const std::optional<Timestamp>& at) {
  return at ? json(*at) : json(nullptr);
}

std::string_view rating_name(alarms::RateRating rating) {
  switch (rating) {
    case alarms::RateRating::Manageable:
      return "manageable";
    case alarms::RateRating::Overloaded:
      return "overloaded";
    case alarms::RateRating::Acceptable:
      break;
  }
  return "acceptable";
}

std::string_view band_name(alarms::EemuaBand band) {
  switch (band) {
    case alarms::EemuaBand::Manageable:
      return "manageable";
    case alarms::EemuaBand::LikelyOverDemanding:
      return "likely over-demanding";
    case alarms::EemuaBand::VeryLikelyUnacceptable:
      return "very likely unacceptable";
    case alarms::EemuaBand::VeryLikelyAcceptable:
      break;
  }
  return "very likely acceptable";
}

json rate_json(const alarms::AlarmRate& rate) {
  return {{"average", rate.average}, {"rating", rating_name(rate.rating)}};
}

json counts_json(const std::vector<alarms::AlarmCount>& counts) {
  json list = json::array();
  for (const auto& count : counts) {
    list.push_back({{"alarm", count.alarm_id}, {"count", count.count}, {"percent", count.percent}});
  }
  return list;
}

json settings_json(const alarms::ConditionSettings& settings) {
  return {{"limit", settings.limit},
          {"deadband", settings.deadband},
          {"on_delay", kpi::to_seconds(settings.on_delay)},
          {"off_delay", kpi::to_seconds(settings.off_delay)}};
}

}  // namespace

json alarm_json(const alarms::AlarmView& view, const alarms::AlarmBook& book) {
  const auto& definition = *view.definition;
  const auto& record = view.record;
  const auto& priority = book.priorities()[definition.priority];
  json shelve = nullptr;
  if (record.shelve != alarms::ShelveKind::None) {
    shelve = {{"kind", alarms::to_string(record.shelve)},
              {"at", record.shelved_at},
              {"expires_at", record.shelve_expires_at},
              {"by", record.shelved_by},
              {"comment", record.shelve_comment}};
  }
  json active_only_in = json::array();
  for (const auto state : definition.active_only_in) active_only_in.push_back(states::to_string(state));
  return {{"id", definition.id},
          {"name", definition.name},
          {"unit", definition.unit_id},
          {"kind", alarms::to_string(definition.kind)},
          {"priority", {{"name", priority.name}, {"rank", priority.rank}}},
          {"class", definition.alarm_class},
          {"message", definition.message},
          {"limit", definition.limit},
          {"state", alarms::to_string(record.state)},
          {"condition_active", record.condition_active},
          {"acknowledged", record.acknowledged},
          {"latched", record.latched},
          {"active_since", record.active_since},
          {"acknowledged_at", optional_time(record.acknowledged_at)},
          {"state_since", record.state_since},
          {"shelve", std::move(shelve)},
          {"max_shelve", kpi::to_seconds(definition.max_shelve_duration)},
          {"comments_required",
           {{"acknowledge", definition.comments_required.acknowledge},
            {"shelve", definition.comments_required.shelve},
            {"out_of_service", definition.comments_required.out_of_service}}},
          {"active_only_in", std::move(active_only_in)},
          {"rationalization",
           {{"cause", definition.rationalization.cause},
            {"consequence", definition.rationalization.consequence},
            {"corrective_action", definition.rationalization.corrective_action},
            {"max_time_to_respond", kpi::to_seconds(definition.rationalization.max_time_to_respond)}}}};
}

json transition_json(const alarms::Transition& transition) {
  return {{"alarm", transition.alarm_id},
          {"from", alarms::to_string(transition.from)},
          {"to", alarms::to_string(transition.to)},
          {"action", alarms::to_string(transition.action)},
          {"at", transition.at},
          {"actor", transition.actor},
          {"comment", transition.comment},
          {"condition_active", transition.condition_active}};
}

json alarm_kpi_json(const alarms::KpiReport& report, const std::vector<model::AlarmPriority>& priorities) {
  json positions = json::array();
  for (const auto& position : report.positions) {
    json floods = json::array();
    for (const auto& flood : position.floods) {
      floods.push_back({{"begin", flood.begin},
                        {"end", flood.end},
                        {"alarms", flood.alarms},
                        {"peak_10min", flood.peak_10min}});
    }
    json chattering = json::array();
    for (const auto& alarm : position.chattering) {
      chattering.push_back({{"alarm", alarm.alarm_id},
                            {"activations", alarm.activations},
                            {"peak_in_window", alarm.peak_in_window}});
    }
    json mix = json::array();
    for (const auto& share : position.priorities) {
      mix.push_back({{"priority", share.priority < priorities.size() ? priorities[share.priority].name : "?"},
                     {"count", share.count},
                     {"percent", share.percent},
                     {"target_percent", share.target_percent ? json(*share.target_percent) : json(nullptr)}});
    }
    positions.push_back({{"position", position.position},
                         {"annunciated", position.annunciated},
                         {"not_annunciated", position.not_annunciated},
                         {"per_day", rate_json(position.per_day)},
                         {"per_hour", rate_json(position.per_hour)},
                         {"per_10min", rate_json(position.per_10min)},
                         {"eemua_band", band_name(position.eemua_band)},
                         {"intervals", position.intervals},
                         {"peak_10min", position.peak_10min},
                         {"percent_intervals_over_10", position.percent_intervals_over_10},
                         {"percent_hours_over_30", position.percent_hours_over_30},
                         {"floods", std::move(floods)},
                         {"time_in_flood", kpi::to_seconds(position.time_in_flood)},
                         {"percent_intervals_in_flood", position.percent_intervals_in_flood},
                         {"percent_time_in_flood", position.percent_time_in_flood},
                         {"alarms_in_flood", position.alarms_in_flood},
                         {"bad_actors", counts_json(position.bad_actors)},
                         {"top10_percent", position.top10_percent},
                         {"chattering", std::move(chattering)},
                         {"fleeting", counts_json(position.fleeting)},
                         {"fleeting_activations", position.fleeting_activations},
                         {"standing", position.standing},
                         {"stale", position.stale},
                         {"shelved", position.shelved},
                         {"priority_mix", std::move(mix)}});
  }
  return {{"from", report.period.begin},
          {"to", report.period.end},
          {"targets",
           {{"isa_18_2",
             {{"per_day", {150, 300}}, {"per_hour", {6, 12}}, {"per_10min", {1, 2}}, {"flood_percent", 1}}},
            {"eemua_191", {{"standing", 10}, {"shelved", 30}}}}},
          {"positions", std::move(positions)}};
}

json calibration_json(const alarms::CalibrationReport& report) {
  return {{"alarm", report.alarm_id},
          {"current", settings_json(report.current)},
          {"proposed", settings_json(report.proposed)},
          {"activations_before", report.before.activations.size()},
          {"activations_after", report.after.activations.size()},
          {"chattering_before", report.before.chattering_activations},
          {"chattering_after", report.after.chattering_activations},
          {"removed", report.before.activations.size() -
                          std::min(report.before.activations.size(), report.after.activations.size())},
          {"rationale", report.rationale}};
}

}  // namespace strata::api
