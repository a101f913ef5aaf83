#include "drivers/sparkplug/payload.hpp"

#include <climits>
#include <type_traits>

#include "sparkplug_b.pb.h"

namespace strata::sparkplug {
namespace {

bool is_signed_int(DataType datatype) {
  return datatype == DataType::Int8 || datatype == DataType::Int16 || datatype == DataType::Int32 ||
         datatype == DataType::Int64;
}

bool is_unsigned_int(DataType datatype) {
  return datatype == DataType::UInt8 || datatype == DataType::UInt16 || datatype == DataType::UInt32 ||
         datatype == DataType::UInt64 || datatype == DataType::DateTime;
}

bool is_string_type(DataType datatype) {
  return datatype == DataType::String || datatype == DataType::Text || datatype == DataType::UUID;
}

// The low `datatype`-width bits of a raw int_value/long_value, sign-extended for the signed types. Edge
// nodes differ in whether they sign-extend Int8/Int16 to 32 bits before encoding; truncating first
// accepts both.
std::int64_t signed_of(std::uint64_t raw, DataType datatype) {
  switch (datatype) {
    case DataType::Int8:
      return static_cast<std::int8_t>(static_cast<std::uint8_t>(raw));
    case DataType::Int16:
      return static_cast<std::int16_t>(static_cast<std::uint16_t>(raw));
    case DataType::Int32:
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
    default:
      return static_cast<std::int64_t>(raw);
  }
}

std::uint64_t unsigned_of(std::uint64_t raw, DataType datatype) {
  switch (datatype) {
    case DataType::UInt8:
      return static_cast<std::uint8_t>(raw);
    case DataType::UInt16:
      return static_cast<std::uint16_t>(raw);
    case DataType::UInt32:
      return static_cast<std::uint32_t>(raw);
    default:
      return raw;
  }
}

// Integer bits of any numeric value kind, for writing int_value/long_value.
std::uint64_t raw_bits(const MetricValue& value) {
  return std::visit(
      [](const auto& v) -> std::uint64_t {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) {
          return v ? 1U : 0U;
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          return static_cast<std::uint64_t>(v);
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
          return v;
        } else if constexpr (std::is_same_v<V, float> || std::is_same_v<V, double>) {
          return static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
        } else {
          return 0;
        }
      },
      value);
}

double as_double(const MetricValue& value) {
  return std::visit(
      [](const auto& v) -> double {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::int64_t> || std::is_same_v<V, std::uint64_t>) {
          return static_cast<double>(v);
        } else if constexpr (std::is_same_v<V, float> || std::is_same_v<V, double>) {
          return static_cast<double>(v);
        } else if constexpr (std::is_same_v<V, bool>) {
          return v ? 1.0 : 0.0;
        } else {
          return 0.0;
        }
      },
      value);
}

// The wire field follows the datatype; without one (Unknown) it follows the value's kind.
void encode_value(const Metric& metric, pb::Metric& out) {
  const auto& value = metric.value;
  if (std::holds_alternative<std::monostate>(value)) {
    out.set_is_null(true);
    return;
  }
  DataType type = metric.datatype;
  if (type == DataType::Unknown) {
    if (std::holds_alternative<bool>(value)) type = DataType::Boolean;
    if (std::holds_alternative<std::int64_t>(value)) type = DataType::Int64;
    if (std::holds_alternative<std::uint64_t>(value)) type = DataType::UInt64;
    if (std::holds_alternative<float>(value)) type = DataType::Float;
    if (std::holds_alternative<double>(value)) type = DataType::Double;
    if (std::holds_alternative<std::string>(value)) type = DataType::String;
  }
  if (is_int_value_type(type)) {
    out.set_int_value(static_cast<std::uint32_t>(raw_bits(value)));
  } else if (is_signed_int(type) || is_unsigned_int(type)) {
    out.set_long_value(raw_bits(value));
  } else if (type == DataType::Float) {
    out.set_float_value(static_cast<float>(as_double(value)));
  } else if (type == DataType::Double) {
    out.set_double_value(as_double(value));
  } else if (type == DataType::Boolean) {
    out.set_boolean_value(std::holds_alternative<bool>(value) ? std::get<bool>(value) : raw_bits(value) != 0);
  } else if (is_string_type(type)) {
    if (const auto* text = std::get_if<std::string>(&value)) out.set_string_value(*text);
  } else {
    out.set_is_null(true);  // Bytes, File, DataSet, Template and arrays are not carried by MetricValue
  }
}

// The value as whatever field is set, integers raw and unsigned; as_datatype applies the datatype.
MetricValue decode_raw(const pb::Metric& in) {
  if (in.is_null()) return std::monostate{};
  switch (in.value_case()) {
    case pb::Metric::kIntValue:
      return static_cast<std::uint64_t>(in.int_value());
    case pb::Metric::kLongValue:
      return static_cast<std::uint64_t>(in.long_value());
    case pb::Metric::kFloatValue:
      return in.float_value();
    case pb::Metric::kDoubleValue:
      return in.double_value();
    case pb::Metric::kBooleanValue:
      return in.boolean_value();
    case pb::Metric::kStringValue:
      return in.string_value();
    default:
      return std::monostate{};
  }
}

}  // namespace

bool is_int_value_type(DataType datatype) {
  return datatype == DataType::Int8 || datatype == DataType::Int16 || datatype == DataType::Int32 ||
         datatype == DataType::UInt8 || datatype == DataType::UInt16 || datatype == DataType::UInt32;
}

MetricValue as_datatype(MetricValue value, DataType datatype) {
  if (std::holds_alternative<std::monostate>(value) || datatype == DataType::Unknown) return value;
  const bool integral =
      std::holds_alternative<std::uint64_t>(value) || std::holds_alternative<std::int64_t>(value);
  if (is_signed_int(datatype)) {
    if (integral) return signed_of(raw_bits(value), datatype);
    return std::monostate{};
  }
  if (is_unsigned_int(datatype)) {
    if (integral) return unsigned_of(raw_bits(value), datatype);
    return std::monostate{};
  }
  if (datatype == DataType::Float) {
    if (std::holds_alternative<float>(value)) return value;
    if (std::holds_alternative<double>(value)) return static_cast<float>(std::get<double>(value));
    return std::monostate{};
  }
  if (datatype == DataType::Double) {
    if (std::holds_alternative<double>(value)) return value;
    if (std::holds_alternative<float>(value)) return static_cast<double>(std::get<float>(value));
    return std::monostate{};
  }
  if (datatype == DataType::Boolean) {
    if (std::holds_alternative<bool>(value)) return value;
    return std::monostate{};
  }
  if (is_string_type(datatype)) {
    if (std::holds_alternative<std::string>(value)) return value;
    return std::monostate{};
  }
  return std::monostate{};  // DataSet, Bytes, File, Template, arrays: not carried
}

std::string encode(const Payload& payload) {
  pb::Payload out;
  if (payload.timestamp) out.set_timestamp(*payload.timestamp);
  if (payload.seq) out.set_seq(*payload.seq);
  if (!payload.uuid.empty()) out.set_uuid(payload.uuid);
  if (!payload.body.empty()) out.set_body(payload.body);
  out.mutable_metrics()->Reserve(static_cast<int>(payload.metrics.size()));
  for (const auto& metric : payload.metrics) {
    auto& m = *out.add_metrics();
    if (!metric.name.empty()) m.set_name(metric.name);
    if (metric.alias) m.set_alias(*metric.alias);
    if (metric.timestamp) m.set_timestamp(*metric.timestamp);
    if (metric.datatype != DataType::Unknown) m.set_datatype(static_cast<std::uint32_t>(metric.datatype));
    if (metric.is_historical) m.set_is_historical(true);
    if (metric.is_transient) m.set_is_transient(true);
    encode_value(metric, m);
  }
  return out.SerializeAsString();
}

Result<Payload> decode(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return make_error("sparkplug payload too large");
  pb::Payload in;
  if (!in.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return make_error("not a Sparkplug B payload (protobuf parse failed)");
  }
  Payload payload;
  if (in.has_timestamp()) payload.timestamp = in.timestamp();
  if (in.has_seq()) payload.seq = in.seq();
  payload.uuid = in.uuid();
  payload.body = in.body();
  payload.metrics.reserve(static_cast<std::size_t>(in.metrics_size()));
  for (const auto& m : in.metrics()) {
    Metric metric;
    metric.name = m.name();
    if (m.has_alias()) metric.alias = m.alias();
    if (m.has_timestamp()) metric.timestamp = m.timestamp();
    metric.datatype = static_cast<DataType>(m.datatype());
    metric.is_historical = m.is_historical();
    metric.is_transient = m.is_transient();
    metric.value = as_datatype(decode_raw(m), metric.datatype);
    payload.metrics.push_back(std::move(metric));
  }
  return payload;
}

}  // namespace strata::sparkplug
