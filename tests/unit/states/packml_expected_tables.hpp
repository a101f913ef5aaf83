#pragma once
// The PackML transition table of standards.md §3.3 written out by hand, cell by cell, so the tests
// compare the code against the standard and not against itself.
#include <array>
#include <optional>

#include "states/packml.hpp"

namespace strata::states::test {

// Column order: Reset, Start, Stop, Hold, Unhold, Suspend, Unsuspend, Abort, Clear, Complete.
constexpr std::array<PackMLCommand, 10> kColumns{
    PackMLCommand::Reset,  PackMLCommand::Start,    PackMLCommand::Stop,      PackMLCommand::Hold,
    PackMLCommand::Unhold, PackMLCommand::Suspend,  PackMLCommand::Unsuspend, PackMLCommand::Abort,
    PackMLCommand::Clear,  PackMLCommand::Complete,
};

using Row = std::array<std::optional<PackMLState>, 10>;
struct ExpectedRow {
  PackMLState from;
  Row targets;
};

namespace table_cells {
using enum PackMLState;
constexpr std::optional<PackMLState> X = std::nullopt;  // refused

// clang-format off
constexpr std::array<ExpectedRow, 18> kBase{{
    //                 Reset      Start     Stop      Hold     Unhold     Suspend     Unsuspend     Abort     Clear     Complete
    {Undefined,     {X,         X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Clearing,      {X,         X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Stopped,       {Resetting, X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Starting,      {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Idle,          {X,         Starting, Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Suspended,     {X,         X,        Stopping, X,       X,         X,          Unsuspending, Aborting, X,        X}},
    {Execute,       {X,         X,        Stopping, Holding, X,         Suspending, X,            Aborting, X,        X}},
    {Stopping,      {X,         X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Aborting,      {X,         X,        X,        X,       X,         X,          X,            X,        X,        X}},
    {Aborted,       {X,         X,        X,        X,       X,         X,          X,            X,        Clearing, X}},
    {Holding,       {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Held,          {X,         X,        Stopping, X,       Unholding, X,          X,            Aborting, X,        X}},
    {Unholding,     {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Suspending,    {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Unsuspending,  {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Resetting,     {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Completing,    {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Complete,      {Resetting, X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
}};

// Same table with the TR88.00.02-2022 additions: Hold from Suspended; Complete from Execute, Suspended, Held.
constexpr std::array<ExpectedRow, 18> kWith2022{{
    //                 Reset      Start     Stop      Hold     Unhold     Suspend     Unsuspend     Abort     Clear     Complete
    {Undefined,     {X,         X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Clearing,      {X,         X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Stopped,       {Resetting, X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Starting,      {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Idle,          {X,         Starting, Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Suspended,     {X,         X,        Stopping, Holding, X,         X,          Unsuspending, Aborting, X,        Completing}},
    {Execute,       {X,         X,        Stopping, Holding, X,         Suspending, X,            Aborting, X,        Completing}},
    {Stopping,      {X,         X,        X,        X,       X,         X,          X,            Aborting, X,        X}},
    {Aborting,      {X,         X,        X,        X,       X,         X,          X,            X,        X,        X}},
    {Aborted,       {X,         X,        X,        X,       X,         X,          X,            X,        Clearing, X}},
    {Holding,       {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Held,          {X,         X,        Stopping, X,       Unholding, X,          X,            Aborting, X,        Completing}},
    {Unholding,     {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Suspending,    {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Unsuspending,  {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Resetting,     {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Completing,    {X,         X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
    {Complete,      {Resetting, X,        Stopping, X,       X,         X,          X,            Aborting, X,        X}},
}};

// State Complete (SC) target per state, in state-number order 0..17.
constexpr std::array<std::optional<PackMLState>, 18> kStateComplete{
    X,          // Undefined
    Stopped,    // Clearing
    X,          // Stopped
    Execute,    // Starting
    X,          // Idle
    X,          // Suspended
    Completing, // Execute (end of job)
    Stopped,    // Stopping
    Aborted,    // Aborting
    X,          // Aborted
    Held,       // Holding
    X,          // Held
    Execute,    // Unholding
    Suspended,  // Suspending
    Execute,    // Unsuspending
    Idle,       // Resetting
    Complete,   // Completing
    X,          // Complete
};
// clang-format on
}  // namespace table_cells

using table_cells::kBase;
using table_cells::kStateComplete;
using table_cells::kWith2022;

}  // namespace strata::states::test
