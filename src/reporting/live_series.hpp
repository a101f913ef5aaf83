#pragma once
// The recent KPI series of every unit, kept in memory so live tiles (this shift, today) cost no store
// reads. It observes every update of the units' state, mode, counter and stop reason tags on the engine
// thread; HTTP threads take copies under a lock. After a restart it is seeded from the recorded history.
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "engine/plant_state.hpp"
#include "kpi/series_builder.hpp"

namespace strata::reporting {

class LiveSeries final : public engine::ChangeListener {
 public:
  // Counter increments are merged per minute (exact for periods bounded on whole minutes), and what is
  // older than `retention` is forgotten.
  [[nodiscard]] static Result<std::unique_ptr<LiveSeries>> create(const model::Plant& plant,
                                                                  Timestamp retention = 26LL * 3600 *
                                                                                        kMicrosPerSecond);

  [[nodiscard]] std::vector<model::TagIndex> observed_tags() const override;
  void on_changes(const engine::ChangeSet& changes) override;

  // Feeds recorded samples (chronological) and declares the series complete from `since`; call before the
  // engine starts so live samples follow the replayed ones.
  void seed(std::span<const model::TagUpdate> samples, Timestamp since);

  struct Snapshot {
    kpi::UnitSeries series;
    Timestamp complete_since = 0;  // the series holds everything from here on
  };
  // nullopt for a unit that is not part of the plant this was created for.
  [[nodiscard]] std::optional<Snapshot> snapshot(const model::WorkUnit& unit) const;

 private:
  explicit LiveSeries(Timestamp retention) : retention_(retention) {}
  void add(std::span<const model::TagUpdate> samples);

  Timestamp retention_;
  std::vector<const model::WorkUnit*> units_;
  std::vector<std::optional<std::size_t>> builder_of_tag_;  // by TagIndex

  mutable std::mutex mutex_;
  std::vector<kpi::SeriesBuilder> builders_;  // by position in units_
  Timestamp complete_since_ = 0;
  bool started_ = false;
  Timestamp next_prune_ = 0;
};

}  // namespace strata::reporting
