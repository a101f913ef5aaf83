import type { PeriodName } from '../api';
import type { UnitView, VisibleLine } from '../store';
import { LineOeeTile } from './LineOeeTile';
import { PeriodSelect } from './PeriodSelect';

export interface OeeViewProps {
  lines: VisibleLine[];
  /** Lines are known (plant model and api/units loaded). */
  ready: boolean;
  period: PeriodName;
  onPeriod(period: PeriodName): void;
  units: Record<string, UnitView>;
  streamStale: boolean;
  onShowDowntime(lineId: string): void;
}

export function OeeView({ lines, ready, period, onPeriod, units, streamStale, onShowDowntime }: OeeViewProps) {
  return (
    <main class="view oee-view" data-testid="oee-view">
      <div class="view-controls">
        <PeriodSelect name="oee" value={period} onChange={onPeriod} />
        <p class="muted view-note">
          A line's figures are its constraint unit's. P = performance (ISO 22400 effectiveness). Colour marks only
          abnormal unit states.
        </p>
      </div>
      {!ready && <p class="placeholder">Loading lines…</p>}
      {ready && lines.length === 0 && (
        <p class="placeholder" data-testid="no-lines">
          Your account has no access to any line.
        </p>
      )}
      <div class="oee-grid">
        {lines.map((line) => (
          <LineOeeTile key={line.id} line={line} period={period} units={units} streamStale={streamStale} onShowDowntime={onShowDowntime} />
        ))}
      </div>
    </main>
  );
}
