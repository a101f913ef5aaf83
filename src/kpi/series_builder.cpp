#include "kpi/series_builder.hpp"

#include <algorithm>
#include <cmath>

namespace strata::kpi {
namespace {

std::optional<std::int64_t> whole_number(const model::Value& value) {
  const auto number = model::as_number(value);
  if (!number || !std::isfinite(*number)) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*number));
}

template <typename Item>
void prune_before(std::vector<Item>& items, Timestamp horizon, bool keep_last_before) {
  auto first_kept = std::lower_bound(items.begin(), items.end(), horizon,
                                     [](const Item& item, Timestamp t) { return item.at < t; });
  if (keep_last_before && first_kept != items.begin()) --first_kept;
  items.erase(items.begin(), first_kept);
}

}  // namespace

Result<SeriesBuilder> SeriesBuilder::create(const model::Plant& plant, const model::WorkUnit& unit,
                                            Timestamp counter_resolution) {
  SeriesBuilder builder;
  builder.state_tag_ = unit.state_tag;
  builder.mode_tag_ = unit.mode_tag;
  builder.reason_tag_ = unit.performance.stop_reason;
  builder.product_tag_ = unit.performance.product;
  builder.resolution_ = counter_resolution;
  const auto& performance = unit.performance;
  const std::pair<std::optional<model::TagIndex>, std::vector<CounterIncrement> UnitSeries::*> counters[] = {
      {performance.produced, &UnitSeries::produced},
      {performance.defective, &UnitSeries::defective},
      {performance.rework, &UnitSeries::rework}};
  for (const auto& [tag, increments] : counters) {
    if (!tag) continue;
    CounterOptions options;
    if (plant.tags[*tag].definition.type == model::TagType::Int32) options.modulus = kInt32CounterModulus;
    auto tracker = CounterTracker::create(options);
    if (!tracker) return tracker.error();
    builder.counters_.push_back(Counter{*tag, std::move(*tracker), increments});
  }
  return builder;
}

std::vector<model::TagIndex> SeriesBuilder::tags() const {
  std::vector<model::TagIndex> tags;
  for (const auto& tag : {state_tag_, mode_tag_, reason_tag_, product_tag_}) {
    if (tag) tags.push_back(*tag);
  }
  for (const auto& counter : counters_) tags.push_back(counter.tag);
  return tags;
}

void SeriesBuilder::add(const model::TagUpdate& sample) {
  if (sample.tag == state_tag_) {
    add_state(sample);
  } else if (sample.tag == mode_tag_) {
    add_mode(sample);
  } else if (sample.tag == product_tag_) {
    add_product(sample);
  } else if (sample.tag == reason_tag_) {
    if (sample.quality == model::Quality::Bad) return;
    const auto code = whole_number(sample.value);
    auto& codes = series_.stop_reasons;
    if (!code || (!codes.empty() && codes.back().code == *code)) return;
    codes.push_back(
        {std::max(sample.source_time, codes.empty() ? sample.source_time : codes.back().at), *code});
  } else {
    for (auto& counter : counters_) {
      if (counter.tag == sample.tag) add_count(counter, sample);
    }
  }
}

void SeriesBuilder::add_product(const model::TagUpdate& sample) {
  if (sample.quality == model::Quality::Bad) return;
  std::string product;
  if (const auto* text = std::get_if<std::string>(&sample.value)) {
    product = *text;
  } else if (const auto number = whole_number(sample.value)) {
    product = std::to_string(*number);  // integer product ids read as in the plant file: "42"
  } else {
    return;
  }
  auto& products = series_.products;
  if (!products.empty() && products.back().product == product) return;
  const Timestamp at =
      products.empty() ? sample.source_time : std::max(sample.source_time, products.back().at);
  products.push_back(ProductSample{at, std::move(product)});
}

void SeriesBuilder::add_state(const model::TagUpdate& sample) {
  std::optional<states::PackMLState> state;
  if (sample.quality != model::Quality::Bad) {
    if (const auto number = whole_number(sample.value)) state = states::state_from_number(*number);
  }
  const auto next = state.value_or(states::PackMLState::Undefined);
  if (!series_.changes.empty() && next == state_) return;
  state_ = next;
  record_change(sample.source_time);
}

void SeriesBuilder::add_mode(const model::TagUpdate& sample) {
  if (sample.quality == model::Quality::Bad) return;
  const auto number = whole_number(sample.value);
  if (!number || *number == mode_) return;
  mode_ = static_cast<states::UnitMode>(*number);
  record_change(sample.source_time);
}

void SeriesBuilder::record_change(Timestamp at) {
  auto& changes = series_.changes;
  if (!changes.empty()) at = std::max(at, changes.back().at);
  if (!changes.empty() && changes.back().at == at) {
    changes.back().state = state_;  // two samples of one instant: the later one wins
    changes.back().mode = mode_;
    return;
  }
  changes.push_back(StateChange{at, state_, mode_});
}

void SeriesBuilder::add_count(Counter& counter, const model::TagUpdate& sample) {
  if (sample.quality == model::Quality::Bad) return;
  const auto value = whole_number(sample.value);
  if (!value) return;
  const auto increment = counter.tracker.add(CounterSample{sample.source_time, *value});
  if (!increment || *increment == 0) return;  // an out-of-order sample is dropped, not counted twice
  auto& increments = series_.*counter.increments;
  const auto slot = [this](Timestamp t) { return resolution_ > 0 ? (t - 1) / resolution_ : t; };
  if (resolution_ > 0 && !increments.empty() && slot(increments.back().at) == slot(sample.source_time)) {
    increments.back().at = sample.source_time;
    increments.back().count += *increment;
    return;
  }
  increments.push_back(CounterIncrement{sample.source_time, *increment});
}

void SeriesBuilder::prune(Timestamp horizon) {
  prune_before(series_.changes, horizon, true);
  prune_before(series_.stop_reasons, horizon, true);
  prune_before(series_.products, horizon, true);
  for (auto& counter : counters_) prune_before(series_.*counter.increments, horizon, false);
}

}  // namespace strata::kpi
