#include "reporting/classification_book.hpp"

#include <nlohmann/json.hpp>

namespace strata::reporting {

using nlohmann::json;

void ClassificationBook::add(const std::string& unit_id, const kpi::OperatorClassification& classification) {
  std::lock_guard lock(mutex_);
  by_unit_[unit_id][classification.record_begin] = classification;
}

std::vector<kpi::OperatorClassification> ClassificationBook::of(const std::string& unit_id) const {
  std::vector<kpi::OperatorClassification> list;
  std::lock_guard lock(mutex_);
  const auto unit = by_unit_.find(unit_id);
  if (unit == by_unit_.end()) return list;
  for (const auto& [begin, classification] : unit->second) list.push_back(classification);
  return list;
}

std::string ClassificationBook::payload(const kpi::OperatorClassification& classification) {
  return json{{"record_begin", classification.record_begin},
              {"code", classification.code},
              {"comment", classification.comment},
              {"by", classification.by}}
      .dump();
}

Result<kpi::OperatorClassification> ClassificationBook::parse(const store::JournalEvent& event) {
  const auto body = json::parse(event.payload, nullptr, false);
  if (!body.is_object() || !body.contains("record_begin") || !body["record_begin"].is_number_integer() ||
      !body.contains("code") || !body["code"].is_number_integer()) {
    return make_error("journal event " + std::to_string(event.seq) + " is not a downtime classification");
  }
  kpi::OperatorClassification classification;
  classification.record_begin = body["record_begin"].get<Timestamp>();
  classification.code = body["code"].get<std::int64_t>();
  classification.comment = body.value("comment", "");
  classification.by = body.value("by", "");
  classification.at = event.time;
  return classification;
}

Result<std::size_t> ClassificationBook::load(const store::Store& store) {
  constexpr std::size_t kPage = 10'000;
  std::int64_t after = 0;
  std::size_t skipped = 0;
  for (;;) {
    auto events = store.events(after, kPage, std::string(kClassificationEvent));
    if (!events) return events.error();
    for (const auto& event : *events) {
      after = event.seq;
      if (auto classification = parse(event)) {
        add(event.subject, *classification);
      } else {
        ++skipped;
      }
    }
    if (events->size() < kPage) return skipped;
  }
}

}  // namespace strata::reporting
