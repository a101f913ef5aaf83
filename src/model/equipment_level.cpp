#include "model/equipment_level.hpp"

#include "common/name_table.hpp"

namespace strata::model {
namespace {

constexpr NameTable<EquipmentLevel, 12> kNames{{
    {EquipmentLevel::Enterprise, "Enterprise"},
    {EquipmentLevel::Site, "Site"},
    {EquipmentLevel::Area, "Area"},
    {EquipmentLevel::ProcessCell, "ProcessCell"},
    {EquipmentLevel::ProductionUnit, "ProductionUnit"},
    {EquipmentLevel::ProductionLine, "ProductionLine"},
    {EquipmentLevel::StorageZone, "StorageZone"},
    {EquipmentLevel::WorkCenter, "WorkCenter"},
    {EquipmentLevel::Unit, "Unit"},
    {EquipmentLevel::WorkCell, "WorkCell"},
    {EquipmentLevel::StorageUnit, "StorageUnit"},
    {EquipmentLevel::WorkUnit, "WorkUnit"},
}};

}  // namespace

std::string_view to_string(EquipmentLevel level) {
  return name_of(kNames, level, "Other");
}

std::optional<EquipmentLevel> parse_equipment_level(std::string_view text) {
  return value_of(kNames, text);
}

bool is_work_center(EquipmentLevel level) {
  switch (level) {
    case EquipmentLevel::ProcessCell:
    case EquipmentLevel::ProductionUnit:
    case EquipmentLevel::ProductionLine:
    case EquipmentLevel::StorageZone:
    case EquipmentLevel::WorkCenter:
      return true;
    default:
      return false;
  }
}

bool is_work_unit(EquipmentLevel level) {
  switch (level) {
    case EquipmentLevel::Unit:
    case EquipmentLevel::WorkCell:
    case EquipmentLevel::StorageUnit:
    case EquipmentLevel::WorkUnit:
      return true;
    default:
      return false;
  }
}

}  // namespace strata::model
