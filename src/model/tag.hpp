#pragma once
// Tags: typed process values with quality and two timestamps (source = when the PLC saw it,
// server = when Strata received it), as OPC UA and Sparkplug carry them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/clock.hpp"

namespace strata::model {

enum class TagType : std::uint8_t { Bool, Int32, Int64, Float32, Float64, String };
enum class Quality : std::uint8_t { Good, Uncertain, Bad, Stale };

[[nodiscard]] std::string_view to_string(TagType type);
[[nodiscard]] std::optional<TagType> parse_tag_type(std::string_view text);
[[nodiscard]] std::string_view to_string(Quality quality);

// Integers of every width travel as int64, floats as double; the tag's declared type says how to
// present and store them. monostate means "no value yet".
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

[[nodiscard]] std::optional<double> as_number(const Value& value);

struct TagValue {
  Value value;
  Quality quality = Quality::Bad;
  Timestamp source_time = 0;
  Timestamp server_time = 0;
};

// Index into Plant::tags; the engine's hot path uses indices, never names.
using TagIndex = std::uint32_t;

struct TagDefinition {
  std::string name;  // e.g. "Status.StateCurrent" (PackTags naming)
  TagType type = TagType::Float64;
  std::string engineering_unit;  // e.g. "bpm"
  std::string source;            // driver address, scheme first: "sim:state", "modbus:plc/hr100"
  std::string description;
  // The line-simulator signal ("state", "speed"...) that stands in for the source when the plant is staged
  // (`strata sim --serve`); empty when the source is itself "sim:..." or the tag is not simulated.
  std::string simulate{};
  // How often the source samples the value and how often changes are delivered, for drivers that
  // subscribe (OPC UA); 0 takes the connection's default.
  Timestamp sampling_interval{};
  Timestamp publishing_interval{};
};

// A tag as instantiated in the plant: one per unit and definition.
struct Tag {
  std::string id;       // "<unit id>/<tag name>"
  std::string unit_id;  // owning work unit
  TagDefinition definition;
};

// A new value for one tag, as a driver reports it; the engine stamps server_time on arrival.
struct TagUpdate {
  TagIndex tag = 0;
  Value value;
  Quality quality = Quality::Good;
  Timestamp source_time = 0;
};

// Scheme of a source address: "sim:state" -> "sim", "modbus://host/..." -> "modbus".
[[nodiscard]] std::string_view source_scheme(std::string_view source);

}  // namespace strata::model
