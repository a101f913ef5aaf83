#pragma once
// Groups the addresses a connection polls into as few read requests as the protocol and device
// allow: sorted per table, neighbours merged while the request stays within the size limit and the
// unused addresses between them stay within the gap limit. Pure, so it is tested without a server.
#include <cstddef>
#include <span>
#include <vector>

#include "drivers/modbus/connection_settings.hpp"
#include "drivers/modbus/modbus_address.hpp"

namespace strata::modbus {

struct PlanLimits {
  int max_registers = ConnectionSettings::kProtocolMaxRegisters;
  int max_bits = ConnectionSettings::kProtocolMaxBits;
  int max_register_gap = 8;
  int max_bit_gap = 64;
};

[[nodiscard]] PlanLimits plan_limits(const ConnectionSettings& settings);

// What one value needs read: `count` registers (ir/hr) or bits (coil/di) from `offset`.
struct AddressSpan {
  Table table = Table::HoldingRegister;
  int offset = 0;
  int count = 1;
};

struct ReadRequest {
  Table table = Table::HoldingRegister;
  int offset = 0;
  int count = 0;
  std::vector<std::size_t> spans;  // indices into the planner's input, all inside [offset, offset + count)
};

// Requests in table order (coil, di, ir, hr), then by offset. Every span lands in exactly one request;
// a span wider than the limit (impossible after validation) gets a request of its own.
[[nodiscard]] std::vector<ReadRequest> plan_reads(std::span<const AddressSpan> spans,
                                                  const PlanLimits& limits);

}  // namespace strata::modbus
