#pragma once
// One OPC UA connection of a staged plant: an OPC UA server on the connection's endpoint, run by the
// connector in role "server" (docs/connector-protocol.md), with a variable per node the plant reads; the
// simulated tags' values are `set` on it. Command nodes are writable, and the PackTags handshake a client
// writes (CntrlCmd, then CmdChangeRequest = true) goes to the simulator, CmdChangeRequest back to false.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "drivers/connector/connector_process.hpp"
#include "drivers/opcua/opcua_binding.hpp"
#include "model/plant.hpp"
#include "staging/opcua_endpoint.hpp"
#include "staging/unit_command.hpp"

namespace strata::staging {

class OpcUaStage {
 public:
  // Checks the node ids (ns=1, the server's own namespace) and that the endpoint's port is free.
  [[nodiscard]] static Result<std::unique_ptr<OpcUaStage>> create(const model::Plant& plant,
                                                                  opcua::OpcUaBinding binding,
                                                                  std::vector<std::string> connector_argv,
                                                                  CommandSink on_command);
  ~OpcUaStage();
  OpcUaStage(const OpcUaStage&) = delete;
  OpcUaStage& operator=(const OpcUaStage&) = delete;

  // Starts the connector with the values published so far; it is restarted if it dies.
  void start();
  void stop();
  void publish(const std::vector<model::TagUpdate>& updates);
  // Blocks until the server listens; an error when the connector failed or `timeout` passed first.
  [[nodiscard]] Result<void> wait_until_listening(std::chrono::milliseconds timeout);

  [[nodiscard]] const std::string& name() const { return name_; }
  // "opcua L2-plc: opc.tcp://127.0.0.1:4841/strata, 24 simulated tag(s), 30 node(s), commands for 3 unit(s)".
  [[nodiscard]] std::string describe() const;

 private:
  struct Node {
    std::string node_id;
    std::vector<std::string> browse_path;
    std::string data_type;
    bool writable = false;
    nlohmann::json value;  // latest, what a restarted connector starts with
  };
  struct CommandNodes {
    std::string unit_id;
    std::size_t control = 0;  // handles
    std::optional<std::size_t> change_request;
  };

  OpcUaStage(std::string name, OpcUaEndpoint endpoint, CommandSink on_command);
  [[nodiscard]] nlohmann::json config() const;  // mutex_ held
  void on_message(const nlohmann::json& message);
  void on_written(std::size_t h, const nlohmann::json& value);
  void command_unit(const CommandNodes& unit);
  [[nodiscard]] nlohmann::json set_all() const;  // mutex_ held

  std::string name_;
  OpcUaEndpoint endpoint_;
  std::string url_;
  CommandSink on_command_;
  std::size_t simulated_ = 0;
  std::map<model::TagIndex, std::size_t> handle_of_tag_;  // simulated tags
  std::vector<CommandNodes> commands_;
  std::vector<std::string> connector_argv_;

  mutable std::mutex mutex_;  // guards nodes_' values and the flags between the simulator and the I/O thread
  std::condition_variable changed_;
  std::vector<Node> nodes_;  // handle h = index
  bool up_ = false;
  bool listening_ = false;
  std::string failure_;
  std::unique_ptr<connector::ConnectorProcess> process_;
};

}  // namespace strata::staging
