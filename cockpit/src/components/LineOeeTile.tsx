import { fetchKpi, type PeriodName } from '../api';
import { formatCount, formatPercent, formatPerMinute, formatRange, formatSeconds, formatTimeOfDay } from '../format';
import { LIVE_REFRESH_MS, lineFigures, unitsOfLine } from '../kpi';
import { stateCategory, stateName } from '../packml';
import type { UnitView, VisibleLine } from '../store';
import { usePolling } from '../usePolling';
import { KpiBar } from './KpiBar';
import { StateIcon } from './StateIcon';

export interface LineOeeTileProps {
  line: VisibleLine;
  period: PeriodName;
  /** Live unit data from the stream (for the constraint unit's current state). */
  units: Record<string, UnitView>;
  /** The live stream is down: the constraint unit's state may be out of date. */
  streamStale: boolean;
  onShowDowntime(lineId: string): void;
}

/** OEE of one line (= its constraint unit) with the A / P / Q breakdown; live periods refresh every 10 s. */
export function LineOeeTile({ line, period, units, streamStale, onShowDowntime }: LineOeeTileProps) {
  const kpi = usePolling(
    () => fetchKpi(line.id, period),
    [line.id, period],
    (d) => (d === null || d.live ? LIVE_REFRESH_MS : null),
  );
  const report = kpi.data;
  const lineRef = report?.lines.find((l) => l.id === line.id) ?? null;
  const figures = report && lineRef ? lineFigures(report, lineRef) : null;
  const lineUnits = report ? unitsOfLine(report, line.id) : [];
  const constraint = lineRef ? lineUnits.find((u) => u.id === lineRef.constraint_unit) : undefined;
  const live = constraint ? units[constraint.id] : undefined;
  const liveState = live ? stateName(live.state, live.state_number) : null;
  const category = liveState ? stateCategory(liveState) : 'unknown';
  const k = figures?.kpis;
  const t = figures?.time;
  const q = figures?.quantities;
  const titleId = `oee-title-${line.id}`;
  const stale = kpi.error !== null && report !== null;

  return (
    <section
      class={`oee-tile${stale ? ' stale' : ''}`}
      data-testid={`oee-tile-${line.id}`}
      data-loaded={figures ? 'true' : 'false'}
      aria-labelledby={titleId}
      aria-busy={kpi.loading && !report}
    >
      <header class="oee-head">
        <h2 class="oee-title" id={titleId}>
          {line.name}
          <span class="line-id">{line.id}</span>
        </h2>
        {report && (
          <span class="oee-period" data-testid={`oee-period-${line.id}`}>
            {report.live ? 'Live' : 'Closed period'} · {formatRange(report.from, report.to)}
          </span>
        )}
      </header>

      {kpi.error && (
        <div class="inline-error" role="alert" data-testid={`oee-error-${line.id}`}>
          <span aria-hidden="true">⚠ </span>
          {report ? `Cannot refresh (figures from ${formatTimeOfDay(kpi.updatedAt ? kpi.updatedAt * 1000 : null)}): ` : 'Cannot load KPIs: '}
          {kpi.error}
        </div>
      )}
      {!report && !kpi.error && <p class="placeholder">Loading KPIs…</p>}
      {report && !figures && (
        <p class="placeholder" data-testid={`oee-missing-${line.id}`}>
          The report has no figures for this line.
        </p>
      )}

      {figures && k && t && q && (
        <>
          <div class="oee-main">
            <div class="oee-big">
              <span class="oee-big-label">OEE</span>
              <span class="oee-big-value" data-testid={`oee-value-${line.id}`}>
                {formatPercent(k.oee)}
              </span>
            </div>
            <div class="apq">
              <KpiBar short="A" label="Availability" value={k.availability} testId={`oee-a-${line.id}`} />
              <KpiBar short="P" label="Performance" value={k.effectiveness} testId={`oee-p-${line.id}`} />
              <KpiBar short="Q" label="Quality" value={k.quality_ratio} testId={`oee-q-${line.id}`} />
            </div>
          </div>

          <div class="constraint" data-testid={`oee-constraint-${line.id}`}>
            <span class="muted">Constraint unit</span>{' '}
            <strong>{constraint?.name ?? lineRef?.constraint_unit}</strong>
            {liveState && (
              <span
                class={`constraint-state cat-${category}${streamStale ? ' stale' : ''}`}
                title={streamStale ? 'Last known state (not connected)' : 'Current state of the constraint unit'}
              >
                <span class="state-badge">
                  <StateIcon category={category} />
                  <span class="state-text">{liveState}</span>
                  {streamStale && <span class="muted"> (stale)</span>}
                </span>
              </span>
            )}
          </div>

          <dl class="facts">
            <Fact label="Produced" value={formatCount(q.pq)} testId={`oee-pq-${line.id}`} />
            <Fact label="Good" value={formatCount(q.gq)} />
            <Fact label="Scrap" value={formatCount(q.sq)} />
            <Fact label="Throughput" value={formatPerMinute(k.throughput_rate)} />
            <Fact label="Planned busy" value={formatSeconds(t.pbt)} />
            <Fact label="Producing" value={formatSeconds(t.apt)} />
            <Fact label="Delays" value={formatSeconds(t.adet)} />
            <Fact label="Down" value={formatSeconds(t.adot)} />
            {t.asut > 0 && <Fact label="Setup" value={formatSeconds(t.asut)} />}
            {t.not_counted > 0 && (
              <Fact label="No data" value={formatSeconds(t.not_counted)} title="Planned time without recorded data (e.g. before the server ran)" />
            )}
            <Fact label="Failures" value={formatCount(figures.failures)} />
            <Fact label="MTBF" value={formatSeconds(k.mtbf)} title="Mean time between failures" />
            <Fact label="MTTR" value={formatSeconds(k.mttr)} title="Mean time to repair" />
          </dl>

          <details class="oee-units" data-testid={`oee-units-${line.id}`}>
            <summary>Units: A / P / Q</summary>
            <div class="table-scroll">
              <table class="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">Unit</th>
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
                    <th scope="col" class="num">Produced</th>
                    <th scope="col" class="num">Good</th>
                  </tr>
                </thead>
                <tbody>
                  {lineUnits.map((u) => (
                    <tr key={u.id} data-testid={`oee-unit-${u.id}`}>
                      <th scope="row">
                        {u.name}
                        {u.id === lineRef?.constraint_unit && <span class="tag">constraint</span>}
                      </th>
                      <td class="num">{formatPercent(u.kpis.availability)}</td>
                      <td class="num">{formatPercent(u.kpis.effectiveness)}</td>
                      <td class="num">{formatPercent(u.kpis.quality_ratio)}</td>
                      <td class="num">{formatPercent(u.kpis.oee)}</td>
                      <td class="num">{formatCount(u.quantities.pq)}</td>
                      <td class="num">{formatCount(u.quantities.gq)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}

      <footer class="oee-foot">
        <span class="muted">
          {kpi.updatedAt ? `Updated ${formatTimeOfDay(kpi.updatedAt * 1000)}` : ''}
          {report?.live ? ' · refreshes every 10 s' : ''}
        </span>
        <button
          type="button"
          class="btn-secondary btn-small"
          data-testid={`oee-downtime-${line.id}`}
          aria-label={`Stops of ${line.name}`}
          onClick={() => onShowDowntime(line.id)}
        >
          Stops →
        </button>
      </footer>
    </section>
  );
}

function Fact({ label, value, title, testId }: { label: string; value: string; title?: string; testId?: string }) {
  return (
    <div class="fact" title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
