#include "drivers/modbus/poll_planner.hpp"

#include <algorithm>
#include <numeric>

namespace strata::modbus {

PlanLimits plan_limits(const ConnectionSettings& settings) {
  return PlanLimits{.max_registers = settings.max_registers_per_request,
                    .max_bits = settings.max_bits_per_request,
                    .max_register_gap = settings.max_register_gap,
                    .max_bit_gap = settings.max_bit_gap};
}

std::vector<ReadRequest> plan_reads(std::span<const AddressSpan> spans, const PlanLimits& limits) {
  std::vector<std::size_t> order(spans.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (spans[a].table != spans[b].table) return spans[a].table < spans[b].table;
    return spans[a].offset < spans[b].offset;
  });

  std::vector<ReadRequest> requests;
  for (const auto index : order) {
    const auto& span = spans[index];
    const bool bits = span.table == Table::Coil || span.table == Table::DiscreteInput;
    const int max_size = bits ? limits.max_bits : limits.max_registers;
    const int max_gap = bits ? limits.max_bit_gap : limits.max_register_gap;
    if (!requests.empty()) {
      auto& current = requests.back();
      const int current_end = current.offset + current.count;  // one past the last address
      const int merged_end = std::max(current_end, span.offset + span.count);
      // Sorted by offset, so span.offset >= current.offset; overlapping spans have a negative gap.
      if (current.table == span.table && span.offset - current_end <= max_gap &&
          merged_end - current.offset <= max_size) {
        current.count = merged_end - current.offset;
        current.spans.push_back(index);
        continue;
      }
    }
    requests.push_back(
        ReadRequest{.table = span.table, .offset = span.offset, .count = span.count, .spans = {index}});
  }
  return requests;
}

}  // namespace strata::modbus
