#include "api/json_views.hpp"

namespace strata::api {

using nlohmann::json;

namespace {

json hierarchy_node(const std::string& id, const std::string& name) {
  return json{{"id", id}, {"name", name}};
}

const char* state_type_name(states::PackMLState state) {
  switch (states::state_type(state)) {
    case states::StateType::Wait:
      return "Wait";
    case states::StateType::Acting:
      return "Acting";
    case states::StateType::Dual:
      return "Dual";
    case states::StateType::Undefined:
      break;
  }
  return "Undefined";
}

}  // namespace

json value_json(const model::Value& value) {
  return std::visit(
      [](const auto& v) -> json {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return nullptr;
        } else {
          return v;
        }
      },
      value);
}

json tag_value_json(const model::TagValue& value) {
  return json{{"value", value_json(value.value)},
              {"quality", model::to_string(value.quality)},
              {"source_time", value.source_time},
              {"server_time", value.server_time}};
}

json tag_json(const engine::PlantState& state, model::TagIndex index) {
  const auto& tag = state.plant->tags[index];
  auto result = tag_value_json(state.values[index]);
  result["id"] = tag.id;
  result["unit"] = tag.unit_id;
  result["name"] = tag.definition.name;
  result["type"] = model::to_string(tag.definition.type);
  result["engineering_unit"] = tag.definition.engineering_unit;
  result["source"] = tag.definition.source;
  return result;
}

json tag_change_json(const engine::PlantState& state, model::TagIndex index) {
  const auto& tag = state.plant->tags[index];
  auto result = tag_value_json(state.values[index]);
  result["unit"] = tag.unit_id;
  result["name"] = tag.definition.name;
  return result;
}

json unit_state_json(const engine::UnitRuntime& runtime) {
  const auto state = runtime.machine.state();
  json allowed = json::array();
  if (runtime.state_reported) {
    for (const auto command : states::allowed_commands(state)) allowed.push_back(states::to_string(command));
  }
  return json{{"id", runtime.unit->id},
              {"state", states::to_string(state)},
              {"state_number", static_cast<int>(state)},
              {"state_type", state_type_name(state)},
              {"mode", states::to_string_mode(runtime.machine.mode())},
              {"mode_number", runtime.machine.mode()},
              {"since", runtime.since},
              {"allowed_commands", std::move(allowed)}};
}

json unit_json(const engine::PlantState& state, const engine::UnitRuntime& runtime) {
  auto result = unit_state_json(runtime);
  result["name"] = runtime.unit->name;
  result["local_id"] = runtime.unit->local_id;
  result["level"] = model::to_string(runtime.unit->level);
  result["work_center"] = parent_id(runtime.unit->id);
  json tags = json::object();
  for (const auto index : runtime.unit->tags) {
    tags[state.plant->tags[index].definition.name] = tag_value_json(state.values[index]);
  }
  result["tags"] = std::move(tags);
  return result;
}

json units_json(const engine::PlantState& state) {
  json result = json::array();
  for (const auto& runtime : state.units) result.push_back(unit_json(state, runtime));
  return result;
}

json plant_json(const model::Plant& plant, const std::function<bool(const std::string&)>& visible) {
  json sites = json::array();
  for (const auto& site : plant.sites) {
    json areas = json::array();
    for (const auto& area : site.areas) {
      json centers = json::array();
      for (const auto& center : area.work_centers) {
        json units = json::array();
        for (const auto& unit : center.units) {
          if (!visible(unit.id)) continue;
          units.push_back(json{{"id", unit.id},
                               {"local_id", unit.local_id},
                               {"name", unit.name},
                               {"level", model::to_string(unit.level)}});
        }
        if (units.empty() && !visible(center.id)) continue;
        auto node = hierarchy_node(center.id, center.name);
        node["level"] = model::to_string(center.level);
        node["template"] = json{{"id", center.template_ref.id}, {"version", center.template_ref.version}};
        node["parameters"] = center.parameters;
        node["units"] = std::move(units);
        centers.push_back(std::move(node));
      }
      if (centers.empty()) continue;
      auto node = hierarchy_node(area.id, area.name);
      node["level"] = "Area";
      node["work_centers"] = std::move(centers);
      areas.push_back(std::move(node));
    }
    if (areas.empty()) continue;
    auto node = hierarchy_node(site.id, site.name);
    node["level"] = "Site";
    node["areas"] = std::move(areas);
    sites.push_back(std::move(node));
  }
  auto enterprise = hierarchy_node(plant.enterprise.id, plant.enterprise.name);
  enterprise["level"] = "Enterprise";
  json shifts = json::array();
  for (const auto& shift : plant.calendar.shifts) shifts.push_back(shift.name);
  // Clients show plant-local times and shift names as the plant reads them, not in the browser's zone.
  json calendar{{"utc_offset_minutes", plant.calendar.utc_offset / (60 * kMicrosPerSecond)},
                {"shifts", std::move(shifts)},
                {"around_the_clock", plant.calendar.around_the_clock()}};
  return json{
      {"enterprise", std::move(enterprise)}, {"sites", std::move(sites)}, {"calendar", std::move(calendar)}};
}

json history_record_json(const store::HistoryRecord& record) {
  return json{{"value", value_json(record.value)},
              {"quality", model::to_string(record.quality)},
              {"source_time", record.source_time},
              {"server_time", record.server_time}};
}

json event_json(const store::JournalEvent& event) {
  json payload = json::parse(event.payload, nullptr, false);
  if (payload.is_discarded()) payload = event.payload;
  return json{{"seq", event.seq},
              {"time", event.time},
              {"kind", event.kind},
              {"subject", event.subject},
              {"payload", std::move(payload)}};
}

json packml_reference_json() {
  json state_list = json::array();
  for (int number = 1; number < states::kStateCount; ++number) {
    const auto state = *states::state_from_number(number);
    const auto complete = states::target_of_state_complete(state);
    json allowed = json::array();
    for (const auto command : states::allowed_commands(state)) allowed.push_back(states::to_string(command));
    state_list.push_back(
        json{{"number", number},
             {"name", states::to_string(state)},
             {"type", state_type_name(state)},
             {"mandatory", states::is_mandatory(state)},
             {"allowed_commands", std::move(allowed)},
             {"state_complete_target", complete ? json(states::to_string(*complete)) : json(nullptr)}});
  }
  json command_list = json::array();
  for (int number = 1; number < states::kCommandCount; ++number) {
    command_list.push_back(
        json{{"number", number}, {"name", states::to_string(*states::command_from_number(number))}});
  }
  return json{{"states", std::move(state_list)}, {"commands", std::move(command_list)}};
}

std::string to_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string parent_id(const std::string& id) {
  const auto slash = id.rfind('/');
  return slash == std::string::npos ? std::string{} : id.substr(0, slash);
}

}  // namespace strata::api
