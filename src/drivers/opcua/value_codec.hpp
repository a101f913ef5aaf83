#pragma once
// Values between the connector's JSON (docs/connector-protocol.md, "Values") and model::Value. The
// server's variable may be of another type than the tag (an Int16 variable behind an int32 tag); any
// value that fits the tag's type is accepted.
#include <nlohmann/json.hpp>
#include <optional>

#include "model/tag.hpp"

namespace strata::opcua {

// The value for a tag of `type`, or nullopt when `json` does not fit it: bool from true/false; integers
// from integral numbers and decimal strings (64-bit values travel as strings), int32 tags only within
// range; floats from any number; strings from strings. null (an empty variant) never fits.
[[nodiscard]] std::optional<model::Value> value_from_json(const nlohmann::json& json, model::TagType type);

// "good" -> Good, "uncertain" -> Uncertain, anything else -> Bad.
[[nodiscard]] model::Quality quality_from_json(const nlohmann::json& json);

// A value for a write of `data_type` (Int64/UInt64 as decimal strings).
[[nodiscard]] nlohmann::json value_to_json(const model::Value& value, std::string_view data_type);

}  // namespace strata::opcua
