#include "drivers/sparkplug/edge_messages.hpp"

#include <algorithm>

namespace strata::sparkplug {
namespace {

Metric bd_seq_metric(std::uint64_t bd_seq, Timestamp now) {
  return Metric{.name = std::string(kBdSeqMetric),
                .timestamp = sparkplug_time(now),
                .datatype = DataType::Int64,
                .value = static_cast<std::int64_t>(bd_seq)};
}

std::uint64_t value_time(const model::TagValue& value, Timestamp now) {
  if (value.source_time > 0) return sparkplug_time(value.source_time);
  if (value.server_time > 0) return sparkplug_time(value.server_time);
  return sparkplug_time(now);
}

}  // namespace

Payload ndeath_payload(std::uint64_t bd_seq, Timestamp now) {
  return Payload{.timestamp = sparkplug_time(now), .metrics = {bd_seq_metric(bd_seq, now)}};
}

Payload nbirth_payload(std::uint64_t bd_seq, Timestamp now) {
  const auto time = sparkplug_time(now);
  Payload payload{.timestamp = time};
  payload.metrics.push_back(bd_seq_metric(bd_seq, now));
  payload.metrics.push_back(Metric{
      .name = std::string(kRebirthMetric), .timestamp = time, .datatype = DataType::Boolean, .value = false});
  payload.metrics.push_back(Metric{.name = "Properties/Hardware Make",
                                   .timestamp = time,
                                   .datatype = DataType::String,
                                   .value = std::string("Strata")});
  payload.metrics.push_back(Metric{.name = "Properties/Software Description",
                                   .timestamp = time,
                                   .datatype = DataType::String,
                                   .value = std::string("Strata MES/SCADA core")});
  return payload;
}

Payload dbirth_payload(const EdgeDevice& device, std::span<const model::TagValue> values, Timestamp now) {
  Payload payload{.timestamp = sparkplug_time(now)};
  payload.metrics.reserve(device.metrics.size());
  for (std::size_t i = 0; i < device.metrics.size(); ++i) {
    const auto& metric = device.metrics[i];
    const auto& value = values[i];
    payload.metrics.push_back(Metric{.name = metric.name,
                                     .alias = metric.alias,
                                     .timestamp = value_time(value, now),
                                     .datatype = metric.datatype,
                                     .value = metric_value(value, metric.datatype)});
  }
  return payload;
}

Payload ddata_payload(const EdgeDevice& device, std::span<const MetricChange> changes, Timestamp now,
                      bool historical) {
  Payload payload{.timestamp = sparkplug_time(now)};
  payload.metrics.reserve(changes.size());
  for (const auto& change : changes) {
    const auto& metric = device.metrics[change.metric];
    Metric out{.timestamp = value_time(change.value, now),
               .datatype = metric.datatype,
               .is_historical = historical,
               .value = metric_value(change.value, metric.datatype)};
    if (historical) {
      out.name = metric.name;
    } else {
      out.alias = metric.alias;
    }
    payload.metrics.push_back(std::move(out));
  }
  return payload;
}

std::size_t resolve_aliases(const EdgeCatalog& catalog, std::size_t device, Payload& payload) {
  const auto before = payload.metrics.size();
  std::erase_if(payload.metrics, [&](Metric& metric) {
    const auto index = catalog.find_metric(device, metric.name);
    if (!index) return true;
    const auto& known = catalog.devices()[device].metrics[*index];
    if (known.datatype != metric.datatype) return true;  // the tag changed type since it was stored
    metric.alias = known.alias;
    metric.name.clear();
    return false;
  });
  return before - payload.metrics.size();
}

}  // namespace strata::sparkplug
