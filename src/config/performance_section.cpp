#include "config/performance_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "common/duration.hpp"
#include "config/parameters.hpp"
#include "kpi/state_mapping.hpp"
#include "states/packml.hpp"

namespace strata::config::detail {
namespace {

bool is_counter_type(model::TagType type) {
  return type == model::TagType::Int32 || type == model::TagType::Int64 || type == model::TagType::Float64 ||
         type == model::TagType::Float32;
}

bool is_code_type(model::TagType type) {
  return type == model::TagType::Int32 || type == model::TagType::Int64;
}

void check_tag(const MapReader& map, std::string_view key, ParsedUnit& unit, std::optional<std::string>& out,
               bool (*accepts)(model::TagType), std::string_view expected) {
  check_unit_tag_reference(map, key, unit, out);
  if (!out) return;
  const auto& tags = unit.model.tags;
  const auto tag = std::find_if(tags.begin(), tags.end(), [&](const auto& t) { return t.name == *out; });
  if (tag != tags.end() && !accepts(tag->type)) {
    map.sink().error(map.find(key)->value_position,
                     fmt::format("{} '{}' of {} must be {} (it is {})", key, *out, map.what(), expected,
                                 model::to_string(tag->type)));
  }
}

std::optional<std::int64_t> parse_code(std::string_view text) {
  std::int64_t code = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return code;
}

std::optional<double> positive_rate(std::string_view text) {
  const auto rate = parse_number(text);
  if (!rate || *rate <= 0.0) return std::nullopt;
  return rate;
}

struct ReasonTreeReader {
  DiagnosticSink& sink;
  std::string template_what;
  std::vector<model::StopReason> reasons;
  std::map<std::int64_t, Position> seen;

  void read_group(const Entry& entry, const std::vector<std::string>& group) {
    const auto what = group.empty()
                          ? fmt::format("stop_reasons of {}", template_what)
                          : fmt::format("stop reason group '{}' of {}", join(group, " / "), template_what);
    MapReader map(sink, entry.value, entry.value_position, what);
    if (!map.ok()) return;
    if (map.entries().empty()) sink.error(entry.value_position, fmt::format("{} is empty", what));
    for (const auto& child : map.entries()) {
      if (child.value.IsMap()) {
        auto path = group;
        path.push_back(child.key);
        read_group(child, path);
        continue;
      }
      const auto code = parse_code(child.key);
      if (!code) {
        sink.error(child.key_position,
                   fmt::format("'{}' in {} is neither a reason code (an integer) nor a group (a map)",
                               child.key, what));
        continue;
      }
      const auto name = entry_scalar(sink, child, what);
      if (!name) continue;
      if (*code == 0) {
        sink.error(child.key_position,
                   fmt::format("stop reason code 0 in {} is reserved for 'no stop reason'", template_what));
        continue;
      }
      const auto [it, inserted] = seen.emplace(*code, child.key_position);
      if (!inserted) {
        sink.error(child.key_position,
                   fmt::format("duplicate stop reason code {} in {} (first defined at line {})", *code,
                               template_what, it->second.line));
        continue;
      }
      reasons.push_back(model::StopReason{*code, *name, group});
    }
  }
};

std::optional<int> parse_mode(std::string_view text) {
  for (int mode = 1; mode <= states::kMaxUnitMode; ++mode) {
    const auto name = states::to_string_mode(mode);
    if (std::equal(name.begin(), name.end(), text.begin(), text.end(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return mode;
    }
  }
  const auto number = parse_code(text);
  if (number && *number >= 1 && *number <= states::kMaxUnitMode) return static_cast<int>(*number);
  return std::nullopt;
}

void read_time_mapping(DiagnosticSink& sink, const Entry& entry, std::vector<model::TimeMappingRule>& rules) {
  const auto items = sequence_items(sink, entry, "the kpi section");
  for (std::size_t i = 0; i < items.size(); ++i) {
    MapReader map(sink, items[i], entry.value_position, fmt::format("time_mapping rule #{}", i + 1));
    if (!map.ok()) continue;
    map.check_keys({"state", "mode", "category"}, {"state", "category"});
    model::TimeMappingRule rule;
    const auto state = read_value(map, "state", "a PackML state name such as Execute or Suspended",
                                  [](std::string_view text) { return states::parse_state(text); });
    const auto category = read_value(map, "category", fmt::format("one of {}", kpi::kTimeCategoryNames),
                                     [](std::string_view text) { return kpi::parse_time_category(text); });
    rule.mode = read_value(
        map, "mode", "a unit mode name (Production, Maintenance, Manual, User4...) or 1..31", parse_mode);
    if (!state || !category || (map.find("mode") != nullptr && !rule.mode)) continue;
    rule.state = std::string(states::to_string(*state));
    rule.category = std::string(kpi::to_string(*category));
    rules.push_back(std::move(rule));
  }
}

}  // namespace

void parse_performance(DiagnosticSink& sink, const Entry& entry, ParsedUnit& unit,
                       const std::string& unit_what) {
  MapReader map(sink, entry.value, entry.value_position, fmt::format("performance of {}", unit_what));
  if (!map.ok()) return;
  map.check_keys({"produced", "defective", "rework", "stop_reason", "ideal_rate", "product", "ideal_rates"},
                 {});
  auto& performance = unit.model.performance;
  constexpr std::string_view kCounter = "a numeric counter tag (int32, int64, float32 or float64)";
  check_tag(map, "produced", unit, performance.produced, is_counter_type, kCounter);
  check_tag(map, "defective", unit, performance.defective, is_counter_type, kCounter);
  check_tag(map, "rework", unit, performance.rework, is_counter_type, kCounter);
  check_tag(map, "stop_reason", unit, performance.stop_reason, is_code_type, "an int32 or int64 tag");
  if ((performance.defective || performance.rework) && !performance.produced) {
    sink.error(map.position(),
               fmt::format("{} counts defective or rework units but has no 'produced' counter "
                           "to count them against",
                           map.what()));
  }
  check_unit_tag_reference(map, "product", unit, performance.product);
  if (const auto* rates = map.find("ideal_rates")) {
    MapReader products(sink, rates->value, rates->value_position,
                       fmt::format("ideal_rates of {}", unit_what));
    for (const auto& product : products.entries()) {
      const auto text = entry_scalar(sink, product, products.what());
      if (!text) continue;
      performance.ideal_rates[product.key] = *text;
      unit.ideal_rates_positions[product.key] = product.value_position;
      if (scan_references(*text).references.empty() && !positive_rate(*text)) {
        sink.error(
            product.value_position,
            fmt::format("ideal rate of product '{}' in {} must be a positive number of units per minute, "
                        "got '{}'",
                        product.key, unit_what, *text));
      }
    }
    if (!performance.product && !products.entries().empty()) {
      sink.error(rates->key_position,
                 fmt::format("{} has ideal_rates per product but no 'product' tag saying "
                             "which product runs",
                             map.what()));
    }
  }
  if (const auto* rate = map.find("ideal_rate")) {
    const auto text = entry_scalar(sink, *rate, map.what());
    if (!text) return;
    performance.ideal_rate = *text;
    unit.ideal_rate_position = rate->value_position;
    if (scan_references(*text).references.empty() && !positive_rate(*text)) {
      sink.error(rate->value_position,
                 fmt::format("ideal_rate of {} must be a positive number of units per minute, got '{}'",
                             unit_what, *text));
    }
  }
}

std::vector<model::StopReason> parse_stop_reasons(DiagnosticSink& sink, const Entry& entry,
                                                  const std::string& template_what) {
  ReasonTreeReader reader{sink, template_what, {}, {}};
  reader.read_group(entry, {});
  return std::move(reader.reasons);
}

model::UnitPerformance build_performance(DiagnosticSink& sink, const ParsedUnit& unit,
                                         const std::map<std::string, model::TagIndex>& tag_of,
                                         const std::map<std::string, std::string>& values,
                                         const std::map<std::string, Position>& value_positions,
                                         const std::string& unit_what) {
  const auto& declared = unit.model.performance;
  model::UnitPerformance performance;
  const auto index_of = [&](const std::optional<std::string>& name) -> std::optional<model::TagIndex> {
    if (!name) return std::nullopt;
    const auto it = tag_of.find(*name);
    return it == tag_of.end() ? std::nullopt : std::optional(it->second);
  };
  performance.produced = index_of(declared.produced);
  performance.defective = index_of(declared.defective);
  performance.rework = index_of(declared.rework);
  performance.stop_reason = index_of(declared.stop_reason);
  performance.product = index_of(declared.product);
  for (const auto& [product, raw] : declared.ideal_rates) {
    const auto text = substitute(raw, values);
    if (!text) continue;  // missing parameter, reported with the parameters
    if (const auto rate = positive_rate(*text)) {
      performance.ideal_rate_by_product[product] = *rate;
    } else if (!scan_references(raw).references.empty()) {
      sink.error(
          blame_position(raw, value_positions, unit.ideal_rates_positions.at(product)),
          fmt::format("ideal rate of product '{}' of {} must be a positive number of units per minute, got "
                      "'{}' (from '{}')",
                      product, unit_what, *text, raw));
    }
  }
  if (declared.ideal_rate.empty()) return performance;
  const auto text = substitute(declared.ideal_rate, values);
  if (!text) return performance;  // missing parameter, reported with the parameters
  if (const auto rate = positive_rate(*text)) {
    performance.ideal_rate_per_minute = *rate;
    return performance;
  }
  const auto scan = scan_references(declared.ideal_rate);
  if (scan.references.empty()) return performance;  // a literal: reported with the template
  sink.error(blame_position(declared.ideal_rate, value_positions, unit.ideal_rate_position),
             fmt::format("ideal_rate of {} must be a positive number of units per minute, got '{}' (from "
                         "'{}')",
                         unit_what, *text, declared.ideal_rate));
  return performance;
}

std::string choose_constraint_unit(const model::LineTemplate& line,
                                   const std::vector<model::WorkUnit>& units) {
  if (line.constraint_unit) return *line.constraint_unit;
  const model::WorkUnit* slowest = nullptr;
  for (const auto& unit : units) {
    const double rate = unit.performance.ideal_rate_per_minute;
    if (rate > 0.0 && (slowest == nullptr || rate < slowest->performance.ideal_rate_per_minute))
      slowest = &unit;
  }
  if (slowest != nullptr) return slowest->local_id;
  return units.empty() ? std::string{} : units.back().local_id;
}

void read_kpi(DiagnosticSink& sink, const Entry& entry, model::KpiSettings& settings) {
  MapReader map(sink, entry.value, entry.value_position, "the kpi section");
  if (!map.ok()) return;
  map.check_keys({"micro_stop_threshold", "time_mapping"}, {});
  if (const auto threshold =
          read_value(map, "micro_stop_threshold", "a duration like 30s or 2m", parse_duration)) {
    settings.micro_stop_threshold = *threshold;
  }
  if (const auto* mapping = map.find("time_mapping"))
    read_time_mapping(sink, *mapping, settings.time_mapping);
}

}  // namespace strata::config::detail
