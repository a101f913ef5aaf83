#pragma once
// Alarm history from the journal: the activation log the ISA-18.2 / EEMUA 191 KPI report reads, the
// alarms' persisted states (restored after a restart), and the report itself for any period.
//
// Rules for the log, per alarm in journal order:
//  - An activation begins when the condition becomes active; it is annunciated when the alarm showed
//    (Unacknowledged) rather than staying hidden (shelved, suppressed by design, out of service).
//  - An active alarm re-shown when it comes back from hiding (unshelve, shelve expiry, unsuppress, return
//    to service) is a new annunciated activation at that moment: the operator sees it for the first time.
//  - It clears when the condition returns to normal, and is acknowledged by the first acknowledge after it
//    began.
//  - The operator position of an alarm is its area ("site/area"), the level a control-room console serves.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "alarms/calibration.hpp"
#include "alarms/kpi_report.hpp"
#include "alarms/lifecycle.hpp"
#include "kpi/interval.hpp"
#include "model/plant.hpp"
#include "store/store.hpp"

namespace strata::reporting {

// How far before a report period alarm events are read in full; alarms already active before that are known
// from their last event before it (so one standing for months is still stale).
inline constexpr Timestamp kAlarmLookback = 8LL * 24 * 3600 * kMicrosPerSecond;

[[nodiscard]] std::string operator_position(std::string_view unit_id);

// `already`: activations going on before the first event (they continue, and may clear, in it).
[[nodiscard]] Result<std::vector<alarms::AlarmActivation>> activations_from_journal(
    std::span<const store::JournalEvent> events, const model::Plant& plant,
    std::span<const alarms::AlarmActivation> already = {});

// The latest persisted record of every alarm; records of alarms no longer defined are kept (the book
// reports them on restore).
[[nodiscard]] Result<std::vector<alarms::AlarmRecord>> persisted_alarm_states(const store::Store& store);

// Which alarms a report covers, by the alarm's unit id.
using UnitFilter = std::function<bool(std::string_view unit_id)>;

// The KPI report over [period.begin, period.end) for the alarms of the units `includes` accepts.
[[nodiscard]] Result<alarms::KpiReport> alarm_kpi_report(const store::Store& store, const model::Plant& plant,
                                                         kpi::Interval period, const UnitFilter& includes);

// Calibration proposals (deadband / on-delay) for every alarm of the included units that chattered,
// each checked by replaying the recorded history of its tag through the proposed settings.
// tag_keys: store keys by TagIndex. Alarms without a replayable tag are skipped.
[[nodiscard]] Result<std::vector<alarms::CalibrationReport>> calibrate_alarms(
    const store::Store& store, const model::Plant& plant, const std::vector<std::int64_t>& tag_keys,
    kpi::Interval period, const UnitFilter& includes);

}  // namespace strata::reporting
