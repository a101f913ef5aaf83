#pragma once
// The optional `security:` section of a plant definition: session lifetimes, lock-out and the
// actions that need an electronic signature.
#include "config/yaml_reader.hpp"
#include "model/plant.hpp"

namespace strata::config::detail {

void read_security(DiagnosticSink& sink, const Entry& entry, model::SecuritySettings& settings);

}  // namespace strata::config::detail
