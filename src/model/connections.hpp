#pragma once
// Connections to PLCs that tag sources refer to ("modbus:<connection>/hr100"): plain data from the plant's
// `connections:` section, used by the drivers.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace strata::model {

// Where a unit's PackML command goes, following the PackTags handshake: write Command.CntrlCmd =
// command number, then set Command.CmdChangeRequest = 1 (the PLC latches the command and clears it).
// Addresses are in the connection's own syntax without "<scheme>:<connection>/": "hr200:int32" and "coil12"
// for Modbus, node ids for OPC UA.
struct CommandWrite {
  std::string unit_id;                        // WorkUnit::id, e.g. "bottling/packaging/L1/filler"
  std::string control_command;                // Command.CntrlCmd: an integer register or variable
  std::optional<std::string> change_request;  // Command.CmdChangeRequest: a coil, a bit, a Boolean
};
using ModbusCommandWrite = CommandWrite;

struct ReconnectPolicy {
  std::chrono::milliseconds initial{500};  // wait after a loss or failed attempt; doubles per failure
  std::chrono::milliseconds max{30'000};
};

struct ModbusConnection {
  static constexpr int kProtocolMaxRegisters = 125;  // FC3/FC4 read limit
  static constexpr int kProtocolMaxBits = 2000;      // FC1/FC2 read limit

  std::string name;  // what tag sources refer to: modbus:<name>/hr100
  std::string host;  // IPv4/IPv6 address or host name
  int port = 502;
  int unit_id = 1;  // Modbus unit identifier (slave id); gateways route on it, most PLCs ignore it
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds response_timeout{1000};  // per request, and for connecting
  int max_registers_per_request = kProtocolMaxRegisters;
  int max_bits_per_request = kProtocolMaxBits;
  // Unused addresses a read may span to merge two neighbouring requests into one; 0 when the device
  // answers "illegal data address" for unmapped addresses.
  int max_register_gap = 8;
  int max_bit_gap = 64;
  ReconnectPolicy reconnect;
  // Units commanded through this connection; a unit may instead have tags named Command.CntrlCmd
  // (and Command.CmdChangeRequest) with modbus sources, which the driver uses when no entry here names it.
  std::vector<ModbusCommandWrite> commands;
};

}  // namespace strata::model
