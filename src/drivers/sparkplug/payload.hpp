#pragma once
// Sparkplug B 3.0 payloads (proto2 schema written from the specification, see sparkplug_b.proto) as plain
// C++ values: what the edge node publishes and the host application reads. Decoding never throws: bytes
// from the broker are untrusted input.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace strata::sparkplug {

// The Sparkplug DataType enum; only the scalar types are carried as values here.
enum class DataType : std::uint32_t {
  Unknown = 0,
  Int8 = 1,
  Int16 = 2,
  Int32 = 3,
  Int64 = 4,
  UInt8 = 5,
  UInt16 = 6,
  UInt32 = 7,
  UInt64 = 8,
  Float = 9,
  Double = 10,
  Boolean = 11,
  String = 12,
  DateTime = 13,
  Text = 14,
  UUID = 15,
  DataSet = 16,
  Bytes = 17,
  File = 18,
  Template = 19,
};

// Null (is_null, or a value kind not carried here such as DataSet) | Boolean | Int8..Int64 | UInt8..UInt64
// and DateTime | Float | Double | String, Text and UUID.
using MetricValue =
    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, float, double, std::string>;

struct Metric {
  std::string name{};  // empty when a DATA message uses the alias alone
  std::optional<std::uint64_t> alias{};
  std::optional<std::uint64_t> timestamp{};  // ms since the Unix epoch
  DataType datatype = DataType::Unknown;
  bool is_historical = false;
  bool is_transient = false;
  MetricValue value{};
};

struct Payload {
  std::optional<std::uint64_t> timestamp{};  // ms since the Unix epoch
  std::optional<std::uint64_t> seq{};        // absent in NDEATH
  std::vector<Metric> metrics{};
  std::string uuid{};
  std::string body{};
};

[[nodiscard]] std::string encode(const Payload& payload);
// Errors for bytes that are not a Payload; metrics with a value kind not carried here come back null.
[[nodiscard]] Result<Payload> decode(std::string_view bytes);

// A decoded value reread as `datatype`: DATA messages may leave the datatype out (Unknown), so their
// integers decode unsigned and raw; the host applies the datatype from the BIRTH with this
// (sign-extending Int8..Int32, reinterpreting Int64). Values that already fit come back unchanged.
[[nodiscard]] MetricValue as_datatype(MetricValue value, DataType datatype);

// True for the integer datatypes carried in int_value (Int8..UInt32).
[[nodiscard]] bool is_int_value_type(DataType datatype);

}  // namespace strata::sparkplug
