#pragma once
// The port every driver implements: it produces tag updates on its own thread and hands them to the
// engine through an UpdateSink (a queue); the engine calls back only to route unit commands.
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model/plant.hpp"
#include "states/packml.hpp"

namespace strata::engine {

class UpdateSink {
 public:
  virtual ~UpdateSink() = default;
  // Thread-safe; never blocks on the engine's work.
  virtual void push(std::vector<model::TagUpdate> batch) = 0;
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
};

}  // namespace strata::engine
