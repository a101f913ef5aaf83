#include "drivers/modbus/modbus_session.hpp"

#include <fmt/format.h>
#include <modbus/modbus.h>

#include <cerrno>
#include <chrono>

namespace strata::modbus {
namespace {

constexpr long kMicrosPerSecond = 1'000'000;

bool is_exception_response(int error) {
  return error >= EMBXILFUN && error <= EMBXGTAR;
}

}  // namespace

ModbusSession::ModbusSession(const ConnectionSettings& settings) : settings_(settings) {}

ModbusSession::~ModbusSession() {
  close();
  if (context_ != nullptr) modbus_free(context_);
}

IoOutcome ModbusSession::connect() {
  if (context_ == nullptr) {
    // The _pi variant resolves host names and IPv6; plain modbus_new_tcp takes only IPv4 literals.
    const auto service = std::to_string(settings_.port);
    context_ = modbus_new_tcp_pi(settings_.host.c_str(), service.c_str());
    if (context_ == nullptr) return failure("cannot create a Modbus context");
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(settings_.response_timeout).count();
    modbus_set_response_timeout(context_, static_cast<std::uint32_t>(micros / kMicrosPerSecond),
                                static_cast<std::uint32_t>(micros % kMicrosPerSecond));
    modbus_set_slave(context_, settings_.unit_id);
  }
  close();
  errno = 0;
  if (modbus_connect(context_) == -1) return failure(nullptr);
  connected_ = true;
  return {};
}

void ModbusSession::close() {
  if (context_ != nullptr && connected_) modbus_close(context_);
  connected_ = false;
}

IoOutcome ModbusSession::read_registers(Table table, int offset, std::span<std::uint16_t> registers) {
  errno = 0;
  const auto count = static_cast<int>(registers.size());
  const int read = table == Table::InputRegister
                       ? modbus_read_input_registers(context_, offset, count, registers.data())
                       : modbus_read_registers(context_, offset, count, registers.data());
  if (read != count) return failure(nullptr);
  return {};
}

IoOutcome ModbusSession::read_bits(Table table, int offset, std::span<std::uint8_t> bits) {
  errno = 0;
  const auto count = static_cast<int>(bits.size());
  const int read = table == Table::DiscreteInput
                       ? modbus_read_input_bits(context_, offset, count, bits.data())
                       : modbus_read_bits(context_, offset, count, bits.data());
  if (read != count) return failure(nullptr);
  return {};
}

IoOutcome ModbusSession::write_registers(int offset, std::span<const std::uint16_t> registers) {
  errno = 0;
  const auto count = static_cast<int>(registers.size());
  // Some devices implement only FC6, others only FC16 for blocks; use each where it is the natural fit.
  const int written = count == 1 ? modbus_write_register(context_, offset, registers[0])
                                 : modbus_write_registers(context_, offset, count, registers.data());
  if (written != count) return failure(nullptr);
  return {};
}

IoOutcome ModbusSession::write_coil(int offset, bool on) {
  errno = 0;
  if (modbus_write_bit(context_, offset, on ? 1 : 0) != 1) return failure(nullptr);
  return {};
}

IoOutcome ModbusSession::failure(const char* what) {
  const int error = errno;
  // libmodbus returns -1 with errno set; a short count without an error would be a library bug,
  // but is handled like a garbled reply.
  std::string message = error != 0 ? modbus_strerror(error) : "short reply";
  if (what != nullptr) message = fmt::format("{}: {}", what, message);
  if (is_exception_response(error)) return {IoStatus::Refused, message};
  close();
  return {IoStatus::Lost, message};
}

}  // namespace strata::modbus
