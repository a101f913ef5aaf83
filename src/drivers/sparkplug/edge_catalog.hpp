#pragma once
// What the Strata edge node publishes: one Sparkplug device per published work unit, its tags as metrics
// with fixed aliases, and the value conversion from tag values to metric values.
//
// - Device id: the unit's path below the site, '/' -> ':' (model::sparkplug_device_id); the config
//   rejects scopes whose units would share one.
// - Metrics: the unit's tags by name (the PackTags name, e.g. "Status.StateCurrent"), datatype from the
//   tag type; plus "Command.CntrlCmd" (Int32) when the unit has no tag of that name, so hosts see the
//   writable command metric in the DBIRTH.
// - Aliases: 1, 2, ... unique across the edge node, in plant order (units, then their tags); stable while
//   the plant definition is, and only ever used together with the BIRTH that defined them.
// - Quality: a tag value with Bad or Stale quality is published as a null metric (is_null), Good and
//   Uncertain ones with their value.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/sparkplug/payload.hpp"
#include "drivers/sparkplug/topic.hpp"
#include "engine/driver.hpp"
#include "model/plant.hpp"

namespace strata::sparkplug {

inline constexpr std::string_view kCommandMetric = engine::kControlCommandTag;

struct EdgeMetric {
  std::string name{};
  std::uint64_t alias = 0;
  DataType datatype = DataType::Unknown;
  std::optional<model::TagIndex> tag{};  // none for the synthetic command metric
};

struct EdgeDevice {
  std::string device_id{};
  const model::WorkUnit* unit = nullptr;
  std::vector<EdgeMetric> metrics{};
};

struct MetricRef {
  std::size_t device = 0;
  std::size_t metric = 0;
};

class EdgeCatalog {
 public:
  // Errors for device ids that collide (the config normally catches them first).
  [[nodiscard]] static Result<EdgeCatalog> build(const model::Plant& plant,
                                                 const model::SparkplugConnection& connection);

  [[nodiscard]] const std::vector<EdgeDevice>& devices() const { return devices_; }
  [[nodiscard]] std::optional<MetricRef> find_tag(model::TagIndex tag) const;
  [[nodiscard]] std::optional<std::size_t> find_device(std::string_view device_id) const;
  [[nodiscard]] std::optional<std::size_t> find_metric(std::size_t device, std::string_view name) const;
  [[nodiscard]] std::optional<std::size_t> find_alias(std::size_t device, std::uint64_t alias) const;
  [[nodiscard]] std::size_t metric_count() const;

 private:
  std::vector<EdgeDevice> devices_;
  std::vector<std::optional<MetricRef>> by_tag_;  // by TagIndex
};

[[nodiscard]] DataType datatype_of(model::TagType type);
// Null for Bad/Stale quality and for values that do not fit the datatype.
[[nodiscard]] MetricValue metric_value(const model::TagValue& value, DataType datatype);
// Microseconds to the milliseconds Sparkplug timestamps count.
[[nodiscard]] inline std::uint64_t sparkplug_time(Timestamp micros) {
  return micros <= 0 ? 0 : static_cast<std::uint64_t>(micros / kMicrosPerMilli);
}

}  // namespace strata::sparkplug
