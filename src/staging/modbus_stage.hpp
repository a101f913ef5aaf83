#pragma once
// One Modbus connection of a staged plant: a ModbusServer on the connection's host:port holding the
// simulated tags at their addresses, and latching the PackTags command handshake of the units commanded
// through the connection (CntrlCmd written, then CmdChangeRequest set: the command goes to the
// simulator and CmdChangeRequest is cleared, as a PLC does).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "drivers/modbus/tag_binding.hpp"
#include "model/plant.hpp"
#include "staging/modbus_server.hpp"
#include "staging/unit_command.hpp"

namespace strata::staging {

class ModbusStage {
 public:
  // Listens at once (a port in use fails here). Tags of the binding without `simulate` (command
  // registers, say) are plain memory clients may write.
  [[nodiscard]] static Result<std::unique_ptr<ModbusStage>> create(const model::Plant& plant,
                                                                   modbus::ConnectionBinding binding,
                                                                   CommandSink on_command);
  ModbusStage(const ModbusStage&) = delete;
  ModbusStage& operator=(const ModbusStage&) = delete;

  void start() { server_->start(); }
  void stop() { server_->stop(); }
  // Stores the values of this connection's simulated tags; other tags are ignored.
  void publish(const std::vector<model::TagUpdate>& updates);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] int port() const { return server_->port(); }
  // "modbus L1-plc: 127.0.0.1:15020, 24 simulated tags (40 registers, 6 bits), commands for 3 units".
  [[nodiscard]] std::string describe() const;

 private:
  ModbusStage(const model::Plant& plant, modbus::ConnectionBinding binding, CommandSink on_command);
  void store(ModbusTables& tables, const modbus::BoundTag& tag, const model::Value& value);
  void latch_commands(ModbusTables& tables, const ModbusWrite& write);

  std::string name_;
  std::map<model::TagIndex, modbus::BoundTag> served_;  // simulated tags only
  std::map<model::TagIndex, std::string> tag_ids_;      // for messages
  std::vector<modbus::BoundUnit> units_;
  std::size_t unsimulated_ = 0;
  std::size_t registers_ = 0;
  std::size_t bits_ = 0;
  CommandSink on_command_;
  std::set<model::TagIndex> reported_;  // tags whose value could not be stored, warned about once
  std::unique_ptr<ModbusServer> server_;
};

}  // namespace strata::staging
