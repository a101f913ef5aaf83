#pragma once
// The port every driver implements: it produces tag updates on its own thread and hands them to the
// engine through an UpdateSink (a queue); the engine calls back only to route unit commands.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model/plant.hpp"
#include "states/packml.hpp"

namespace strata::engine {

// PackTags command tags: a unit is commanded by writing Command.CntrlCmd = command number, then
// Command.CmdChangeRequest = true (the PLC latches the command and clears the request).
inline constexpr std::string_view kControlCommandTag = "Command.CntrlCmd";
inline constexpr std::string_view kChangeRequestTag = "Command.CmdChangeRequest";

class UpdateSink {
 public:
  virtual ~UpdateSink() = default;
  // Thread-safe; never blocks on the engine's work.
  virtual void push(std::vector<model::TagUpdate> batch) = 0;
};

// Health of one connection (a PLC, a broker, a connector process), for /metrics. Counters are monotonic
// since start; `connected` and `last_error` are current.
struct ConnectionMetrics {
  std::string driver{};      // the driver's scheme or role, e.g. "modbus", "opcua", "sparkplug"
  std::string connection{};  // the connection's name in the plant definition
  bool connected{};
  std::uint64_t reads{};         // read requests answered, or notifications/messages received
  std::uint64_t values{};        // tag values handed to the engine (or published, for an edge node)
  std::uint64_t errors{};        // failed requests, refused connection attempts, undecodable input
  std::uint64_t reconnects{};    // connections re-established after a loss
  std::uint64_t writes{};        // writes (commands, parameters) completed
  std::uint64_t write_errors{};  // writes refused or lost
  double latency_seconds_sum{};  // of read round trips, where the protocol has them
  std::uint64_t latency_count{};
  std::string last_error{};
};

class Driver {
 public:
  virtual ~Driver() = default;
  // Address scheme this driver serves, e.g. "sim" for "sim:state".
  [[nodiscard]] virtual std::string_view scheme() const = 0;
  virtual void start(UpdateSink& sink) = 0;
  virtual void stop() = 0;
  // Called on the engine thread after the engine accepted the command against the unit's state
  // machine; must not block for long (queue the write).
  virtual Result<void> send_command(const model::WorkUnit& unit, states::PackMLCommand command) = 0;
  // Thread-safe snapshot, one entry per connection.
  [[nodiscard]] virtual std::vector<ConnectionMetrics> metrics() const { return {}; }
};

}  // namespace strata::engine
