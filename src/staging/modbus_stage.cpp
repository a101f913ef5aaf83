#include "staging/modbus_stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "drivers/modbus/register_codec.hpp"
#include "staging/register_encoding.hpp"
#include "staging/staged_plant.hpp"

namespace strata::staging {
namespace {

using modbus::ModbusAddress;
using modbus::Table;

bool fits_table(const ModbusAddress& address) {
  return address.offset + address.width() <= ModbusServer::kTableSize;
}

std::span<std::uint16_t> register_table(ModbusTables& tables, Table table) {
  return table == Table::InputRegister ? tables.input_registers : tables.holding_registers;
}

bool bit_is_set(ModbusTables& tables, const ModbusAddress& address) {
  if (address.table == Table::Coil) return tables.coils[address.offset] != 0;
  if (address.table == Table::DiscreteInput) return tables.discrete_inputs[address.offset] != 0;
  const auto word = register_table(tables, address.table)[address.offset];
  return ((word >> address.bit.value_or(0)) & 1U) != 0;
}

void set_bit(ModbusTables& tables, const ModbusAddress& address, bool on) {
  if (address.table == Table::Coil || address.table == Table::DiscreteInput) {
    auto bits = address.table == Table::Coil ? tables.coils : tables.discrete_inputs;
    bits[address.offset] = on ? 1 : 0;
    return;
  }
  auto& word = register_table(tables, address.table)[address.offset];
  const auto mask = static_cast<std::uint16_t>(1U << address.bit.value_or(0));
  word = on ? static_cast<std::uint16_t>(word | mask) : static_cast<std::uint16_t>(word & ~mask);
}

// Whether a register write covered any register of `address`.
bool writes_into(const ModbusWrite& write, const ModbusAddress& address) {
  const bool register_write =
      write.function == 6 || write.function == 16 || write.function == 22 || write.function == 23;
  return register_write && address.table == Table::HoldingRegister &&
         write.address < address.offset + address.width() && address.offset < write.address + write.count;
}

}  // namespace

Result<std::unique_ptr<ModbusStage>> ModbusStage::create(const model::Plant& plant,
                                                         modbus::ConnectionBinding binding,
                                                         CommandSink on_command) {
  std::string problems;
  for (const auto& tag : binding.tags) {
    if (!fits_table(tag.address)) {
      problems += fmt::format("{}tag {}: {} runs past the last Modbus address", problems.empty() ? "" : "; ",
                              plant.tags[tag.index].id, modbus::to_string(tag.address));
    }
  }
  for (const auto& unit : binding.units) {
    if (!fits_table(unit.target.control_command)) {
      problems += fmt::format("{}unit {}: {} runs past the last Modbus address", problems.empty() ? "" : "; ",
                              unit.unit_id, modbus::to_string(unit.target.control_command));
    }
  }
  if (!problems.empty())
    return make_error(fmt::format("modbus connection '{}': {}", binding.settings.name, problems));

  const auto host = binding.settings.host;
  const auto port = binding.settings.port;
  std::unique_ptr<ModbusStage> stage(new ModbusStage(plant, std::move(binding), std::move(on_command)));
  auto* raw = stage.get();
  auto server = ModbusServer::listen(host, port, [raw](ModbusTables& tables, const ModbusWrite& write) {
    raw->latch_commands(tables, write);
  });
  if (!server)
    return make_error(fmt::format("modbus connection '{}': {}", stage->name_, server.error().message));
  stage->server_ = std::move(*server);
  return stage;
}

ModbusStage::ModbusStage(const model::Plant& plant, modbus::ConnectionBinding binding, CommandSink on_command)
    : name_(binding.settings.name), units_(std::move(binding.units)), on_command_(std::move(on_command)) {
  for (const auto& tag : binding.tags) {
    if (!is_simulated(plant.tags[tag.index])) {
      ++unsimulated_;
      continue;
    }
    served_.emplace(tag.index, tag);
    tag_ids_.emplace(tag.index, plant.tags[tag.index].id);
    if (tag.address.is_bit_table() || tag.address.bit) {
      ++bits_;
    } else {
      registers_ += static_cast<std::size_t>(tag.address.width());
    }
  }
}

void ModbusStage::publish(const std::vector<model::TagUpdate>& updates) {
  server_->update([&](ModbusTables& tables) {
    for (const auto& update : updates) {
      const auto found = served_.find(update.tag);
      if (found != served_.end()) store(tables, found->second, update.value);
    }
  });
}

void ModbusStage::store(ModbusTables& tables, const modbus::BoundTag& tag, const model::Value& value) {
  const auto& address = tag.address;
  if (address.is_bit_table() || address.bit) {
    set_bit(tables, address, model::as_number(value).value_or(0.0) != 0.0);
    return;
  }
  auto registers =
      register_table(tables, address.table)
          .subspan(static_cast<std::size_t>(address.offset), static_cast<std::size_t>(address.width()));
  if (auto stored = encode_registers(address, value, registers);
      !stored && reported_.insert(tag.index).second) {
    // A counter outgrowing its register is a plant-definition problem; say it once, keep serving the rest.
    spdlog::warn("modbus {}: tag {} keeps its last value: {}", name_, tag_ids_.at(tag.index),
                 stored.error().message);
  }
}

void ModbusStage::latch_commands(ModbusTables& tables, const ModbusWrite& write) {
  for (const auto& unit : units_) {
    const auto& target = unit.target;
    if (target.change_request) {
      if (!bit_is_set(tables, *target.change_request)) continue;
      set_bit(tables, *target.change_request, false);
    } else if (!writes_into(write, target.control_command)) {
      // Without a change request, writing CntrlCmd is the command.
      continue;
    }
    const auto& control = target.control_command;
    const auto registers = tables.holding_registers.subspan(static_cast<std::size_t>(control.offset),
                                                            static_cast<std::size_t>(control.width()));
    const auto number = modbus::decode_registers(control, registers, model::TagType::Int64);
    const auto* value = std::get_if<std::int64_t>(&number);
    const auto command = value != nullptr ? states::command_from_number(*value) : std::nullopt;
    if (!command) {
      spdlog::warn("modbus {}: unit {} got CntrlCmd {} at {}, which is no PackML command (1..10)", name_,
                   unit.unit_id, value != nullptr ? *value : 0, modbus::to_string(control));
      continue;
    }
    on_command_(UnitCommand{unit.unit_id, *command, "modbus " + name_});
  }
}

std::string ModbusStage::describe() const {
  auto text = fmt::format(
      "modbus {}: {}:{}, {} simulated tag(s) ({} register(s), {} bit(s)), commands for {} unit(s)", name_,
      server_->host(), server_->port(), served_.size(), registers_, bits_, units_.size());
  if (unsimulated_ > 0) text += fmt::format(", {} tag(s) without simulate held as written", unsimulated_);
  return text;
}

}  // namespace strata::staging
