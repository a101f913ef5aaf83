#pragma once
// The signals the line simulator produces, addressed as "sim:<signal>" in a tag's source.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::sim {

enum class Signal : std::uint8_t { State, Mode, Speed, Processed, Defective, Blocked, Starved, StopReason };

[[nodiscard]] std::string_view to_string(Signal signal);
// "state", "stop_reason"...; exact spelling, as written in templates.
[[nodiscard]] std::optional<Signal> parse_signal(std::string_view name);
// The signal part of a source address: "sim:speed" -> "speed"; empty when the scheme is not "sim".
[[nodiscard]] std::string_view sim_signal_name(std::string_view source);
// "state, mode, speed, ..." for error messages.
[[nodiscard]] std::string known_signal_names();

}  // namespace strata::sim
