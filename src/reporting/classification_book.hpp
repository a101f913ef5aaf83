#pragma once
// Operators' classifications of unexplained stops. The journal (events of kind "downtime_classified") is
// the durable record; this book is its in-memory index, loaded at start-up and appended to as operators
// classify. A later classification of the same stop replaces the earlier one (both stay journaled).
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kpi/downtime.hpp"
#include "store/store.hpp"

namespace strata::reporting {

inline constexpr std::string_view kClassificationEvent = "downtime_classified";

class ClassificationBook {
 public:
  void add(const std::string& unit_id, const kpi::OperatorClassification& classification);
  [[nodiscard]] std::vector<kpi::OperatorClassification> of(const std::string& unit_id) const;

  // Replays every classification in the journal. A malformed event (the journal is append-only, so it
  // would stay forever) is skipped rather than keeping the node from starting; the count is returned.
  [[nodiscard]] Result<std::size_t> load(const store::Store& store);

  // The journal payload of a classification and back.
  [[nodiscard]] static std::string payload(const kpi::OperatorClassification& classification);
  [[nodiscard]] static Result<kpi::OperatorClassification> parse(const store::JournalEvent& event);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<Timestamp, kpi::OperatorClassification>> by_unit_;
};

}  // namespace strata::reporting
