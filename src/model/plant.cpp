#include "model/plant.hpp"

namespace strata::model {

std::vector<const WorkUnit*> Plant::units() const {
  std::vector<const WorkUnit*> result;
  for (const auto& site : sites) {
    for (const auto& area : site.areas) {
      for (const auto& center : area.work_centers) {
        for (const auto& unit : center.units) result.push_back(&unit);
      }
    }
  }
  return result;
}

const WorkUnit* Plant::find_unit(std::string_view id) const {
  for (const auto* unit : units()) {
    if (unit->id == id) return unit;
  }
  return nullptr;
}

const WorkCenter* Plant::find_work_center(std::string_view id) const {
  for (const auto& site : sites) {
    for (const auto& area : site.areas) {
      for (const auto& center : area.work_centers) {
        if (center.id == id) return &center;
      }
    }
  }
  return nullptr;
}

const WorkCenter* Plant::work_center_of(const WorkUnit& unit) const {
  for (const auto& site : sites) {
    for (const auto& area : site.areas) {
      for (const auto& center : area.work_centers) {
        for (const auto& candidate : center.units) {
          if (&candidate == &unit) return &center;
        }
      }
    }
  }
  return nullptr;
}

std::optional<TagIndex> Plant::find_tag(std::string_view id) const {
  for (TagIndex i = 0; i < tags.size(); ++i) {
    if (tags[i].id == id) return i;
  }
  return std::nullopt;
}

const LineTemplate* Plant::find_template(std::string_view id, std::string_view version) const {
  for (const auto& t : templates) {
    if (t.id == id && t.version == version) return &t;
  }
  return nullptr;
}

std::string child_id(std::string_view parent, std::string_view local_id) {
  std::string id(parent);
  if (!id.empty()) id += '/';
  id += local_id;
  return id;
}

}  // namespace strata::model
