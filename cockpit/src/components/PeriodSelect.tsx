import type { PeriodName } from '../api';
import { PERIODS } from '../kpi';

export interface PeriodSelectProps {
  value: PeriodName;
  onChange(period: PeriodName): void;
  /** Makes the radio group's name unique on the page. */
  name: string;
}

/** Segmented radio group: current shift, previous shift, today, yesterday. */
export function PeriodSelect({ value, onChange, name }: PeriodSelectProps) {
  return (
    <fieldset class="segmented" data-testid={`${name}-period`}>
      <legend class="segmented-legend">Period</legend>
      {PERIODS.map((p) => (
        <label key={p.id} class={`segment${value === p.id ? ' selected' : ''}`}>
          <input
            type="radio"
            name={name}
            value={p.id}
            checked={value === p.id}
            data-testid={`period-${p.id}`}
            onChange={() => onChange(p.id)}
          />
          <span>{p.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
