#pragma once
// The vocabulary of an alarm's life (ISA-18.2 state diagram, standards.md §4.2): the states a console
// shows, the actions that move an alarm between them, and the Transition record the engine journals.
//
// Rules:
//  - The displayed state is derived from independent facts, the way OPC UA Part 9 models them: whether the
//    condition is active, acknowledged, latched, shelved, suppressed by design and out of service.
//  - When several reasons hide an alarm, the displayed state is the strongest: OutOfService (maintenance
//    owns it) > Shelved (an operator chose to hide it) > SuppressedByDesign (the unit's state hides it).
//  - Latched comes in two flavours so a console knows whether to flash it.
#include <cstdint>
#include <string>

#include "common/clock.hpp"

namespace strata::alarms {

enum class AlarmState : std::uint8_t {
  Normal,                  // A: not active, acknowledged
  Unacknowledged,          // B: active, not acknowledged (flashing, audible)
  Acknowledged,            // C: active, acknowledged
  ReturnedUnacknowledged,  // D: back to normal before anyone acknowledged it
  LatchedUnacknowledged,   // E: latching alarm cleared, awaiting acknowledgement and reset
  LatchedAcknowledged,     // E: latching alarm cleared and acknowledged, awaiting reset
  Shelved,                 // F: hidden by an operator, for a limited time
  SuppressedByDesign,      // G: hidden by logic (the unit's PackML state)
  OutOfService,            // H: removed for maintenance
};

enum class ShelveKind : std::uint8_t {
  None,
  Timed,    // lasts its duration whatever the alarm does
  OneShot,  // ends when the alarm returns to normal (or at the definition's maximum, whichever is first)
};

// Why a transition happened. The first group comes from the process and time, the second from people.
enum class AlarmAction : std::uint8_t {
  ConditionActive,
  ConditionCleared,
  Suppress,
  Unsuppress,
  ShelveExpired,
  OneShotShelveEnded,  // the shelved alarm returned to normal, which also clears its condition
  Acknowledge,
  Shelve,
  Unshelve,
  RemoveFromService,
  ReturnToService,
  Reset,  // of a latched alarm
};

// One entry for the journal. Condition changes are recorded even while the alarm is hidden (from == to),
// so activations that nobody saw can still be counted; condition_active tells the condition after the
// transition, whatever the action.
struct Transition {
  std::string alarm_id;
  AlarmState from = AlarmState::Normal;
  AlarmState to = AlarmState::Normal;
  AlarmAction action = AlarmAction::ConditionActive;
  Timestamp at = 0;
  std::string actor;  // empty for the system (process, clock, unit state)
  std::string comment;
  bool condition_active = false;

  friend bool operator==(const Transition&, const Transition&) = default;
};

}  // namespace strata::alarms
