#include "drivers/sparkplug/edge_catalog.hpp"

#include <fmt/format.h>

#include <map>
#include <variant>

#include "model/equipment_path.hpp"

namespace strata::sparkplug {

Result<EdgeCatalog> EdgeCatalog::build(const model::Plant& plant,
                                       const model::SparkplugConnection& connection) {
  EdgeCatalog catalog;
  catalog.by_tag_.resize(plant.tags.size());
  std::map<std::string, std::string> unit_of_device;
  std::uint64_t alias = 0;
  for (const auto* unit : plant.units()) {
    bool published = connection.publish_scopes.empty();
    for (const auto& scope : connection.publish_scopes)
      published = published || model::scope_covers(scope, unit->id);
    if (!published) continue;
    EdgeDevice device{model::sparkplug_device_id(unit->id), unit, {}};
    if (const auto [it, inserted] = unit_of_device.emplace(device.device_id, unit->id); !inserted) {
      return make_error(fmt::format("units '{}' and '{}' would both be Sparkplug device '{}'", it->second,
                                    unit->id, device.device_id));
    }
    bool has_command = false;
    for (const auto tag : unit->tags) {
      const auto& definition = plant.tags[tag].definition;
      catalog.by_tag_[tag] = MetricRef{catalog.devices_.size(), device.metrics.size()};
      device.metrics.push_back(EdgeMetric{definition.name, ++alias, datatype_of(definition.type), tag});
      has_command = has_command || definition.name == kCommandMetric;
    }
    if (!has_command) {
      device.metrics.push_back(
          EdgeMetric{std::string(kCommandMetric), ++alias, DataType::Int32, std::nullopt});
    }
    catalog.devices_.push_back(std::move(device));
  }
  return catalog;
}

std::optional<MetricRef> EdgeCatalog::find_tag(model::TagIndex tag) const {
  if (tag >= by_tag_.size()) return std::nullopt;
  return by_tag_[tag];
}

std::optional<std::size_t> EdgeCatalog::find_device(std::string_view device_id) const {
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    if (devices_[i].device_id == device_id) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> EdgeCatalog::find_metric(std::size_t device, std::string_view name) const {
  const auto& metrics = devices_.at(device).metrics;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (metrics[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> EdgeCatalog::find_alias(std::size_t device, std::uint64_t alias) const {
  const auto& metrics = devices_.at(device).metrics;
  // Aliases of a device are consecutive.
  if (metrics.empty() || alias < metrics.front().alias || alias > metrics.back().alias) return std::nullopt;
  return static_cast<std::size_t>(alias - metrics.front().alias);
}

std::size_t EdgeCatalog::metric_count() const {
  std::size_t count = 0;
  for (const auto& device : devices_) count += device.metrics.size();
  return count;
}

DataType datatype_of(model::TagType type) {
  switch (type) {
    case model::TagType::Bool:
      return DataType::Boolean;
    case model::TagType::Int32:
      return DataType::Int32;
    case model::TagType::Int64:
      return DataType::Int64;
    case model::TagType::Float32:
      return DataType::Float;
    case model::TagType::Float64:
      return DataType::Double;
    case model::TagType::String:
      return DataType::String;
  }
  return DataType::Unknown;
}

MetricValue metric_value(const model::TagValue& value, DataType datatype) {
  if (value.quality == model::Quality::Bad || value.quality == model::Quality::Stale) return std::monostate{};
  const auto& v = value.value;
  switch (datatype) {
    case DataType::Boolean:
      if (const auto* b = std::get_if<bool>(&v)) return *b;
      if (const auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
      return std::monostate{};
    case DataType::Int32:
    case DataType::Int64:
      if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
      if (const auto* b = std::get_if<bool>(&v)) return static_cast<std::int64_t>(*b ? 1 : 0);
      // Out-of-range (and NaN) doubles have no integer value; converting them would be undefined.
      if (const auto* d = std::get_if<double>(&v); d != nullptr && *d >= -9.2e18 && *d <= 9.2e18) {
        return static_cast<std::int64_t>(*d);
      }
      return std::monostate{};
    case DataType::Float:
    case DataType::Double: {
      const auto number = model::as_number(v);
      if (!number) return std::monostate{};
      if (datatype == DataType::Float) return static_cast<float>(*number);
      return *number;
    }
    case DataType::String:
      if (const auto* s = std::get_if<std::string>(&v)) return *s;
      return std::monostate{};
    default:
      return std::monostate{};
  }
}

}  // namespace strata::sparkplug
