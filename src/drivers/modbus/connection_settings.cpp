#include "drivers/modbus/connection_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "drivers/modbus/command_target.hpp"
#include "drivers/modbus/modbus_address.hpp"

namespace strata::modbus {
namespace {

// The widest value (int64/float64) must fit one request.
constexpr int kMinRegistersPerRequest = 4;
constexpr int kMaxUnitId = 255;
constexpr int kMaxPort = 65535;

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

Result<void> validate(const ConnectionSettings& settings) {
  std::string problems;
  const auto add = [&](const std::string& problem) {
    if (!problems.empty()) problems += "; ";
    problems += fmt::format("modbus connection '{}': {}", settings.name, problem);
  };
  if (!valid_name(settings.name)) add("the name may contain only letters, digits, '_', '-' and '.'");
  if (settings.host.empty()) add("host is missing");
  if (settings.port < 1 || settings.port > kMaxPort)
    add(fmt::format("port {} is not in 1..{}", settings.port, kMaxPort));
  if (settings.unit_id < 0 || settings.unit_id > kMaxUnitId) {
    add(fmt::format("unit id {} is not in 0..{}", settings.unit_id, kMaxUnitId));
  }
  if (settings.poll_interval.count() <= 0) add("poll interval must be positive");
  if (settings.response_timeout.count() <= 0) add("response timeout must be positive");
  if (settings.max_registers_per_request < kMinRegistersPerRequest ||
      settings.max_registers_per_request > ConnectionSettings::kProtocolMaxRegisters) {
    add(fmt::format("max registers per request {} is not in {}..{}", settings.max_registers_per_request,
                    kMinRegistersPerRequest, ConnectionSettings::kProtocolMaxRegisters));
  }
  if (settings.max_bits_per_request < 1 ||
      settings.max_bits_per_request > ConnectionSettings::kProtocolMaxBits) {
    add(fmt::format("max bits per request {} is not in 1..{}", settings.max_bits_per_request,
                    ConnectionSettings::kProtocolMaxBits));
  }
  if (settings.max_register_gap < 0 || settings.max_bit_gap < 0) add("gaps must not be negative");
  if (settings.reconnect.initial.count() <= 0 || settings.reconnect.max < settings.reconnect.initial) {
    add("reconnect backoff needs 0 < initial <= max");
  }
  for (const auto& command : settings.commands) {
    if (command.unit_id.empty()) add("a commands entry has no unit id");
    const auto what = fmt::format("commands of unit '{}'", command.unit_id);
    if (auto control = parse_modbus_address(command.control_command, command.control_command); !control) {
      add(fmt::format("{}: {}", what, control.error().message));
    } else if (auto writable = check_control_command_address(*control, command.control_command); !writable) {
      add(fmt::format("{}: {}", what, writable.error().message));
    }
    if (!command.change_request) continue;
    if (auto request = parse_modbus_address(*command.change_request, *command.change_request); !request) {
      add(fmt::format("{}: {}", what, request.error().message));
    } else if (auto settable = check_change_request_address(*request, *command.change_request); !settable) {
      add(fmt::format("{}: {}", what, settable.error().message));
    }
  }
  if (problems.empty()) return {};
  return make_error(problems);
}

}  // namespace strata::modbus
