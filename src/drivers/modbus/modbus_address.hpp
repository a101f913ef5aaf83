#pragma once
// Where a tag's value lives on a Modbus server, as written in the tag's `source`:
//
//   modbus:<connection>/<table><offset>[:<type>][:<word order>]
//
//   <connection>  name of a configured ModbusConnectionSettings (letters, digits, '_', '-', '.')
//   <table>       coil (read/write bits, FC1), di (discrete inputs, FC2),
//                 ir (input registers, FC4), hr (holding registers, FC3)
//   <offset>      0-based protocol address as sent on the wire, 0..65535 (hr100 is Modicon 40101)
//   <type>        bool, int16, uint16, int32, uint32, int64, float32, float64, or bitN (N = 0..15,
//                 bit 0 = least significant) for one bit of a register. Default: bool for coil/di,
//                 int16 for ir/hr. coil and di hold only bool.
//   <word order>  how a 32/64-bit value's bytes A (most significant) .. are laid out over its
//                 registers in address order: ABCD (big-endian, default), CDAB (words swapped),
//                 BADC (bytes swapped in each word), DCBA (little-endian). For 64-bit values the
//                 same two swaps apply to four words (CDAB = least significant word first).
//                 Only 32- and 64-bit types take a word order.
//
// Examples: modbus:filler-plc/hr100:float32:CDAB, modbus:filler-plc/coil12,
//           modbus:filler-plc/ir30:int32, modbus:plc/hr7:bit3
// Names are case-insensitive (HR100:FLOAT32:cdab is accepted).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "model/tag.hpp"

namespace strata::modbus {

// Declared in polling order; the planner sorts requests by it.
enum class Table : std::uint8_t { Coil, DiscreteInput, InputRegister, HoldingRegister };
enum class ValueType : std::uint8_t { Bool, Int16, UInt16, Int32, UInt32, Int64, Float32, Float64 };
enum class WordOrder : std::uint8_t { ABCD, CDAB, BADC, DCBA };

inline constexpr std::string_view kScheme = "modbus";
inline constexpr int kMaxOffset = 65535;

struct ModbusAddress {
  Table table = Table::HoldingRegister;
  int offset = 0;
  ValueType type = ValueType::Int16;
  WordOrder word_order = WordOrder::ABCD;
  std::optional<int> bit;  // set for "hrN:bitB"/"irN:bitB": type is Bool, read from one register

  [[nodiscard]] bool is_bit_table() const { return table == Table::Coil || table == Table::DiscreteInput; }
  // Registers (ir/hr) or bits (coil/di) the value occupies.
  [[nodiscard]] int width() const;

  friend bool operator==(const ModbusAddress&, const ModbusAddress&) = default;
};

// A full tag source: which connection, and where on it.
struct ModbusSource {
  std::string connection;
  ModbusAddress address;
};

[[nodiscard]] std::string_view to_string(Table table);  // "coil", "di", "ir", "hr"
[[nodiscard]] std::string_view to_string(ValueType type);
[[nodiscard]] std::string_view to_string(WordOrder order);
// Canonical text of an address within its connection, e.g. "hr100:float32:CDAB", "hr7:bit3", "coil12".
[[nodiscard]] std::string to_string(const ModbusAddress& address);

// Parses "modbus:<connection>/<address>". Messages quote the whole source, e.g.
// "unknown Modbus table 'hx' in 'modbus:plc/hx1' (expected coil, di, ir, hr)".
[[nodiscard]] Result<ModbusSource> parse_modbus_source(std::string_view source);
// Parses the part after "<connection>/" alone, e.g. "hr200:int32" in connection settings;
// `context` names it in messages (defaults to the text itself).
[[nodiscard]] Result<ModbusAddress> parse_modbus_address(std::string_view text,
                                                         std::string_view context = {});

// Whether a value at `address` can feed a tag declared as `type`: bool only from bits, integers into
// integer tags wide enough for every value (uint32 and int64 need int64), any number into float tags.
[[nodiscard]] Result<void> check_tag_type(const ModbusAddress& address, model::TagType type);

// parse_modbus_source + check_tag_type with messages prefixed "tag <id>: ".
[[nodiscard]] Result<ModbusSource> parse_tag_source(const model::Tag& tag);

}  // namespace strata::modbus
