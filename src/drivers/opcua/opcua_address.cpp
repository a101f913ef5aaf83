#include "drivers/opcua/opcua_address.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdint>

namespace strata::opcua {
namespace {

bool is_connection_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

template <typename Integer>
bool whole_number(std::string_view text, Integer max) {
  if (text.empty() || text.size() > 10) return false;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size() && value <= static_cast<std::uint64_t>(max);
}

bool is_guid(std::string_view text) {
  constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool hex = std::isxdigit(static_cast<unsigned char>(text[i])) != 0;
    if (kShape[i] == '-' ? text[i] != '-' : !hex) return false;
  }
  return true;
}

bool is_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return false;  // '=' only at the end
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '/') return false;
  }
  return padding <= 2;
}

}  // namespace

Result<void> check_node_id(std::string_view node_id, std::string_view context) {
  const auto where = context.empty() ? node_id : context;
  auto rest = node_id;
  if (rest.substr(0, 3) == "ns=") {
    const auto semicolon = rest.find(';');
    if (semicolon == std::string_view::npos || !whole_number(rest.substr(3, semicolon - 3), 65535U)) {
      return make_error(fmt::format("bad namespace in node id '{}' (expected ns=<0..65535>;...)", where));
    }
    rest = rest.substr(semicolon + 1);
  }
  const auto kind = rest.substr(0, 2);
  const auto identifier = rest.size() > 2 ? rest.substr(2) : std::string_view{};
  bool valid = false;
  if (kind == "i=") {
    valid = whole_number(identifier, 4'294'967'295U);
  } else if (kind == "s=") {
    valid = !identifier.empty();
  } else if (kind == "g=") {
    valid = is_guid(identifier);
  } else if (kind == "b=") {
    valid = is_base64(identifier);
  } else {
    return make_error(fmt::format(
        "bad node id '{}' (expected [ns=<n>;]i=<number>, s=<string>, g=<guid> or b=<base64>)", where));
  }
  if (!valid) {
    constexpr std::string_view kExpected[] = {"a number 0..4294967295", "a non-empty string",
                                              "a GUID like 72962b91-fa75-4ae6-8d28-b404dc7daf63",
                                              "base64 bytes"};
    const std::size_t index = kind == "i=" ? 0 : kind == "s=" ? 1 : kind == "g=" ? 2 : 3;
    return make_error(
        fmt::format("bad node id '{}': {} must be {}", where, kind.substr(0, 1), kExpected[index]));
  }
  return {};
}

Result<OpcUaSource> parse_opcua_source(std::string_view source) {
  const std::string prefix = std::string(kScheme) + ":";
  if (source.substr(0, prefix.size()) != prefix) {
    return make_error(
        fmt::format("'{}' is not an opcua source (expected opcua:<connection>/<node id>)", source));
  }
  const auto rest = source.substr(prefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return make_error(fmt::format("'{}' has no connection (expected opcua:<connection>/<node id>)", source));
  }
  const auto connection = rest.substr(0, slash);
  for (const char c : connection) {
    if (!is_connection_char(c)) {
      return make_error(fmt::format("bad connection name '{}' in '{}'", connection, source));
    }
  }
  const auto node_id = rest.substr(slash + 1);
  if (node_id.empty()) {
    return make_error(fmt::format("'{}' has no node id (expected opcua:<connection>/<node id>)", source));
  }
  if (auto checked = check_node_id(node_id, source); !checked) return checked.error();
  return OpcUaSource{std::string(connection), std::string(node_id)};
}

Result<OpcUaSource> parse_tag_source(const model::Tag& tag) {
  auto source = parse_opcua_source(tag.definition.source);
  if (!source) return make_error(fmt::format("tag {}: {}", tag.id, source.error().message));
  return source;
}

std::string_view data_type_for(model::TagType type) {
  switch (type) {
    case model::TagType::Bool:
      return "Boolean";
    case model::TagType::Int32:
      return "Int32";
    case model::TagType::Int64:
      return "Int64";
    case model::TagType::Float32:
      return "Float";
    case model::TagType::Float64:
      return "Double";
    case model::TagType::String:
      return "String";
  }
  return "Double";
}

}  // namespace strata::opcua
