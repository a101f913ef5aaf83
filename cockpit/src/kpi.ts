// Helpers for the OEE, downtime and shift report views (pure, unit-tested).
import type { PeriodName } from './api';
import type { ClassificationResult, DowntimeRecord, DowntimeReport, LineRef, Performance, PerformanceReport, StopReason, UnitPerformance } from './types';

/** How often live figures (a period that includes now) are refreshed. */
export const LIVE_REFRESH_MS = 10_000;

export const PERIODS: { id: PeriodName; label: string }[] = [
  { id: 'shift', label: 'Current shift' },
  { id: 'previous_shift', label: 'Previous shift' },
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
];

/** Named periods that run until now, so their figures keep changing. */
export function periodIncludesNow(period: PeriodName): boolean {
  return period === 'shift' || period === 'today';
}

export function periodLabel(period: PeriodName): string {
  return PERIODS.find((p) => p.id === period)?.label ?? period;
}

/** The units of a line in a report (by equipment path), in report order. */
export function unitsOfLine(report: PerformanceReport, lineId: string): UnitPerformance[] {
  return report.units.filter((u) => u.id.startsWith(`${lineId}/`));
}

/**
 * A line's figures: its constraint unit's.  For a report scoped to the line
 * itself that is the report total; otherwise the constraint unit's entry.
 */
export function lineFigures(report: PerformanceReport, line: LineRef): Performance | null {
  if (report.scope.kind === 'line' && report.scope.id === line.id) return report.total;
  return report.units.find((u) => u.id === line.constraint_unit) ?? null;
}

/** No reason from the PLC and no operator classification. */
export function isUnexplained(record: DowntimeRecord): boolean {
  return record.reason === null;
}

/**
 * A stop still in progress: the report runs until now and the record ends at
 * the report's end (the server cuts open stops off at "now").
 */
export function isOngoing(record: DowntimeRecord, report: Pick<DowntimeReport, 'to'>, live: boolean): boolean {
  return live && record.end >= report.to;
}

/** The report with one record's classification replaced by the POST's answer. */
export function applyClassification(report: DowntimeReport, result: ClassificationResult, nowMicros = Date.now() * 1000): DowntimeReport {
  const reason = { code: result.reason.code, name: result.reason.name, path: result.reason.path, known: true };
  return {
    ...report,
    records: report.records.map((r) =>
      r.unit === result.unit && r.begin === result.begin
        ? { ...r, reason, classification: { reason, comment: result.comment, by: result.by, at: nowMicros } }
        : r,
    ),
  };
}

/** Non-micro records without a reason (what the shift report counts as unexplained). */
export function unexplainedCount(records: readonly DowntimeRecord[]): number {
  return records.filter((r) => !r.micro && isUnexplained(r)).length;
}

export interface ReasonGroup {
  /** "Mechanical / Infeed"; "" for reasons without a group. */
  label: string;
  reasons: StopReason[];
}

/** Stop reasons grouped by their group path, groups and reasons in the server's order. */
export function groupReasons(reasons: readonly StopReason[]): ReasonGroup[] {
  const groups = new Map<string, StopReason[]>();
  for (const r of reasons) {
    const label = (r.group ?? []).join(' / ');
    let list = groups.get(label);
    if (!list) groups.set(label, (list = []));
    list.push(r);
  }
  return [...groups.entries()].map(([label, list]) => ({ label, reasons: list }));
}

/** The line (work center) of a unit: its equipment path without the last segment. */
export function lineOfUnit(unitId: string): string {
  const i = unitId.lastIndexOf('/');
  return i < 0 ? '' : unitId.slice(0, i);
}

/** A stable key for a downtime record. */
export function recordKey(r: Pick<DowntimeRecord, 'unit' | 'begin'>): string {
  return `${r.unit}-${r.begin}`;
}
