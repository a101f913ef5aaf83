#pragma once
// A small staged plant (one line, a filler and a capper behind one Modbus PLC) loaded through the real
// YAML loader, and the connection settings a driver needs to reach where the stage listens.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "config/plant_loader.hpp"
#include "drivers/modbus/connection_settings.hpp"
#include "model/plant.hpp"

namespace strata::staging::test {

// The filler is commanded through its Command.* tags (coil change request), the capper through the
// connection's commands entry (a holding-register bit).
inline constexpr std::string_view kModbusPlant = R"(strata: 1
enterprise: { id: acme, name: ACME }
connections:
  modbus:
    - name: plc
      host: 127.0.0.1
      port: 15020
      commands:
        - { unit: s/a/L1/capper, control_command: "hr150", change_request: "hr151:bit3" }
templates:
  - id: line
    version: 1.0.0
    level: ProductionLine
    units:
      - id: filler
        level: WorkCell
        state_tag: Status.StateCurrent
        mode_tag: Status.UnitModeCurrent
        tags:
          - { name: Status.StateCurrent, type: int32, source: "modbus:plc/hr0:int32", simulate: state }
          - { name: Status.UnitModeCurrent, type: int32, source: "modbus:plc/hr2", simulate: mode }
          - { name: Status.CurMachSpeed, type: float64, source: "modbus:plc/hr4:float32:CDAB", simulate: speed }
          - { name: Admin.ProdProcessedCount, type: int64, source: "modbus:plc/ir0:int64", simulate: processed }
          - { name: Status.Blocked, type: bool, source: "modbus:plc/di0", simulate: blocked }
          - { name: Status.Starved, type: bool, source: "modbus:plc/hr8:bit2", simulate: starved }
          - { name: Command.CntrlCmd, type: int32, source: "modbus:plc/hr10:int32" }
          - { name: Command.CmdChangeRequest, type: bool, source: "modbus:plc/coil0" }
        simulation: { design_speed: "600" }
      - id: capper
        level: WorkCell
        state_tag: Status.StateCurrent
        tags:
          - { name: Status.StateCurrent, type: int32, source: "modbus:plc/hr100", simulate: state }
          - { name: Admin.ProdProcessedCount, type: int64, source: "modbus:plc/hr102:int64:DCBA", simulate: processed }
          - { name: Status.CurMachSpeed, type: float64, source: "sim:speed" }
        simulation: { design_speed: "600" }
sites:
  - id: s
    areas:
      - id: a
        work_centers:
          - { id: L1, template: { id: line, version: 1.0.0 } }
)";

inline constexpr std::string_view kFiller = "s/a/L1/filler";
inline constexpr std::string_view kCapper = "s/a/L1/capper";

inline model::Plant load_plant(std::string_view yaml) {
  auto result = config::load_plant_string(std::string(yaml), "staged.yaml");
  EXPECT_TRUE(result.ok()) << config::to_string(result.diagnostics);
  return result.ok() ? std::move(*result.plant) : model::Plant{};
}

// The test plant with its PLC on any free port (port 0), so tests never collide.
inline model::Plant modbus_plant() {
  auto plant = load_plant(kModbusPlant);
  for (auto& connection : plant.modbus_connections) connection.port = 0;
  // No faults (the YAML cannot say so), so states follow commands only.
  for (auto& site : plant.sites) {
    for (auto& area : site.areas) {
      for (auto& line : area.work_centers) {
        for (auto& unit : line.units) unit.simulation.mean_time_between_faults = 0;
      }
    }
  }
  return plant;
}

inline model::TagIndex tag(const model::Plant& plant, std::string_view unit, std::string_view name) {
  return *plant.find_tag(std::string(unit) + "/" + std::string(name));
}

}  // namespace strata::staging::test
