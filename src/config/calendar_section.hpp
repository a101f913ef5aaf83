#pragma once
// The optional `calendar:` section of a plant definition: the shift pattern, days off, holidays and
// planned downtime that ISO 22400 KPIs need to separate planned time from losses.
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

// Fills plant.calendar. Runs after the hierarchy is built so that planned-downtime scopes can be checked
// against the plant's equipment paths.
void read_calendar(DiagnosticSink& sink, const Entry& entry, model::Plant& plant);

}  // namespace strata::config::detail
