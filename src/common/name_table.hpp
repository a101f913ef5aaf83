#pragma once
// Enum <-> name lookups over a constexpr table, so every enum's names live in exactly one place.
#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace strata {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const NameTable<Enum, N>& table, Enum value, std::string_view fallback) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return fallback;
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_of(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& [entry, entry_name] : table) {
    if (entry_name == name) return entry;
  }
  return std::nullopt;
}

}  // namespace strata
