#include "model/tag.hpp"

#include "common/name_table.hpp"

namespace strata::model {
namespace {

constexpr NameTable<TagType, 6> kTypeNames{{
    {TagType::Bool, "bool"},
    {TagType::Int32, "int32"},
    {TagType::Int64, "int64"},
    {TagType::Float32, "float32"},
    {TagType::Float64, "float64"},
    {TagType::String, "string"},
}};

}  // namespace

std::string_view to_string(TagType type) {
  return name_of(kTypeNames, type, "unknown");
}

std::optional<TagType> parse_tag_type(std::string_view text) {
  return value_of(kTypeNames, text);
}

std::string_view to_string(Quality quality) {
  switch (quality) {
    case Quality::Good:
      return "good";
    case Quality::Uncertain:
      return "uncertain";
    case Quality::Bad:
      return "bad";
    case Quality::Stale:
      return "stale";
  }
  return "bad";
}

std::optional<double> as_number(const Value& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? 1.0 : 0.0;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  return std::nullopt;
}

std::string_view source_scheme(std::string_view source) {
  const auto colon = source.find(':');
  if (colon == std::string_view::npos) return {};
  return source.substr(0, colon);
}

}  // namespace strata::model
