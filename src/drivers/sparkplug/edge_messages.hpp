#pragma once
// The payloads of the Strata edge node, as pure functions of the catalog and the current values (the
// publisher sets seq): NDEATH (the Will), NBIRTH, DBIRTH and DDATA.
#include <cstdint>
#include <span>
#include <vector>

#include "drivers/sparkplug/edge_catalog.hpp"

namespace strata::sparkplug {

// One changed metric of one device.
struct MetricChange {
  std::uint32_t device = 0;
  std::uint32_t metric = 0;
  model::TagValue value{};
};

// Only the bdSeq metric (Int64), as the spec requires of NDEATH; no seq.
[[nodiscard]] Payload ndeath_payload(std::uint64_t bd_seq, Timestamp now);
// bdSeq, "Node Control/Rebirth" (Boolean false, without alias) and a few Properties.
[[nodiscard]] Payload nbirth_payload(std::uint64_t bd_seq, Timestamp now);
// Every metric of the device with name, alias, datatype and current value.
[[nodiscard]] Payload dbirth_payload(const EdgeDevice& device, std::span<const model::TagValue> values,
                                     Timestamp now);
// The changes of one device. Live: by alias alone. Historical (for the store-and-forward queue): by name
// (aliases belong to a BIRTH, and the stored record may outlive it) with is_historical set; the drain
// swaps names for the aliases of the BIRTH current when it is sent (see resolve_aliases).
[[nodiscard]] Payload ddata_payload(const EdgeDevice& device, std::span<const MetricChange> changes,
                                    Timestamp now, bool historical);
// Replaces metric names by the device's current aliases; metrics unknown to the device are removed
// (their count is returned) since the host could not interpret them.
std::size_t resolve_aliases(const EdgeCatalog& catalog, std::size_t device, Payload& payload);

}  // namespace strata::sparkplug
