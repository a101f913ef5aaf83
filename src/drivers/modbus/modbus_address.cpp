#include "drivers/modbus/modbus_address.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/name_table.hpp"

namespace strata::modbus {
namespace {

constexpr NameTable<Table, 4> kTableNames{{
    {Table::Coil, "coil"},
    {Table::DiscreteInput, "di"},
    {Table::InputRegister, "ir"},
    {Table::HoldingRegister, "hr"},
}};

constexpr NameTable<ValueType, 8> kTypeNames{{
    {ValueType::Bool, "bool"},
    {ValueType::Int16, "int16"},
    {ValueType::UInt16, "uint16"},
    {ValueType::Int32, "int32"},
    {ValueType::UInt32, "uint32"},
    {ValueType::Int64, "int64"},
    {ValueType::Float32, "float32"},
    {ValueType::Float64, "float64"},
}};

constexpr NameTable<WordOrder, 4> kWordOrderNames{{
    {WordOrder::ABCD, "ABCD"},
    {WordOrder::CDAB, "CDAB"},
    {WordOrder::BADC, "BADC"},
    {WordOrder::DCBA, "DCBA"},
}};

constexpr std::string_view kSyntax = "modbus:<connection>/<table><offset>[:<type>][:<word order>]";
constexpr int kBitsPerRegister = 16;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Decimal number up to `max`, or nullopt when it is larger (or absurdly long).
std::optional<int> bounded_number(std::string_view digits, int max) {
  if (digits.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  if (value > max) return std::nullopt;
  return value;
}

bool is_multi_register(ValueType type) {
  switch (type) {
    case ValueType::Int32:
    case ValueType::UInt32:
    case ValueType::Int64:
    case ValueType::Float32:
    case ValueType::Float64:
      return true;
    default:
      return false;
  }
}

bool is_float(ValueType type) {
  return type == ValueType::Float32 || type == ValueType::Float64;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

Result<void> parse_table_and_offset(std::string_view part, std::string_view context, ModbusAddress& out) {
  std::size_t letters = 0;
  while (letters < part.size() && std::isalpha(static_cast<unsigned char>(part[letters])) != 0) ++letters;
  const auto table_name = lower(part.substr(0, letters));
  const auto offset_text = part.substr(letters);
  if (table_name.empty()) {
    return make_error(fmt::format(
        "missing Modbus table in '{}' (expected coil, di, ir or hr followed by an offset, e.g. hr100)",
        context));
  }
  const auto table = value_of(kTableNames, table_name);
  if (!table) {
    return make_error(
        fmt::format("unknown Modbus table '{}' in '{}' (expected coil, di, ir, hr)", table_name, context));
  }
  if (offset_text.empty()) {
    return make_error(
        fmt::format("missing offset after '{}' in '{}' (e.g. {}100)", table_name, context, table_name));
  }
  if (!all_digits(offset_text)) {
    return make_error(fmt::format("invalid offset '{}' in '{}' (expected a number 0..{})", offset_text,
                                  context, kMaxOffset));
  }
  const auto offset = bounded_number(offset_text, kMaxOffset);
  if (!offset) {
    return make_error(
        fmt::format("offset {} out of range in '{}' (expected 0..{})", offset_text, context, kMaxOffset));
  }
  out.table = *table;
  out.offset = *offset;
  out.type = out.is_bit_table() ? ValueType::Bool : ValueType::Int16;
  return {};
}

Result<void> parse_type(std::string_view part, std::string_view context, ModbusAddress& out) {
  const auto name = lower(part);
  const auto table = to_string(out.table);
  if (name.size() > 3 && name.starts_with("bit") && all_digits(std::string_view(name).substr(3))) {
    if (out.is_bit_table()) {
      return make_error(
          fmt::format("'{}' selects a bit of a register, but {} addresses are single bits already in '{}'",
                      name, table, context));
    }
    const auto bit = bounded_number(std::string_view(name).substr(3), kBitsPerRegister - 1);
    if (!bit) {
      return make_error(fmt::format("bit number out of range in '{}' (expected bit0..bit{})", context,
                                    kBitsPerRegister - 1));
    }
    out.type = ValueType::Bool;
    out.bit = *bit;
    return {};
  }
  const auto type = value_of(kTypeNames, name);
  if (!type) {
    if (value_of(kWordOrderNames, upper(part))) {
      return make_error(
          fmt::format("word order '{}' in '{}' must follow a 32- or 64-bit type, e.g. {}{}:float32:{}",
                      upper(part), context, table, out.offset, upper(part)));
    }
    return make_error(
        fmt::format("unknown Modbus type '{}' in '{}' (expected bool, int16, uint16, int32, uint32, int64, "
                    "float32, float64 "
                    "or bit0..bit15)",
                    part, context));
  }
  if (out.is_bit_table() && *type != ValueType::Bool) {
    return make_error(
        fmt::format("{} addresses hold single bits, so type '{}' is not possible in '{}' (use bool or "
                    "leave the type out)",
                    table, name, context));
  }
  if (!out.is_bit_table() && *type == ValueType::Bool) {
    return make_error(fmt::format("a register bit needs its number in '{}': use bitN, e.g. {}{}:bit0",
                                  context, table, out.offset));
  }
  out.type = *type;
  return {};
}

Result<void> parse_word_order(std::string_view part, std::string_view context, ModbusAddress& out) {
  const auto order = value_of(kWordOrderNames, upper(part));
  if (!order) {
    return make_error(
        fmt::format("unknown word order '{}' in '{}' (expected ABCD, CDAB, BADC, DCBA)", part, context));
  }
  if (!is_multi_register(out.type) || out.bit) {
    return make_error(fmt::format("word order {} in '{}' applies only to 32- and 64-bit types, not {}",
                                  upper(part), context, out.bit ? "a register bit" : to_string(out.type)));
  }
  out.word_order = *order;
  return {};
}

bool valid_connection_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

int ModbusAddress::width() const {
  if (is_bit_table() || bit) return 1;
  switch (type) {
    case ValueType::Int32:
    case ValueType::UInt32:
    case ValueType::Float32:
      return 2;
    case ValueType::Int64:
    case ValueType::Float64:
      return 4;
    default:
      return 1;
  }
}

std::string_view to_string(Table table) {
  return name_of(kTableNames, table, "?");
}

std::string_view to_string(ValueType type) {
  return name_of(kTypeNames, type, "?");
}

std::string_view to_string(WordOrder order) {
  return name_of(kWordOrderNames, order, "?");
}

std::string to_string(const ModbusAddress& address) {
  auto text = fmt::format("{}{}", to_string(address.table), address.offset);
  if (address.bit) return fmt::format("{}:bit{}", text, *address.bit);
  if (address.is_bit_table()) return text;
  text += fmt::format(":{}", to_string(address.type));
  if (is_multi_register(address.type)) text += fmt::format(":{}", to_string(address.word_order));
  return text;
}

Result<ModbusAddress> parse_modbus_address(std::string_view text, std::string_view context) {
  if (context.empty()) context = text;
  const auto parts = split(text, ':');
  if (parts.size() > 3) {
    return make_error(fmt::format(
        "too many ':' parts in '{}' (expected <table><offset>[:<type>][:<word order>])", context));
  }
  ModbusAddress address;
  if (auto table = parse_table_and_offset(parts[0], context, address); !table) return table.error();
  if (parts.size() > 1) {
    if (auto type = parse_type(parts[1], context, address); !type) return type.error();
  }
  if (parts.size() > 2) {
    if (auto order = parse_word_order(parts[2], context, address); !order) return order.error();
  }
  if (address.offset + address.width() - 1 > kMaxOffset) {
    return make_error(fmt::format("'{}' runs past the last address {} ({} needs {} registers)", context,
                                  kMaxOffset, to_string(address.type), address.width()));
  }
  return address;
}

Result<ModbusSource> parse_modbus_source(std::string_view source) {
  const auto colon = source.find(':');
  if (colon == std::string_view::npos || source.substr(0, colon) != kScheme) {
    return make_error(fmt::format("'{}' is not a Modbus source (expected {})", source, kSyntax));
  }
  const auto rest = source.substr(colon + 1);
  if (rest.starts_with("//")) {
    return make_error(fmt::format(
        "'{}' names a host; Modbus sources name a configured connection instead (expected {}, e.g. "
        "modbus:filler-plc/hr100)",
        source, kSyntax));
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return make_error(fmt::format(
        "missing '/<table><offset>' after the connection name in '{}' (expected {})", source, kSyntax));
  }
  const auto connection = rest.substr(0, slash);
  if (!valid_connection_name(connection)) {
    return make_error(fmt::format(
        "invalid connection name '{}' in '{}' (letters, digits, '_', '-' and '.' only, not empty)",
        connection, source));
  }
  auto address = parse_modbus_address(rest.substr(slash + 1), source);
  if (!address) return address.error();
  return ModbusSource{std::string(connection), *address};
}

Result<void> check_tag_type(const ModbusAddress& address, model::TagType type) {
  const auto declared = model::to_string(type);
  const auto where = to_string(address);
  const auto value_type = address.bit ? std::string_view("a register bit") : to_string(address.type);
  switch (type) {
    case model::TagType::String:
      return make_error(
          fmt::format("string tags cannot be read from Modbus ({}); declare the tag bool, int32, int64, "
                      "float32 or float64",
                      where));
    case model::TagType::Bool:
      if (address.type == ValueType::Bool) return {};
      return make_error(fmt::format(
          "a bool tag needs a bit address (coil, di, or a register bit like hr7:bit3), not {} at {}",
          value_type, where));
    case model::TagType::Int32:
    case model::TagType::Int64:
      if (address.type == ValueType::Bool) {
        return make_error(fmt::format("{} at {} is a bit; declare the tag bool", value_type, where));
      }
      if (is_float(address.type)) {
        return make_error(
            fmt::format("{} at {} cannot feed a tag of type {}; declare the tag float32 or float64",
                        value_type, where, declared));
      }
      if (type == model::TagType::Int32 &&
          (address.type == ValueType::UInt32 || address.type == ValueType::Int64)) {
        return make_error(fmt::format("{} values at {} do not all fit an int32 tag; declare the tag int64",
                                      value_type, where));
      }
      return {};
    case model::TagType::Float32:
    case model::TagType::Float64:
      if (address.type == ValueType::Bool) {
        return make_error(fmt::format("{} at {} is a bit; declare the tag bool", value_type, where));
      }
      return {};
  }
  return make_error(fmt::format("unsupported tag type {}", declared));
}

Result<ModbusSource> parse_tag_source(const model::Tag& tag) {
  auto source = parse_modbus_source(tag.definition.source);
  if (!source) return make_error(fmt::format("tag {}: {}", tag.id, source.error().message));
  if (auto fits = check_tag_type(source->address, tag.definition.type); !fits) {
    return make_error(fmt::format("tag {}: {}", tag.id, fits.error().message));
  }
  return source;
}

}  // namespace strata::modbus
