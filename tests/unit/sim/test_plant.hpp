#pragma once
// Plants built by hand for simulator tests (no YAML: the config loader is a separate module).
#include <string>
#include <utility>
#include <vector>

#include "model/plant.hpp"

namespace strata::sim::test {

inline constexpr const char* kLineId = "acme/s1/packaging/L1";

struct TestUnitSpec {
  std::string local_id;
  model::SimulationProfile profile;
  bool with_sim_tags = true;
};

// PackTags-style names for the eight simulator signals.
inline const std::vector<std::pair<std::string, std::pair<std::string, model::TagType>>>& sim_tag_specs() {
  static const std::vector<std::pair<std::string, std::pair<std::string, model::TagType>>> specs{
      {"Status.StateCurrent", {"sim:state", model::TagType::Int32}},
      {"Status.UnitModeCurrent", {"sim:mode", model::TagType::Int32}},
      {"Status.CurMachSpeed", {"sim:speed", model::TagType::Float64}},
      {"Admin.ProdProcessedCount", {"sim:processed", model::TagType::Int64}},
      {"Admin.ProdDefectiveCount", {"sim:defective", model::TagType::Int64}},
      {"Status.EquipmentInterlock.Blocked", {"sim:blocked", model::TagType::Bool}},
      {"Status.EquipmentInterlock.Starved", {"sim:starved", model::TagType::Bool}},
      {"Admin.StopReason", {"sim:stop_reason", model::TagType::Int32}},
  };
  return specs;
}

inline model::WorkCenter& add_line(model::Plant& plant, const std::string& local_id,
                                   const std::vector<TestUnitSpec>& units) {
  auto& area = plant.sites.at(0).areas.at(0);
  model::WorkCenter line;
  line.local_id = local_id;
  line.id = model::child_id(area.id, local_id);
  line.name = local_id;
  for (const auto& spec : units) {
    model::WorkUnit unit;
    unit.local_id = spec.local_id;
    unit.id = model::child_id(line.id, spec.local_id);
    unit.name = spec.local_id;
    unit.template_unit = spec.local_id;
    unit.simulation = spec.profile;
    if (spec.with_sim_tags) {
      for (const auto& [name, source_and_type] : sim_tag_specs()) {
        model::Tag tag;
        tag.id = unit.id + "/" + name;
        tag.unit_id = unit.id;
        tag.definition.name = name;
        tag.definition.source = source_and_type.first;
        tag.definition.type = source_and_type.second;
        const auto index = static_cast<model::TagIndex>(plant.tags.size());
        plant.tags.push_back(tag);
        unit.tags.push_back(index);
        if (name == "Status.StateCurrent") unit.state_tag = index;
        if (name == "Status.UnitModeCurrent") unit.mode_tag = index;
      }
    }
    line.units.push_back(std::move(unit));
  }
  area.work_centers.push_back(std::move(line));
  return area.work_centers.back();
}

inline model::Plant make_empty_plant() {
  model::Plant plant;
  plant.enterprise = {.id = "acme", .name = "Acme"};
  model::Site site{.id = "acme/s1", .local_id = "s1", .name = "Site 1", .areas = {}};
  site.areas.push_back(model::Area{
      .id = "acme/s1/packaging", .local_id = "packaging", .name = "Packaging", .work_centers = {}});
  plant.sites.push_back(std::move(site));
  return plant;
}

// Filler -> capper -> labeler, every unit with the given profile.
inline model::Plant make_bottling_plant(const model::SimulationProfile& profile = {}) {
  auto plant = make_empty_plant();
  add_line(plant, "L1", {{"filler", profile}, {"capper", profile}, {"labeler", profile}});
  return plant;
}

// A profile that never faults, for tests about sequencing and material flow.
inline model::SimulationProfile reliable_profile() {
  model::SimulationProfile profile;
  profile.mean_time_between_faults = 0.0;  // 0 = no faults
  return profile;
}

inline const model::WorkCenter& first_line(const model::Plant& plant) {
  return plant.sites.at(0).areas.at(0).work_centers.at(0);
}

inline std::string unit_id(const std::string& local_id) {
  return std::string(kLineId) + "/" + local_id;
}

}  // namespace strata::sim::test
