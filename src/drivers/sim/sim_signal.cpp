#include "drivers/sim/sim_signal.hpp"

#include <array>
#include <utility>

#include "common/name_table.hpp"
#include "model/tag.hpp"

namespace strata::sim {
namespace {

constexpr NameTable<Signal, 8> kSignalNames{{
    {Signal::State, "state"},
    {Signal::Mode, "mode"},
    {Signal::Speed, "speed"},
    {Signal::Processed, "processed"},
    {Signal::Defective, "defective"},
    {Signal::Blocked, "blocked"},
    {Signal::Starved, "starved"},
    {Signal::StopReason, "stop_reason"},
}};

}  // namespace

std::string_view to_string(Signal signal) {
  return name_of(kSignalNames, signal, "unknown");
}

std::optional<Signal> parse_signal(std::string_view name) {
  return value_of(kSignalNames, name);
}

std::string_view sim_signal_name(std::string_view source) {
  if (model::source_scheme(source) != "sim") return {};
  auto name = source.substr(source.find(':') + 1);
  // Tolerate the URL-like spelling "sim://speed" too.
  if (name.starts_with("//")) name.remove_prefix(2);
  return name;
}

std::string known_signal_names() {
  std::string text;
  for (const auto& [value, name] : kSignalNames) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

}  // namespace strata::sim
