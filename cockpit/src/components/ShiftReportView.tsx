import { useState } from 'preact/hooks';
import { fetchShiftReport, type ShiftChoice } from '../api';
import { formatCount, formatDateTime, formatPercent, formatRange, formatSeconds, formatTimestamp } from '../format';
import { isUnexplained, LIVE_REFRESH_MS, lineFigures, recordKey, unitsOfLine } from '../kpi';
import type { EquipmentNames } from '../alarms';
import type { VisibleLine } from '../store';
import type { AlarmPriority, Performance, ShiftReport } from '../types';
import { usePolling } from '../usePolling';
import { OpenAlarmsSection } from './OpenAlarmsSection';
import { ParetoChart } from './ParetoChart';

export interface ShiftReportViewProps {
  lines: VisibleLine[];
  ready: boolean;
  /** The user may see the whole plant (a grant without scope). */
  plantWide: boolean;
  plantName: string | null;
  /** Names of units for the open alarms. */
  names: EquipmentNames;
  /** The plant's alarm priorities (for the priority shapes). */
  priorities: AlarmPriority[];
}

const SHIFTS: { id: ShiftChoice; label: string }[] = [
  { id: 'current', label: 'Current shift' },
  { id: 'previous', label: 'Previous shift' },
];

/** Shift handover report: output and OEE per line and unit, stops, open alarms; printable on A4. */
export function ShiftReportView({ lines, ready, plantWide, plantName, names, priorities }: ShiftReportViewProps) {
  const [shift, setShift] = useState<ShiftChoice>('current');
  const [chosenScope, setScope] = useState<string | null>(null);
  const scopes = [...(plantWide ? [{ id: '', label: `Whole plant${plantName ? ` (${plantName})` : ''}` }] : []), ...lines.map((l) => ({ id: l.id, label: l.name }))];
  const scope = scopes.find((s) => s.id === chosenScope)?.id ?? scopes[0]?.id ?? null;

  return (
    <main class="view report-view" data-testid="report-view">
      <div class="view-controls no-print">
        <label class="inline-field">
          <span class="field-label">Scope</span>
          <select data-testid="report-scope" value={scope ?? ''} disabled={scopes.length === 0} onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
            {scopes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="segmented" data-testid="report-shift">
          <legend class="segmented-legend">Shift</legend>
          {SHIFTS.map((s) => (
            <label key={s.id} class={`segment${shift === s.id ? ' selected' : ''}`}>
              <input type="radio" name="report-shift" value={s.id} checked={shift === s.id} data-testid={`shift-${s.id}`} onChange={() => setShift(s.id)} />
              <span>{s.label}</span>
            </label>
          ))}
        </fieldset>
        <button type="button" class="btn-primary" data-testid="print-report" onClick={() => window.print()}>
          Print
        </button>
      </div>
      {!ready && <p class="placeholder">Loading lines…</p>}
      {ready && scope === null && (
        <p class="placeholder" data-testid="no-lines">
          Your account has no access to any line.
        </p>
      )}
      {scope !== null && <ReportBody key={`${scope}|${shift}`} scope={scope} shift={shift} names={names} priorities={priorities} />}
    </main>
  );
}

interface AlarmNaming {
  names: EquipmentNames;
  priorities: AlarmPriority[];
}

function ReportBody({ scope, shift, names, priorities }: { scope: string; shift: ShiftChoice } & AlarmNaming) {
  const polled = usePolling(
    () => fetchShiftReport(scope, shift),
    [scope, shift],
    (d) => (d === null || d.performance.live ? LIVE_REFRESH_MS : null),
  );
  const report = polled.data;
  return (
    <>
      {polled.error && (
        <div class="inline-error" role="alert" data-testid="report-error">
          <span aria-hidden="true">⚠ </span>
          {report ? 'Cannot refresh (showing earlier data): ' : 'Cannot load the shift report: '}
          {polled.error}
        </div>
      )}
      {!report && !polled.error && <p class="placeholder">Loading shift report…</p>}
      {report && <Report report={report} names={names} priorities={priorities} />}
    </>
  );
}

function shiftTitle(report: ShiftReport): string {
  return report.shift.name ? `${report.shift.name} shift` : 'Whole day (no shift)';
}

function Report({ report, names, priorities }: { report: ShiftReport } & AlarmNaming) {
  const perf = report.performance;
  const ref = report.generated_at;
  return (
    <article class="shift-report" data-testid="shift-report" aria-labelledby="report-title">
      <header class="report-header">
        <h1 id="report-title" class="report-title">
          Shift report — {report.scope.name || report.scope.id}
        </h1>
        <dl class="report-meta">
          <div>
            <dt>Shift</dt>
            <dd data-testid="report-shift-name">
              {shiftTitle(report)}, {report.shift.local_date}
            </dd>
          </div>
          <div>
            <dt>Period</dt>
            <dd>{formatRange(report.shift.from, report.shift.to)}</dd>
          </div>
          <div>
            <dt>Generated</dt>
            <dd>{formatDateTime(report.generated_at)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd data-testid="report-status">{perf.live
                ? `${report.shift.name ? 'Shift' : 'Day'} still running: figures are provisional`
                : `${report.shift.name ? 'Shift' : 'Day'} ended`}</dd>
          </div>
        </dl>
        <p class="muted report-note">Times in the browser's local time. A line's figures are its constraint unit's.</p>
      </header>

      <section class="report-section" aria-labelledby="report-output-title">
        <h2 id="report-output-title" class="report-heading">
          Output and OEE
        </h2>
        <table class="data-table report-table" data-testid="report-output">
          <thead>
            <tr>
              <th scope="col">Line / unit</th>
              <th scope="col" class="num">Produced</th>
              <th scope="col" class="num">Good</th>
              <th scope="col" class="num">Scrap</th>
              <th scope="col" class="num">
                <abbr title="Availability">A</abbr>
              </th>
              <th scope="col" class="num">
                <abbr title="Performance">P</abbr>
              </th>
              <th scope="col" class="num">
                <abbr title="Quality">Q</abbr>
              </th>
              <th scope="col" class="num">OEE</th>
            </tr>
          </thead>
          {perf.lines.map((line) => {
            const figures = lineFigures(perf, line);
            const units = unitsOfLine(perf, line.id);
            return (
              <tbody key={line.id} data-testid={`report-line-${line.id}`}>
                <tr class="line-row">
                  <th scope="row">
                    {line.name}
                    <span class="muted"> (constraint: {units.find((u) => u.id === line.constraint_unit)?.name ?? line.constraint_unit})</span>
                  </th>
                  <Cells p={figures} />
                </tr>
                {units.map((u) => (
                  <tr key={u.id} class="unit-row" data-testid={`report-unit-${u.id}`}>
                    <th scope="row">
                      <span class="indent">{u.name}</span>
                    </th>
                    <Cells p={u} />
                  </tr>
                ))}
              </tbody>
            );
          })}
          {perf.lines.length > 1 && (
            <tbody>
              <tr class="total-row">
                <th scope="row">All lines</th>
                <Cells p={perf.total} />
              </tr>
            </tbody>
          )}
        </table>
      </section>

      <section class="report-section" aria-labelledby="report-stops-title">
        <h2 id="report-stops-title" class="report-heading">
          Stops
        </h2>
        <dl class="facts">
          <div class="fact">
            <dt>Stops</dt>
            <dd>{formatCount(report.downtime.stops)}</dd>
          </div>
          <div class="fact">
            <dt>Downtime</dt>
            <dd>{formatSeconds(report.downtime.seconds)}</dd>
          </div>
          <div class={`fact${report.unexplained_stops > 0 ? ' attention' : ''}`}>
            <dt>Unexplained stops</dt>
            <dd data-testid="report-unexplained">
              {report.unexplained_stops > 0 && <span aria-hidden="true">⚠ </span>}
              {formatCount(report.unexplained_stops)}
            </dd>
          </div>
          <div class="fact">
            <dt>Micro-stops</dt>
            <dd>
              {formatCount(report.downtime.micro_stops)} ({formatSeconds(report.downtime.micro_seconds)})
            </dd>
          </div>
        </dl>
        <h3 class="report-subheading">Longest stops</h3>
        {report.top_stops.length === 0 ? (
          <p class="placeholder" data-testid="report-no-stops">
            No stops in this shift.
          </p>
        ) : (
          <table class="data-table report-table" data-testid="report-top-stops">
            <thead>
              <tr>
                <th scope="col">Begin</th>
                <th scope="col" class="num">Duration</th>
                <th scope="col">Unit</th>
                <th scope="col">State</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {report.top_stops.map((r) => (
                <tr key={recordKey(r)} class={isUnexplained(r) ? 'unexplained' : undefined}>
                  <td class="time">{formatTimestamp(r.begin, ref)}</td>
                  <td class="num">{formatSeconds(r.seconds)}</td>
                  <td>
                    {r.unit_name} <span class="muted">({r.unit.split('/').slice(-2, -1)[0]})</span>
                  </td>
                  <td>{r.state}</td>
                  <td>
                    {r.reason ? (
                      <>
                        {r.reason.path}
                        {r.classification?.comment && <div class="comment">“{r.classification.comment}”</div>}
                      </>
                    ) : (
                      <span class="badge-unexplained">
                        <span aria-hidden="true">⚠ </span>Unexplained
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ParetoChart summary={report.downtime} idPrefix="report" />
      </section>

      <OpenAlarmsSection alarms={report.open_alarms} generatedAt={report.generated_at} names={names} priorities={priorities} />
    </article>
  );
}

function Cells({ p }: { p: Performance | null }) {
  if (!p) {
    return (
      <td colSpan={7} class="muted">
        no figures
      </td>
    );
  }
  return (
    <>
      <td class="num">{formatCount(p.quantities.pq)}</td>
      <td class="num">{formatCount(p.quantities.gq)}</td>
      <td class="num">{formatCount(p.quantities.sq)}</td>
      <td class="num">{formatPercent(p.kpis.availability)}</td>
      <td class="num">{formatPercent(p.kpis.effectiveness)}</td>
      <td class="num">{formatPercent(p.kpis.quality_ratio)}</td>
      <td class="num">{formatPercent(p.kpis.oee)}</td>
    </>
  );
}
