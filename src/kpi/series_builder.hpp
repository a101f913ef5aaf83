#pragma once
// Builds a unit's KPI series (state changes, counter increments, stop reason codes) from its tag samples.
// The engine feeds it live and the store replays recorded history through it, so live tiles and
// recomputed reports read the same series.
//
// Rules:
//  - A state sample with Bad quality, or whose value is not a PackML state number, makes the state
//    Undefined (time not counted) until a valid sample arrives: an unknown state is a gap, not a guess.
//  - Counter samples with Bad quality are skipped; the next good one continues from the last good value.
//  - Samples of different tags may arrive slightly out of order; a state or mode change older than the
//    last one recorded is recorded at the last one's time, keeping the series chronological.
//  - With a counter resolution r > 0, increments observed in the same slot ((k-1)·r, k·r] are merged into
//    one stamped with the slot's latest sample, so memory stays bounded while counts per interval stay
//    exact for intervals whose bounds are multiples of r (shift and break times are whole minutes).
#include <optional>

#include "kpi/unit_evaluation.hpp"
#include "model/plant.hpp"

namespace strata::kpi {

class SeriesBuilder {
 public:
  // Counters of int32 tags wrap at 2^31 (PackTags counters are Int32); others never wrap.
  [[nodiscard]] static Result<SeriesBuilder> create(const model::Plant& plant, const model::WorkUnit& unit,
                                                    Timestamp counter_resolution = 0);

  // Tags of the unit that feed the series (state, mode, counters, stop reason, product).
  [[nodiscard]] std::vector<model::TagIndex> tags() const;
  // Ignores samples of other tags.
  void add(const model::TagUpdate& sample);

  [[nodiscard]] const UnitSeries& series() const { return series_; }
  // Forgets what lies before `horizon`, keeping the last state change and stop reason code before it
  // (the state and reason the horizon starts in).
  void prune(Timestamp horizon);

 private:
  struct Counter {
    model::TagIndex tag = 0;
    CounterTracker tracker;
    std::vector<CounterIncrement> UnitSeries::*increments = nullptr;  // a member: builders are moved
  };
  SeriesBuilder() = default;
  void add_state(const model::TagUpdate& sample);
  void add_mode(const model::TagUpdate& sample);
  void record_change(Timestamp at);
  void add_count(Counter& counter, const model::TagUpdate& sample);
  void add_product(const model::TagUpdate& sample);

  std::optional<model::TagIndex> state_tag_;
  std::optional<model::TagIndex> mode_tag_;
  std::optional<model::TagIndex> reason_tag_;
  std::optional<model::TagIndex> product_tag_;
  std::vector<Counter> counters_;
  Timestamp resolution_ = 0;
  states::PackMLState state_ = states::PackMLState::Undefined;
  states::UnitMode mode_ = states::kModeProduction;
  UnitSeries series_;
};

}  // namespace strata::kpi
