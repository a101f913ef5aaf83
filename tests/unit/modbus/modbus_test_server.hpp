#pragma once
// A real libmodbus TCP server on 127.0.0.1 (ephemeral port) for driver tests: a select() loop on its
// own thread answers every client from one register mapping the test reads and writes.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

typedef struct _modbus modbus_t;                    // NOLINT: libmodbus' spelling
typedef struct _modbus_mapping_t modbus_mapping_t;  // NOLINT

namespace strata::modbus::test {

class ModbusTestServer {
 public:
  // One request as received, for checking the order of writes.
  struct Request {
    int function = 0;  // Modbus function code, e.g. 5 write coil, 6 write register, 16 write registers
    int address = 0;
  };

  // Addresses 0..kTableSize-1 exist in every table; reading beyond gives "illegal data address".
  static constexpr int kTableSize = 4096;

  ModbusTestServer();
  ~ModbusTestServer();
  ModbusTestServer(const ModbusTestServer&) = delete;
  ModbusTestServer& operator=(const ModbusTestServer&) = delete;

  [[nodiscard]] int port() const { return port_; }

  // Closes the listening socket and every client: reads fail, new connections are refused. The port
  // stays bound (not listening), so no other test process can take it meanwhile.
  void go_away();
  // Listens again on the same port, with the mapping as it was.
  void come_back();

  void set_holding_registers(int offset, const std::vector<std::uint16_t>& values);
  void set_input_registers(int offset, const std::vector<std::uint16_t>& values);
  void set_coil(int offset, bool on);
  void set_discrete_input(int offset, bool on);
  [[nodiscard]] std::uint16_t holding_register(int offset);
  [[nodiscard]] bool coil(int offset);
  [[nodiscard]] int connections_accepted() const { return accepted_.load(); }
  [[nodiscard]] std::vector<Request> requests();

 private:
  // A socket bound to 127.0.0.1:port_ (0: any free port) that shares the port with its siblings.
  int bind_socket();
  void listen();
  void serve();
  void stop_serving();
  void close_all();

  std::mutex mutex_;  // guards mapping_ between the serving thread and the test
  modbus_mapping_t* mapping_ = nullptr;
  modbus_t* context_ = nullptr;  // serving thread only while it runs
  int port_ = 0;
  int listen_socket_ = -1;
  int placeholder_socket_ = -1;  // holds the port while the server is away
  std::vector<int> clients_;
  std::vector<Request> requests_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace strata::modbus::test
