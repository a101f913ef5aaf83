#pragma once
// ISA-95 role-based equipment hierarchy levels, named as in B2MML EquipmentLevel1Type.
#include <optional>
#include <string_view>

namespace strata::model {

enum class EquipmentLevel {
  Enterprise,
  Site,
  Area,
  // Work centers
  ProcessCell,
  ProductionUnit,
  ProductionLine,
  StorageZone,
  WorkCenter,
  // Work units
  Unit,
  WorkCell,
  StorageUnit,
  WorkUnit,
};

[[nodiscard]] std::string_view to_string(EquipmentLevel level);
[[nodiscard]] std::optional<EquipmentLevel> parse_equipment_level(std::string_view text);
[[nodiscard]] bool is_work_center(EquipmentLevel level);
[[nodiscard]] bool is_work_unit(EquipmentLevel level);

}  // namespace strata::model
