#pragma once
// JSON shapes of the API, shared by REST replies and the WebSocket stream so both always agree.
#include <functional>
#include <nlohmann/json.hpp>

#include "engine/plant_state.hpp"
#include "store/store.hpp"

namespace strata::api {

[[nodiscard]] nlohmann::json value_json(const model::Value& value);
[[nodiscard]] nlohmann::json tag_value_json(const model::TagValue& value);
[[nodiscard]] nlohmann::json tag_json(const engine::PlantState& state, model::TagIndex index);
[[nodiscard]] nlohmann::json tag_change_json(const engine::PlantState& state, model::TagIndex index);
[[nodiscard]] nlohmann::json unit_state_json(const engine::UnitRuntime& runtime);
[[nodiscard]] nlohmann::json unit_json(const engine::PlantState& state, const engine::UnitRuntime& runtime);
[[nodiscard]] nlohmann::json units_json(const engine::PlantState& state);
// The hierarchy down to the work centers and units `visible` accepts (by id); sites and areas
// without anything visible are left out.
[[nodiscard]] nlohmann::json plant_json(const model::Plant& plant,
                                        const std::function<bool(const std::string&)>& visible);
[[nodiscard]] nlohmann::json history_record_json(const store::HistoryRecord& record);
[[nodiscard]] nlohmann::json event_json(const store::JournalEvent& event);
[[nodiscard]] nlohmann::json packml_reference_json();

// Serializes without throwing on invalid UTF-8 (a PLC string, a percent-decoded path): such bytes
// become U+FFFD instead of turning an answer into an exception.
[[nodiscard]] std::string to_text(const nlohmann::json& value);

// "site/area/line/unit" -> "site/area/line"
[[nodiscard]] std::string parent_id(const std::string& id);

}  // namespace strata::api
