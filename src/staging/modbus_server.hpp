#pragma once
// A Modbus TCP server (libmodbus) standing in for a PLC: every table holds all 65536 addresses, clients
// read and write them, and the owner updates them and hears about writes. One select() loop on its own
// thread answers every client from one mapping.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"

typedef struct _modbus modbus_t;                    // NOLINT: libmodbus' spelling
typedef struct _modbus_mapping_t modbus_mapping_t;  // NOLINT

namespace strata::staging {

// The server's data, valid only inside ModbusServer::update() and the write handler (mapping locked).
struct ModbusTables {
  std::span<std::uint8_t> coils;  // one byte per bit, 0 or 1
  std::span<std::uint8_t> discrete_inputs;
  std::span<std::uint16_t> holding_registers;
  std::span<std::uint16_t> input_registers;
};

// A write a client made, after the server applied it.
struct ModbusWrite {
  int function = 0;  // 5 write coil, 6 write register, 15 write coils, 16 write registers, 22, 23
  int address = 0;   // first address written
  int count = 0;     // bits or registers written
};

class ModbusServer {
 public:
  static constexpr int kTableSize = 65536;
  // Runs on the serving thread with the mapping locked; must not block for long.
  using WriteHandler = std::function<void(ModbusTables&, const ModbusWrite&)>;

  // Binds and listens on host:port (port 0: any free port) at once, so a port in use fails here;
  // serving starts with start().
  [[nodiscard]] static Result<std::unique_ptr<ModbusServer>> listen(const std::string& host, int port,
                                                                    WriteHandler on_write = {});
  ~ModbusServer();
  ModbusServer(const ModbusServer&) = delete;
  ModbusServer& operator=(const ModbusServer&) = delete;

  void start();
  // Stops answering and closes every client connection; the port stays bound until destruction.
  void stop();

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& host() const { return host_; }
  // Changes the tables atomically with respect to client requests.
  void update(const std::function<void(ModbusTables&)>& change);
  [[nodiscard]] int connections_accepted() const { return accepted_.load(); }

 private:
  ModbusServer(std::string host, int port, modbus_t* context, modbus_mapping_t* mapping, int listen_socket,
               WriteHandler on_write);
  [[nodiscard]] ModbusTables tables();
  void serve();
  void close_clients();

  std::string host_;
  int port_ = 0;
  modbus_t* context_ = nullptr;  // frames requests and replies; the serving thread sets its socket
  WriteHandler on_write_;

  std::mutex mutex_;  // guards mapping_ between the serving thread and update()
  modbus_mapping_t* mapping_ = nullptr;
  int listen_socket_ = -1;
  std::vector<int> clients_;  // serving thread only
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace strata::staging
