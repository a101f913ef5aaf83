#pragma once
// Internal helpers of the config loaders: positions, a diagnostic sink and a map reader that
// reports unknown, duplicate and missing keys. Never use YAML::Node::operator[] on loaded documents
// (it throws on non-maps); go through MapReader.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.hpp"

namespace strata::config::detail {

// 1-based position in the source text.
struct Position {
  int line = 1;
  int column = 1;
};

// Position of a node; nodes without a mark (null values, absent nodes) take the fallback.
[[nodiscard]] Position position_of(const YAML::Node& node, Position fallback);
[[nodiscard]] Position position_of(const YAML::Mark& mark, Position fallback);

class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

  void error(Position at, std::string message);
  void file_error(std::string message);  // whole-file problem, no position

  [[nodiscard]] std::size_t count() const { return diagnostics_.size(); }
  [[nodiscard]] const std::string& file() const { return file_; }
  // Sorted by position (stable), exact duplicates (same position and message) removed; these arise
  // when YAML aliases make one node part of several units.
  [[nodiscard]] std::vector<Diagnostic> take();

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
[[nodiscard]] std::string join(std::initializer_list<std::string_view> items,
                               std::string_view separator = ", ");
// "a map", "a sequence", "a scalar", "null".
[[nodiscard]] std::string_view describe_kind(const YAML::Node& node);

// Local ids are joined into hierarchy paths ("site/area/line/unit"): [A-Za-z0-9_-]+.
[[nodiscard]] bool is_valid_id(std::string_view id);

struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
  Position key_position;
  Position value_position;  // the key's position when the value is null
};

// Reads one YAML map. `what` names it in messages, e.g. "work center 'L1'".
class MapReader {
 public:
  // Reports when the node is not a map (then ok() is false and the reader is empty).
  MapReader(DiagnosticSink& sink, const YAML::Node& node, Position fallback, std::string what);

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] Position position() const { return position_; }
  [[nodiscard]] const std::string& what() const { return what_; }
  void rename(std::string what) { what_ = std::move(what); }
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] const Entry* find(std::string_view key) const;

  // Reports keys not in `allowed` (listing them), repeated keys and absent `required` keys.
  void check_keys(std::initializer_list<std::string_view> allowed,
                  std::initializer_list<std::string_view> required) const;
  void check_keys(const std::vector<std::string>& allowed,
                  std::initializer_list<std::string_view> required) const;

  // The scalar value of `key`: nullopt when absent, or (reported) when null or not a scalar.
  [[nodiscard]] std::optional<std::string> scalar(std::string_view key) const;
  // Like scalar(), and additionally checks the id syntax (reported).
  [[nodiscard]] std::optional<std::string> id(std::string_view key = "id") const;

  [[nodiscard]] DiagnosticSink& sink() const { return *sink_; }

 private:
  DiagnosticSink* sink_;
  std::string what_;
  Position position_;
  bool ok_ = false;
  std::vector<Entry> entries_;
};

// Scalar of an entry's value; reports null / non-scalar values naming `key` and `what`.
[[nodiscard]] std::optional<std::string> entry_scalar(DiagnosticSink& sink, const Entry& entry,
                                                      std::string_view what);

// Reads a scalar with `parse`; reports "'key' must be <expected>, got '...'" at the value.
template <typename Parse>
auto read_value(const MapReader& map, std::string_view key, std::string_view expected, Parse parse)
    -> decltype(parse(std::string_view{})) {
  const auto* entry = map.find(key);
  if (entry == nullptr) return std::nullopt;
  const auto text = entry_scalar(map.sink(), *entry, map.what());
  if (!text) return std::nullopt;
  auto value = parse(std::string_view(*text));
  if (!value) {
    map.sink().error(entry->value_position,
                     fmt::format("'{}' in {} must be {}, got '{}'", key, map.what(), expected, *text));
  }
  return value;
}

// Elements of a sequence value; reports a value that is not a sequence.
[[nodiscard]] std::vector<YAML::Node> sequence_items(DiagnosticSink& sink, const Entry& entry,
                                                     std::string_view what);

// Detects repeated ids among siblings.
class DuplicateTracker {
 public:
  // True when `key` is new; otherwise reports "duplicate <kind> '<key>' in <scope> (first defined at
  // line N)" at `at` and returns false.
  bool add(DiagnosticSink& sink, const std::string& key, Position at, std::string_view kind,
           std::string_view scope);

 private:
  std::map<std::string, Position> first_;
};

}  // namespace strata::config::detail
