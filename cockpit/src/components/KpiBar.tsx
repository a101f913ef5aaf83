import { barPercent, formatPercent } from '../format';

export interface KpiBarProps {
  /** Short label ("A") shown, full name ("Availability") for screen readers and the tooltip. */
  short: string;
  label: string;
  value: number | null;
  testId?: string;
}

/** One KPI as text plus a small horizontal bar (decorative; the number is the information). */
export function KpiBar({ short, label, value, testId }: KpiBarProps) {
  const pct = barPercent(value);
  const text = formatPercent(value);
  return (
    <div class={`kpi-row${pct === null ? ' na' : ''}`} title={`${label}: ${text}`}>
      <span class="kpi-short" aria-hidden="true">
        {short}
      </span>
      <span class="kpi-label">{label}</span>
      <span class="kpi-bar" aria-hidden="true">
        {pct !== null && <span class="kpi-fill" style={{ width: `${pct}%` }} />}
      </span>
      <span class="kpi-value" data-testid={testId}>
        {text}
      </span>
    </div>
  );
}
