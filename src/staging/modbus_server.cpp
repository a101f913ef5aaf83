#include "staging/modbus_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

namespace strata::staging {
namespace {

// How often the serving thread checks whether to stop; bounds only how long stop() takes.
constexpr long kSelectTimeoutMicros = 50'000;

int bound_port(int socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

int word_at(const std::uint8_t* bytes) {
  return (bytes[0] << 8) | bytes[1];
}

// Where a write request writes, from its PDU (function code first); nullopt for reads.
std::optional<ModbusWrite> write_of(const std::uint8_t* pdu) {
  const int function = pdu[0];
  switch (function) {
    case MODBUS_FC_WRITE_SINGLE_COIL:
    case MODBUS_FC_WRITE_SINGLE_REGISTER:
    case MODBUS_FC_MASK_WRITE_REGISTER:
      return ModbusWrite{function, word_at(pdu + 1), 1};
    case MODBUS_FC_WRITE_MULTIPLE_COILS:
    case MODBUS_FC_WRITE_MULTIPLE_REGISTERS:
      return ModbusWrite{function, word_at(pdu + 1), word_at(pdu + 3)};
    case MODBUS_FC_WRITE_AND_READ_REGISTERS:
      return ModbusWrite{function, word_at(pdu + 5), word_at(pdu + 7)};
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<std::unique_ptr<ModbusServer>> ModbusServer::listen(const std::string& host, int port,
                                                           WriteHandler on_write) {
  const auto where = fmt::format("{}:{}", host, port);
  const auto service = std::to_string(port);
  modbus_t* context = modbus_new_tcp_pi(host.c_str(), service.c_str());
  if (context == nullptr)
    return make_error(fmt::format("cannot serve Modbus on {}: {}", where, std::strerror(errno)));
  errno = 0;
  const int socket = modbus_tcp_pi_listen(context, 16);
  if (socket == -1) {
    const int error = errno;
    modbus_free(context);
    return make_error(
        fmt::format("cannot listen for Modbus on {}: {}{}", where,
                    error != 0 ? std::strerror(error) : "no usable address",
                    error == EADDRINUSE ? " (is another simulator or a PLC using the port?)" : ""));
  }
  // Connector processes (OPC UA) started later must not inherit the listening socket.
  fcntl(socket, F_SETFD, FD_CLOEXEC);
  modbus_mapping_t* mapping = modbus_mapping_new(kTableSize, kTableSize, kTableSize, kTableSize);
  if (mapping == nullptr) {
    ::close(socket);
    modbus_free(context);
    return make_error("cannot allocate the Modbus tables");
  }
  return std::unique_ptr<ModbusServer>(
      new ModbusServer(host, bound_port(socket), context, mapping, socket, std::move(on_write)));
}

ModbusServer::ModbusServer(std::string host, int port, modbus_t* context, modbus_mapping_t* mapping,
                           int listen_socket, WriteHandler on_write)
    : host_(std::move(host)),
      port_(port),
      context_(context),
      on_write_(std::move(on_write)),
      mapping_(mapping),
      listen_socket_(listen_socket) {}

ModbusServer::~ModbusServer() {
  stop();
  ::close(listen_socket_);
  modbus_set_socket(context_, -1);
  modbus_free(context_);
  modbus_mapping_free(mapping_);
}

void ModbusServer::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { serve(); });
}

void ModbusServer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  close_clients();
}

void ModbusServer::update(const std::function<void(ModbusTables&)>& change) {
  std::lock_guard lock(mutex_);
  auto view = tables();
  change(view);
}

ModbusTables ModbusServer::tables() {
  return ModbusTables{
      .coils = {mapping_->tab_bits, static_cast<std::size_t>(mapping_->nb_bits)},
      .discrete_inputs = {mapping_->tab_input_bits, static_cast<std::size_t>(mapping_->nb_input_bits)},
      .holding_registers = {mapping_->tab_registers, static_cast<std::size_t>(mapping_->nb_registers)},
      .input_registers = {mapping_->tab_input_registers,
                          static_cast<std::size_t>(mapping_->nb_input_registers)},
  };
}

void ModbusServer::serve() {
  std::array<std::uint8_t, MODBUS_TCP_MAX_ADU_LENGTH> query{};
  const int header = modbus_get_header_length(context_);  // the PDU (function code first) follows it
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
      const int client = accept4(listen_socket_, nullptr, nullptr, SOCK_CLOEXEC);
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
      if (length == -1) {  // the client closed, or sent garbage: a PLC drops such connections too
        ::close(*it);
        it = clients_.erase(it);
        continue;
      }
      if (length > 0) {
        std::lock_guard lock(mutex_);
        modbus_reply(context_, query.data(), length, mapping_);
        if (const auto write = write_of(query.data() + header); write && on_write_) {
          auto view = tables();
          on_write_(view, *write);
        }
      }
      ++it;
    }
  }
}

void ModbusServer::close_clients() {
  for (const int client : clients_) ::close(client);
  clients_.clear();
}

}  // namespace strata::staging
