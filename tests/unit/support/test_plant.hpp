#pragma once
// A small hand-built plant for unit tests that must not depend on the YAML loader.
#include <string>
#include <utility>
#include <vector>

#include "model/plant.hpp"

namespace strata::test {

// One line with two units, each with a state tag and a speed tag.
inline model::Plant two_unit_plant() {
  model::Plant plant;
  plant.enterprise = {"acme", "ACME"};
  model::WorkCenter line;
  line.id = "site/area/L1";
  for (const std::string name : {"filler", "capper"}) {
    model::WorkUnit unit;
    unit.id = line.id + "/" + name;
    unit.local_id = name;
    for (const auto& [tag_name, source] : std::vector<std::pair<std::string, std::string>>{
             {"Status.StateCurrent", "fake:state"}, {"Status.CurMachSpeed", "fake:speed"}}) {
      const auto index = static_cast<model::TagIndex>(plant.tags.size());
      plant.tags.push_back(
          {unit.id + "/" + tag_name, unit.id, {tag_name, model::TagType::Float64, "", source, ""}});
      unit.tags.push_back(index);
      if (tag_name == "Status.StateCurrent") unit.state_tag = index;
    }
    line.units.push_back(unit);
  }
  model::Area area;
  area.id = "site/area";
  area.work_centers.push_back(line);
  model::Site site;
  site.id = "site";
  site.areas.push_back(area);
  plant.sites.push_back(site);
  return plant;
}

}  // namespace strata::test
