#include "reporting/live_series.hpp"

namespace strata::reporting {

Result<std::unique_ptr<LiveSeries>> LiveSeries::create(const model::Plant& plant, Timestamp retention) {
  std::unique_ptr<LiveSeries> live(new LiveSeries(retention));
  live->builder_of_tag_.resize(plant.tags.size());
  for (const auto* unit : plant.units()) {
    auto builder = kpi::SeriesBuilder::create(plant, *unit, 60 * kMicrosPerSecond);
    if (!builder) return builder.error();
    for (const auto tag : builder->tags()) live->builder_of_tag_[tag] = live->builders_.size();
    live->units_.push_back(unit);
    live->builders_.push_back(std::move(*builder));
  }
  return live;
}

std::vector<model::TagIndex> LiveSeries::observed_tags() const {
  std::vector<model::TagIndex> tags;
  for (const auto& builder : builders_) {
    const auto own = builder.tags();
    tags.insert(tags.end(), own.begin(), own.end());
  }
  return tags;
}

void LiveSeries::on_changes(const engine::ChangeSet& changes) {
  std::lock_guard lock(mutex_);
  if (!started_) {
    // Nothing was seeded: the series is complete from the first tick on.
    started_ = true;
    complete_since_ = changes.time;
  }
  add(changes.samples);
  if (changes.time >= next_prune_) {
    const Timestamp horizon = changes.time - retention_;
    for (auto& builder : builders_) builder.prune(horizon);
    complete_since_ = std::max(complete_since_, horizon);
    next_prune_ = changes.time + 60 * kMicrosPerSecond;
  }
}

void LiveSeries::seed(std::span<const model::TagUpdate> samples, Timestamp since) {
  std::lock_guard lock(mutex_);
  add(samples);
  complete_since_ = since;
  started_ = true;
}

void LiveSeries::add(std::span<const model::TagUpdate> samples) {
  for (const auto& sample : samples) {
    if (sample.tag >= builder_of_tag_.size()) continue;
    if (const auto builder = builder_of_tag_[sample.tag]) builders_[*builder].add(sample);
  }
}

std::optional<LiveSeries::Snapshot> LiveSeries::snapshot(const model::WorkUnit& unit) const {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    if (units_[i] != &unit) continue;
    std::lock_guard lock(mutex_);
    if (!started_) return std::nullopt;
    return Snapshot{builders_[i].series(), complete_since_};
  }
  return std::nullopt;
}

}  // namespace strata::reporting
