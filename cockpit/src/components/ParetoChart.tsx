import { formatCount, formatPercent, formatSeconds, plural } from '../format';
import { paretoItems, paretoLayout, truncateLabel } from '../pareto';
import type { DowntimeSummary } from '../types';

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { top: 14, right: 48, bottom: 92, left: 64 };
const MAX_BAR_WIDTH = 72;

export interface ParetoChartProps {
  summary: DowntimeSummary;
  /** Id prefix for the SVG's title/description (unique on the page). */
  idPrefix: string;
  /** Also list the entries in a table below the chart. */
  showTable?: boolean;
}

/**
 * Pareto of stop reasons: bars by total duration (longest first) and the
 * cumulative share as a line.  Micro-stops are not in it; they are summarised
 * beside it.  Unexplained stops are hatched and labelled (not colour alone).
 */
export function ParetoChart({ summary, idPrefix, showTable = true }: ParetoChartProps) {
  const items = paretoItems(summary.pareto);
  const layout = paretoLayout(items, { width: WIDTH, height: HEIGHT, margin: MARGIN, maxBarWidth: MAX_BAR_WIDTH });
  const titleId = `${idPrefix}-pareto-title`;
  const descId = `${idPrefix}-pareto-desc`;
  const { plot } = layout;
  const bottom = plot.y + plot.height;
  const right = plot.x + plot.width;
  const micro = (
    <p class="micro-summary" data-testid={`${idPrefix}-micro-summary`}>
      Micro-stops (not in the Pareto): <strong>{plural(summary.micro_stops, 'stop')}</strong>,{' '}
      <strong>{formatSeconds(summary.micro_seconds)}</strong>
    </p>
  );

  if (layout.bars.length === 0) {
    return (
      <figure class="pareto" data-testid={`${idPrefix}-pareto`}>
        <figcaption class="pareto-caption">Stop reasons (Pareto)</figcaption>
        <p class="placeholder" data-testid={`${idPrefix}-pareto-empty`}>
          No stops (other than micro-stops) in this period.
        </p>
        {micro}
      </figure>
    );
  }

  const label = (text: string) => truncateLabel(text, 22);
  return (
    <figure class="pareto" data-testid={`${idPrefix}-pareto`}>
      <figcaption class="pareto-caption">
        Stop reasons (Pareto): {plural(summary.stops, 'stop')}, {formatSeconds(summary.seconds)}
      </figcaption>
      <svg
        class="pareto-chart"
        data-testid="pareto-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={titleId}>Pareto of stop reasons by duration</title>
        <desc id={descId}>
          {layout.bars
            .map((b) => `${b.label}: ${formatSeconds(b.seconds)}, ${plural(b.count, 'stop')}, cumulative ${formatPercent(b.cumulative)}`)
            .join('; ')}
        </desc>
        <defs>
          <pattern id={`${idPrefix}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" class="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
          </pattern>
        </defs>

        {/* duration axis (left) */}
        {layout.ticks.map((t) => (
          <g key={`t${t.value}`} class="tick">
            <line x1={plot.x} x2={right} y1={t.y} y2={t.y} class="grid" />
            <text x={plot.x - 6} y={t.y} class="axis-label" text-anchor="end" dominant-baseline="middle">
              {formatSeconds(t.value)}
            </text>
          </g>
        ))}
        {/* cumulative axis (right) */}
        {layout.percentTicks.map((t) => (
          <text key={`p${t.value}`} x={right + 6} y={t.y} class="axis-label" dominant-baseline="middle">
            {Math.round(t.value * 100)}%
          </text>
        ))}
        <line
          x1={plot.x}
          x2={right}
          y1={plot.y + plot.height * 0.2}
          y2={plot.y + plot.height * 0.2}
          class="ref-80"
        >
          <title>80% of the downtime</title>
        </line>

        {layout.bars.map((b) => (
          <g key={b.key} class={`bar${b.unexplained ? ' unexplained' : ''}`} data-testid="pareto-bar" data-reason={b.key}>
            <rect
              x={b.x}
              y={b.y}
              width={b.width}
              height={Math.max(b.height, 0.5)}
              style={b.unexplained ? { fill: `url(#${idPrefix}-hatch)` } : undefined}
            >
              <title>
                {b.label}: {formatSeconds(b.seconds)} in {plural(b.count, 'stop')} ({formatPercent(b.share)}, cumulative{' '}
                {formatPercent(b.cumulative)})
              </title>
            </rect>
            <text
              class="bar-label"
              transform={`translate(${b.cx} ${bottom + 8}) rotate(-35)`}
              text-anchor="end"
              dominant-baseline="middle"
            >
              {label(b.label)}
            </text>
          </g>
        ))}
        <line x1={plot.x} x2={right} y1={bottom} y2={bottom} class="axis" />
        <line x1={plot.x} x2={plot.x} y1={plot.y} y2={bottom} class="axis" />
        <line x1={right} x2={right} y1={plot.y} y2={bottom} class="axis" />

        <path d={layout.path} class="cumulative" />
        {layout.points.map((p, i) => (
          <circle key={i} cx={p.x} cy={p.y} r="3.5" class="cumulative-point" />
        ))}
      </svg>
      <p class="pareto-legend muted">
        Bars: total duration per reason (left axis). Line: cumulative share (right axis). Dashed: 80%. Hatched: unexplained.
      </p>
      {micro}
      {showTable && (
        <table class="data-table compact pareto-table" data-testid={`${idPrefix}-pareto-table`}>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col" class="num">Stops</th>
              <th scope="col" class="num">Duration</th>
              <th scope="col" class="num">Share</th>
              <th scope="col" class="num">Cumulative</th>
            </tr>
          </thead>
          <tbody>
            {layout.bars.map((b) => {
              const entry = summary.pareto.find((e) => (e.reason ? String(e.reason.code) : 'unexplained') === b.key);
              return (
                <tr key={b.key} class={b.unexplained ? 'unexplained' : undefined}>
                  <th scope="row">
                    {b.unexplained ? (
                      <span class="badge-unexplained">
                        <span aria-hidden="true">⚠ </span>Unexplained
                      </span>
                    ) : (
                      entry?.reason?.path ?? b.label
                    )}
                  </th>
                  <td class="num">{formatCount(b.count)}</td>
                  <td class="num">{formatSeconds(b.seconds)}</td>
                  <td class="num">{formatPercent(b.share)}</td>
                  <td class="num">{formatPercent(b.cumulative)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </figure>
  );
}
