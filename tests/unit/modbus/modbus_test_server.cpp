#include "modbus_test_server.hpp"

#include <arpa/inet.h>
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace strata::modbus::test {
namespace {

// How often the serving thread checks whether to stop; only bounds how long go_away() takes.
constexpr long kSelectTimeoutMicros = 20'000;

}  // namespace

ModbusTestServer::ModbusTestServer() {
  mapping_ = modbus_mapping_new(kTableSize, kTableSize, kTableSize, kTableSize);
  if (mapping_ == nullptr) throw std::runtime_error("modbus_mapping_new failed");
  // The context only frames requests and replies; the sockets are managed here.
  context_ = modbus_new_tcp("127.0.0.1", 0);
  if (context_ == nullptr) throw std::runtime_error("modbus_new_tcp failed");
  listen();
  thread_ = std::thread([this] { serve(); });
}

ModbusTestServer::~ModbusTestServer() {
  stop_serving();
  close_all();
  if (placeholder_socket_ != -1) ::close(placeholder_socket_);
  modbus_set_socket(context_, -1);
  modbus_free(context_);
  modbus_mapping_free(mapping_);
}

void ModbusTestServer::go_away() {
  stop_serving();
  if (placeholder_socket_ == -1) placeholder_socket_ = bind_socket();  // before the listener closes: no gap
  close_all();
}

void ModbusTestServer::come_back() {
  stop_serving();
  close_all();
  listen();
  if (placeholder_socket_ != -1) ::close(placeholder_socket_);
  placeholder_socket_ = -1;
  stopping_ = false;
  thread_ = std::thread([this] { serve(); });
}

int ModbusTestServer::bind_socket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1) throw std::runtime_error("socket failed");
  const int on = 1;
  // SO_REUSEADDR: rebind despite TIME_WAIT connections; SO_REUSEPORT: listener and placeholder overlap.
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string("bind failed: ") + std::strerror(errno));
  }
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("getsockname failed");
  }
  port_ = ntohs(address.sin_port);
  return fd;
}

void ModbusTestServer::listen() {
  listen_socket_ = bind_socket();
  if (::listen(listen_socket_, 8) != 0)
    throw std::runtime_error(std::string("listen failed: ") + std::strerror(errno));
}

void ModbusTestServer::stop_serving() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void ModbusTestServer::serve() {
  std::array<std::uint8_t, MODBUS_TCP_MAX_ADU_LENGTH> query{};
  while (!stopping_) {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(listen_socket_, &readable);
    int highest = listen_socket_;
    for (const int client : clients_) {
      FD_SET(client, &readable);
      highest = std::max(highest, client);
    }
    timeval timeout{0, kSelectTimeoutMicros};
    if (select(highest + 1, &readable, nullptr, nullptr, &timeout) <= 0) continue;

    if (FD_ISSET(listen_socket_, &readable)) {
      const int client = accept(listen_socket_, nullptr, nullptr);
      if (client != -1) {
        clients_.push_back(client);
        ++accepted_;
      }
    }
    for (auto it = clients_.begin(); it != clients_.end();) {
      if (!FD_ISSET(*it, &readable)) {
        ++it;
        continue;
      }
      modbus_set_socket(context_, *it);
      const int length = modbus_receive(context_, query.data());
      if (length == -1) {  // the client closed, or sent garbage
        ::close(*it);
        it = clients_.erase(it);
        continue;
      }
      if (length > 0) {
        std::lock_guard lock(mutex_);
        const int header = modbus_get_header_length(context_);  // the function code follows the MBAP header
        requests_.push_back(Request{query[header], (query[header + 1] << 8) | query[header + 2]});
        modbus_reply(context_, query.data(), length, mapping_);
      }
      ++it;
    }
  }
}

void ModbusTestServer::close_all() {
  for (const int client : clients_) ::close(client);
  clients_.clear();
  if (listen_socket_ != -1) ::close(listen_socket_);
  listen_socket_ = -1;
}

void ModbusTestServer::set_holding_registers(int offset, const std::vector<std::uint16_t>& values) {
  std::lock_guard lock(mutex_);
  std::copy(values.begin(), values.end(), mapping_->tab_registers + offset);
}

void ModbusTestServer::set_input_registers(int offset, const std::vector<std::uint16_t>& values) {
  std::lock_guard lock(mutex_);
  std::copy(values.begin(), values.end(), mapping_->tab_input_registers + offset);
}

void ModbusTestServer::set_coil(int offset, bool on) {
  std::lock_guard lock(mutex_);
  mapping_->tab_bits[offset] = on ? 1 : 0;
}

void ModbusTestServer::set_discrete_input(int offset, bool on) {
  std::lock_guard lock(mutex_);
  mapping_->tab_input_bits[offset] = on ? 1 : 0;
}

std::uint16_t ModbusTestServer::holding_register(int offset) {
  std::lock_guard lock(mutex_);
  return mapping_->tab_registers[offset];
}

std::vector<ModbusTestServer::Request> ModbusTestServer::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool ModbusTestServer::coil(int offset) {
  std::lock_guard lock(mutex_);
  return mapping_->tab_bits[offset] != 0;
}

}  // namespace strata::modbus::test
