#pragma once
// One libmodbus TCP client context, owned and closed in one place. Calls block for at most the
// response timeout; every outcome says whether the device refused the request (an exception
// response: the connection is fine) or the connection is gone.
#include <cstdint>
#include <span>
#include <string>

#include "drivers/modbus/connection_settings.hpp"
#include "drivers/modbus/modbus_address.hpp"

typedef struct _modbus modbus_t;  // NOLINT: libmodbus' own spelling, so modbus.h stays out of headers

namespace strata::modbus {

enum class IoStatus : std::uint8_t {
  Ok,
  Refused,  // the device answered with a Modbus exception (e.g. illegal data address)
  Lost,     // timeout, reset, garbled or out-of-sequence reply: reconnect to resynchronise
};

struct IoOutcome {
  IoStatus status = IoStatus::Ok;
  std::string message;  // the reason (libmodbus' text), without what was attempted; empty when Ok

  [[nodiscard]] bool ok() const { return status == IoStatus::Ok; }
};

class ModbusSession {
 public:
  explicit ModbusSession(const ConnectionSettings& settings);
  ~ModbusSession();
  ModbusSession(const ModbusSession&) = delete;
  ModbusSession& operator=(const ModbusSession&) = delete;

  IoOutcome connect();
  void close();
  [[nodiscard]] bool connected() const { return connected_; }

  // registers.size() / bits.size() addresses from `offset` of a register / bit table.
  IoOutcome read_registers(Table table, int offset, std::span<std::uint16_t> registers);
  IoOutcome read_bits(Table table, int offset, std::span<std::uint8_t> bits);
  // FC6 for one register, FC16 for several.
  IoOutcome write_registers(int offset, std::span<const std::uint16_t> registers);
  IoOutcome write_coil(int offset, bool on);

 private:
  // `what` prefixes the message when the caller cannot know it (context creation).
  IoOutcome failure(const char* what);

  const ConnectionSettings& settings_;
  modbus_t* context_ = nullptr;
  bool connected_ = false;
};

}  // namespace strata::modbus
