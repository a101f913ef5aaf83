#include "config/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace strata::config::detail {

Position position_of(const YAML::Mark& mark, Position fallback) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return fallback;
  return Position{mark.line + 1, mark.column + 1};
}

Position position_of(const YAML::Node& node, Position fallback) {
  if (!node.IsDefined() || node.IsNull()) return fallback;
  return position_of(node.Mark(), fallback);
}

void DiagnosticSink::error(Position at, std::string message) {
  diagnostics_.push_back(Diagnostic{file_, at.line, at.column, std::move(message)});
}

void DiagnosticSink::file_error(std::string message) {
  diagnostics_.push_back(Diagnostic{file_, 0, 0, std::move(message)});
}

std::vector<Diagnostic> DiagnosticSink::take() {
  auto key = [](const Diagnostic& d) { return std::tie(d.line, d.column); };
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  std::vector<Diagnostic> result;
  for (auto& diagnostic : diagnostics_) {
    const bool seen = std::any_of(result.begin(), result.end(), [&](const Diagnostic& d) {
      return d.line == diagnostic.line && d.column == diagnostic.column && d.message == diagnostic.message;
    });
    if (!seen) result.push_back(std::move(diagnostic));
  }
  diagnostics_.clear();
  return result;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

std::string join(std::initializer_list<std::string_view> items, std::string_view separator) {
  std::string text;
  for (const auto item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

std::string_view describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
  }
  return "nothing";
}

bool is_valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

MapReader::MapReader(DiagnosticSink& sink, const YAML::Node& node, Position fallback, std::string what)
    : sink_(&sink), what_(std::move(what)), position_(position_of(node, fallback)) {
  if (!node.IsMap()) {
    sink.error(position_, fmt::format("expected a map for {}, got {}", what_, describe_kind(node)));
    return;
  }
  ok_ = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    Entry entry;
    entry.key_node = it->first;
    entry.value = it->second;
    entry.key_position = position_of(entry.key_node, position_);
    entry.value_position = position_of(entry.value, entry.key_position);
    if (!entry.key_node.IsScalar()) {
      sink.error(entry.key_position, fmt::format("keys of {} must be plain names", what_));
      continue;
    }
    entry.key = entry.key_node.Scalar();
    entries_.push_back(std::move(entry));
  }
}

const Entry* MapReader::find(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void MapReader::check_keys(std::initializer_list<std::string_view> allowed,
                           std::initializer_list<std::string_view> required) const {
  check_keys(std::vector<std::string>(allowed.begin(), allowed.end()), required);
}

void MapReader::check_keys(const std::vector<std::string>& allowed,
                           std::initializer_list<std::string_view> required) const {
  if (!ok_) return;
  std::vector<std::string_view> seen;
  for (const auto& entry : entries_) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
      sink_->error(entry.key_position, fmt::format("unknown key '{}' in {} (expected one of: {})", entry.key,
                                                   what_, join(allowed)));
    } else if (std::find(seen.begin(), seen.end(), entry.key) != seen.end()) {
      sink_->error(entry.key_position, fmt::format("duplicate key '{}' in {}", entry.key, what_));
    }
    seen.push_back(entry.key);
  }
  for (const auto key : required) {
    if (find(key) == nullptr) {
      sink_->error(position_, fmt::format("missing required key '{}' in {}", key, what_));
    }
  }
}

std::optional<std::string> entry_scalar(DiagnosticSink& sink, const Entry& entry, std::string_view what) {
  if (entry.value.IsScalar()) return entry.value.Scalar();
  if (!entry.value.IsDefined() || entry.value.IsNull()) {
    sink.error(entry.value_position, fmt::format("missing value for '{}' in {}", entry.key, what));
  } else {
    sink.error(entry.value_position, fmt::format("expected a single value for '{}' in {}, got {}", entry.key,
                                                 what, describe_kind(entry.value)));
  }
  return std::nullopt;
}

std::vector<YAML::Node> sequence_items(DiagnosticSink& sink, const Entry& entry, std::string_view what) {
  std::vector<YAML::Node> items;
  if (!entry.value.IsSequence()) {
    sink.error(entry.value_position, fmt::format("expected a sequence for '{}' in {}, got {}", entry.key,
                                                 what, describe_kind(entry.value)));
    return items;
  }
  for (const auto& item : entry.value) items.push_back(item);
  return items;
}

std::optional<std::string> MapReader::scalar(std::string_view key) const {
  const Entry* entry = find(key);
  if (entry == nullptr) return std::nullopt;
  return entry_scalar(*sink_, *entry, what_);
}

std::optional<std::string> MapReader::id(std::string_view key) const {
  auto value = scalar(key);
  if (!value) return std::nullopt;
  if (!is_valid_id(*value)) {
    sink_->error(find(key)->value_position,
                 fmt::format("invalid {} '{}' in {} (ids may contain only letters, digits, '_' and '-')", key,
                             *value, what_));
  }
  return value;  // kept even when invalid so later messages can still name the node
}

bool DuplicateTracker::add(DiagnosticSink& sink, const std::string& key, Position at, std::string_view kind,
                           std::string_view scope) {
  const auto [it, inserted] = first_.emplace(key, at);
  if (inserted) return true;
  sink.error(at, fmt::format("duplicate {} '{}' in {} (first defined at line {})", kind, key, scope,
                             it->second.line));
  return false;
}

}  // namespace strata::config::detail
