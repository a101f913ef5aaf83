import { Fragment } from 'preact';
import type { UnitView } from '../store';
import { UnitCard } from './UnitCard';

export interface LineUnit {
  id: string;
  name: string;
}

export interface LinePanelProps {
  id: string;
  name: string;
  /** Units in flow order. */
  units: LineUnit[];
  data: Record<string, UnitView>;
  designSpeed: number | null;
  now: number;
  clockOffsetMs: number;
  stale: boolean;
  canCommand(id: string): boolean;
}

export function LinePanel({ id, name, units, data, designSpeed, now, clockOffsetMs, stale, canCommand }: LinePanelProps) {
  return (
    <section class="line" data-testid={`line-${id}`}>
      <h2 class="line-title">
        {name}
        <span class="line-id">{id}</span>
      </h2>
      <div class="line-units">
        {units.map((u, i) => (
          <Fragment key={u.id}>
            {i > 0 && (
              <span class="flow-arrow" aria-hidden="true">
                →
              </span>
            )}
            <UnitCard
              id={u.id}
              name={u.name}
              unit={data[u.id]}
              designSpeed={designSpeed}
              now={now}
              clockOffsetMs={clockOffsetMs}
              stale={stale}
              canCommand={canCommand(u.id)}
            />
          </Fragment>
        ))}
      </div>
    </section>
  );
}
