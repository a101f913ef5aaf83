import { useState } from 'preact/hooks';
import { fetchDowntime, type PeriodName } from '../api';
import { formatCount, formatRange, formatSeconds, formatTimeOfDay, formatTimestamp } from '../format';
import { applyClassification, isOngoing, isUnexplained, LIVE_REFRESH_MS, periodIncludesNow, recordKey, unexplainedCount } from '../kpi';
import type { VisibleLine } from '../store';
import type { ClassificationResult, DowntimeRecord, DowntimeReport } from '../types';
import { usePolling } from '../usePolling';
import { ClassifyDialog } from './ClassifyDialog';
import { ParetoChart } from './ParetoChart';
import { PeriodSelect } from './PeriodSelect';

export interface DowntimeViewProps {
  lines: VisibleLine[];
  ready: boolean;
  /** Selected line (equipment path); the first line when null or not visible. */
  lineId: string | null;
  onLine(lineId: string): void;
  period: PeriodName;
  onPeriod(period: PeriodName): void;
  canClassify(unitId: string): boolean;
}

export function DowntimeView({ lines, ready, lineId, onLine, period, onPeriod, canClassify }: DowntimeViewProps) {
  const line = lines.find((l) => l.id === lineId) ?? lines[0] ?? null;
  return (
    <main class="view downtime-view" data-testid="downtime-view">
      <div class="view-controls">
        <label class="inline-field">
          <span class="field-label">Line</span>
          <select
            data-testid="downtime-line"
            value={line?.id ?? ''}
            disabled={lines.length === 0}
            onChange={(e) => onLine((e.target as HTMLSelectElement).value)}
          >
            {lines.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.id})
              </option>
            ))}
          </select>
        </label>
        <PeriodSelect name="downtime" value={period} onChange={onPeriod} />
      </div>
      {!ready && <p class="placeholder">Loading lines…</p>}
      {ready && !line && (
        <p class="placeholder" data-testid="no-lines">
          Your account has no access to any line.
        </p>
      )}
      {line && <LineDowntime key={`${line.id}`} line={line} period={period} canClassify={canClassify} />}
    </main>
  );
}

function LineDowntime({ line, period, canClassify }: { line: VisibleLine; period: PeriodName; canClassify(unitId: string): boolean }) {
  const [micro, setMicro] = useState(false);
  const [classifying, setClassifying] = useState<DowntimeRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const live = periodIncludesNow(period);
  const downtime = usePolling(
    () => fetchDowntime(line.id, period, micro),
    [line.id, period, micro],
    (d) => (d === null || live ? LIVE_REFRESH_MS : null),
  );
  const report = downtime.data;

  function classified(result: ClassificationResult) {
    const rec = classifying;
    setClassifying(null);
    if (rec) {
      setNotice(`${rec.unit_name}, stop at ${formatTimestamp(rec.begin, Date.now() * 1000)}: classified as ${result.reason.path}.`);
    }
    // Show it at once; the reload brings the server's view (Pareto included).
    downtime.patch((d) => applyClassification(d, result));
    downtime.reload();
  }

  return (
    <section class="line-downtime" aria-labelledby="downtime-title">
      <div class="section-head">
        <h2 id="downtime-title" class="section-title">
          Stops of {line.name}
        </h2>
        <label class="check">
          <input type="checkbox" data-testid="micro-toggle" checked={micro} onChange={(e) => setMicro((e.target as HTMLInputElement).checked)} />
          Show micro-stops
        </label>
        <button type="button" class="btn-secondary btn-small" data-testid="downtime-refresh" onClick={downtime.reload}>
          Refresh
        </button>
        <span class="muted">
          {downtime.updatedAt ? `Updated ${formatTimeOfDay(downtime.updatedAt * 1000)}` : ''}
          {live ? ' · refreshes every 10 s' : ''}
        </span>
      </div>

      {downtime.error && (
        <div class="inline-error" role="alert" data-testid="downtime-error">
          <span aria-hidden="true">⚠ </span>
          {report ? 'Cannot refresh (showing earlier data): ' : 'Cannot load downtime: '}
          {downtime.error}
        </div>
      )}
      {notice && (
        <div class="notice" role="status" data-testid="classify-notice">
          {notice}
          <button type="button" class="dismiss" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {!report && !downtime.error && <p class="placeholder">Loading stops…</p>}

      {report && (
        <>
          <Summary report={report} />
          <div class="downtime-layout">
            <RecordTable
              report={report}
              micro={micro}
              live={live}
              canClassify={canClassify}
              onClassify={(r) => {
                setNotice(null);
                setClassifying(r);
              }}
            />
            <ParetoChart summary={report.summary} idPrefix="downtime" showTable={false} />
          </div>
        </>
      )}
      {classifying && <ClassifyDialog record={classifying} onDone={classified} onCancel={() => setClassifying(null)} />}
    </section>
  );
}

function Summary({ report }: { report: DowntimeReport }) {
  const s = report.summary;
  const unexplained = unexplainedCount(report.records);
  return (
    <dl class="facts downtime-summary" data-testid="downtime-summary">
      <div class="fact">
        <dt>Stops</dt>
        <dd data-testid="downtime-stops">{formatCount(s.stops)}</dd>
      </div>
      <div class="fact">
        <dt>Downtime</dt>
        <dd>{formatSeconds(s.seconds)}</dd>
      </div>
      <div class={`fact${unexplained > 0 ? ' attention' : ''}`}>
        <dt>Unexplained</dt>
        <dd data-testid="downtime-unexplained">
          {unexplained > 0 && <span aria-hidden="true">⚠ </span>}
          {formatCount(unexplained)}
        </dd>
      </div>
      <div class="fact">
        <dt>Micro-stops</dt>
        <dd>
          {formatCount(s.micro_stops)} ({formatSeconds(s.micro_seconds)})
        </dd>
      </div>
      <div class="fact">
        <dt>Period</dt>
        <dd>{formatRange(report.from, report.to)}</dd>
      </div>
    </dl>
  );
}

interface RecordTableProps {
  report: DowntimeReport;
  micro: boolean;
  live: boolean;
  canClassify(unitId: string): boolean;
  onClassify(record: DowntimeRecord): void;
}

function RecordTable({ report, micro, live, canClassify, onClassify }: RecordTableProps) {
  const now = Date.now() * 1000;
  if (report.records.length === 0) {
    return (
      <p class="placeholder" data-testid="downtime-empty">
        No stops{micro ? '' : ' (other than micro-stops)'} in this period.
      </p>
    );
  }
  return (
    <div class="table-scroll">
      <table class="data-table downtime-table" data-testid="downtime-table" data-micro={micro ? 'true' : 'false'}>
        <caption class="visually-hidden">Stops, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Begin</th>
            <th scope="col">End</th>
            <th scope="col" class="num">Duration</th>
            <th scope="col">Unit</th>
            <th scope="col">State</th>
            <th scope="col">PLC reason</th>
            <th scope="col">Classification</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {report.records.map((r) => {
            const unexplained = isUnexplained(r);
            // Micro-stops are counted apart and rarely coded: not flagged, but they may be classified.
            const flagged = unexplained && !r.micro;
            const ongoing = isOngoing(r, report, live);
            const classes = [flagged ? 'unexplained' : '', r.micro ? 'micro' : ''].filter(Boolean).join(' ');
            return (
              <tr
                key={recordKey(r)}
                class={classes || undefined}
                data-testid={`stop-${recordKey(r)}`}
                data-unit={r.unit}
                data-begin={String(r.begin)}
                data-unexplained={unexplained ? 'true' : 'false'}
                data-micro={r.micro ? 'true' : 'false'}
              >
                <td class="time">{formatTimestamp(r.begin, now)}</td>
                <td class="time">{ongoing ? <em>ongoing</em> : formatTimestamp(r.end, now)}</td>
                <td class="num">{formatSeconds(r.seconds)}</td>
                <td>{r.unit_name}</td>
                <td>
                  {r.state}
                  {r.mode && r.mode !== 'Production' && <span class="muted"> · {r.mode}</span>}
                  {r.micro && <span class="tag">micro</span>}
                </td>
                <td>{r.plc_reason ? <ReasonText reason={r.plc_reason} /> : <span class="muted">none</span>}</td>
                <td data-testid={`classification-${recordKey(r)}`}>
                  {r.classification ? (
                    <>
                      {r.classification.reason ? <ReasonText reason={r.classification.reason} /> : <span class="muted">none</span>}
                      {r.classification.comment && <div class="comment">“{r.classification.comment}”</div>}
                      <div class="muted">by {r.classification.by}</div>
                    </>
                  ) : flagged ? (
                    <span class="badge-unexplained">
                      <span aria-hidden="true">⚠ </span>Unexplained
                    </span>
                  ) : unexplained ? (
                    <span class="muted">unexplained micro-stop</span>
                  ) : (
                    <span class="muted">PLC reason applies</span>
                  )}
                </td>
                <td class="action">
                  {canClassify(r.unit) &&
                    (unexplained ? (
                      <button type="button" class="btn-primary btn-small" data-testid={`classify-${recordKey(r)}`} onClick={() => onClassify(r)}>
                        Classify
                      </button>
                    ) : (
                      <button type="button" class="btn-secondary btn-small" data-testid={`classify-${recordKey(r)}`} onClick={() => onClassify(r)}>
                        Reclassify
                      </button>
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ReasonText({ reason }: { reason: { code: number; name: string; path: string; known: boolean } }) {
  return (
    <span title={reason.path}>
      {reason.code} {reason.known ? reason.name : <em>{reason.path}</em>}
    </span>
  );
}
