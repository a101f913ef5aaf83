#pragma once
// Counters of one Modbus connection, for /metrics and diagnostics. Monotonic except `connected`.
#include <cstdint>
#include <string>

#include "common/clock.hpp"

namespace strata::modbus {

struct ConnectionStats {
  std::string connection;  // ConnectionSettings::name
  bool connected = false;
  std::uint64_t polls = 0;             // completed poll cycles (every request answered or refused)
  std::uint64_t requests = 0;          // Modbus requests sent: reads and command writes
  std::uint64_t errors = 0;            // failed requests and failed connection attempts
  std::uint64_t reconnects = 0;        // connections re-established after a loss
  std::uint64_t commands_written = 0;  // complete handshakes (CntrlCmd and CmdChangeRequest)
  std::uint64_t commands_failed = 0;   // refused by the device or dropped by a connection loss
  std::uint64_t values_pushed = 0;     // tag updates handed to the engine (changes only)
  double read_seconds_sum = 0;         // round trips of answered read requests
  std::uint64_t reads_answered = 0;
  std::string last_error;              // empty until the first error
  Timestamp last_error_time = 0;       // injected clock
};

}  // namespace strata::modbus
