#pragma once
// A PackML command a client sent to a staged unit over a protocol, on its way to the simulator.
#include <functional>
#include <string>

#include "states/packml.hpp"

namespace strata::staging {

struct UnitCommand {
  std::string unit_id;  // WorkUnit::id
  states::PackMLCommand command = states::PackMLCommand::Undefined;
  std::string via{};  // "modbus L1-plc", for the log
};

// Thread-safe; called on a server's thread, so it only queues.
using CommandSink = std::function<void(UnitCommand)>;

}  // namespace strata::staging
