#pragma once
// Converting a Sparkplug metric value into the value type of the tag it feeds.
#include <optional>

#include "drivers/sparkplug/payload.hpp"
#include "model/tag.hpp"

namespace strata::sparkplug {

// nullopt when the value does not fit the tag (a string into a number tag, an out-of-range integer,
// a non-finite float into an integer tag, a null); the host then marks the tag Bad.
[[nodiscard]] std::optional<model::Value> to_tag_value(const MetricValue& value, model::TagType type);

}  // namespace strata::sparkplug
