import { formatDuration, formatInt } from '../format';
import { stateCategory, stateName } from '../packml';
import { bool, counts, num, timeInStateMs, type UnitView } from '../store';
import { CommandBar } from './CommandBar';
import { StateIcon } from './StateIcon';

const SPEED_TAG = 'Status.CurMachSpeed';
const DESIGN_SPEED_TAGS = ['Status.MachDesignSpeed', 'Admin.MachDesignSpeed'];
const CHANGE_HIGHLIGHT_MS = 2500;
/** PackML CurMachSpeed is in primary packages per minute. */
const SPEED_UNIT = '/min';

export interface UnitCardProps {
  id: string;
  name: string;
  unit: UnitView | undefined;
  /** Design speed from the work center parameters, if known. */
  designSpeed: number | null;
  now: number;
  clockOffsetMs: number;
  stale: boolean;
  /** The user holds "command_unit" here: show the command buttons. */
  canCommand: boolean;
}

export function UnitCard({ id, name, unit, designSpeed, now, clockOffsetMs, stale, canCommand }: UnitCardProps) {
  if (!unit) {
    return (
      <article class="unit-card cat-unknown" data-testid={`unit-${id}`} data-state="Unknown">
        <header class="unit-head">
          <h3 class="unit-name">{name}</h3>
        </header>
        <div class="state-row">
          <span class="state-text" data-testid={`state-${id}`}>
            No data
          </span>
        </div>
      </article>
    );
  }

  const state = stateName(unit.state, unit.state_number);
  const category = stateCategory(state);
  const speedTag = unit.tags[SPEED_TAG];
  const speed = num(speedTag);
  const speedUnit = SPEED_UNIT;
  let design = designSpeed;
  for (const t of DESIGN_SPEED_TAGS) {
    const v = num(unit.tags[t]);
    if (v !== null && v > 0) {
      design = v;
      break;
    }
  }
  const { good, rejects } = counts(unit);
  const starved = bool(unit.tags['Status.Starved']);
  const blocked = bool(unit.tags['Status.Blocked']);
  const stopReason = num(unit.tags['Admin.StopReason']);
  const badQuality = speedTag !== undefined && speedTag.quality !== 'good';
  const inState = timeInStateMs(unit.since, now, clockOffsetMs);
  const recentlyChanged = unit.changedAt !== undefined && now - unit.changedAt < CHANGE_HIGHLIGHT_MS;
  const pct = speed !== null && design !== null && design > 0 ? Math.max(0, Math.min(100, (speed / design) * 100)) : null;

  const classes = ['unit-card', `cat-${category}`];
  if (recentlyChanged) classes.push('changed');
  if (stale) classes.push('stale');

  return (
    <article
      class={classes.join(' ')}
      data-testid={`unit-${id}`}
      data-state={state}
      data-category={category}
      aria-label={`${name}: ${state}`}
    >
      <header class="unit-head">
        <h3 class="unit-name" title={id}>
          {name}
        </h3>
        {unit.mode && unit.mode !== 'Production' && <span class="mode">{unit.mode}</span>}
      </header>

      <div class="state-row">
        <span class="state-badge">
          <StateIcon category={category} />
          <span class="state-text" data-testid={`state-${id}`}>
            {state}
          </span>
        </span>
        <span class="time-in-state" title="Time in state">
          {formatDuration(inState)}
        </span>
      </div>

      <div class="metric speed" data-testid={`speed-${id}`}>
        <span class="label">Speed</span>
        <span class="value">
          {speed === null ? '—' : formatInt(speed)}
          <span class="eng-unit"> {speedUnit}</span>
          {badQuality && <span class="quality" title={`Quality: ${speedTag?.quality}`}> ?</span>}
        </span>
        {pct !== null && (
          <span class="speed-bar" title={`${Math.round(pct)}% of design ${formatInt(design)} ${speedUnit}`}>
            <span class="speed-fill" style={{ width: `${pct}%` }} />
          </span>
        )}
        {design !== null && <span class="design">/ {formatInt(design)}</span>}
      </div>

      <div class="metric counts">
        <span class="label">Good</span>
        <span class="value" data-testid={`good-${id}`}>
          {formatInt(good)}
        </span>
        <span class="label">Rejects</span>
        <span class="value" data-testid={`rejects-${id}`}>
          {formatInt(rejects)}
        </span>
      </div>

      <div class="flags">
        {starved && (
          <span class="flag flag-starved" data-testid={`starved-${id}`}>
            ⇤ Starved
          </span>
        )}
        {blocked && (
          <span class="flag flag-blocked" data-testid={`blocked-${id}`}>
            Blocked ⇥
          </span>
        )}
        {stopReason !== null && stopReason !== 0 && (
          <span class="flag flag-reason" data-testid={`stop-reason-${id}`}>
            Stop reason {stopReason}
          </span>
        )}
      </div>

      {canCommand ? (
        <CommandBar unitId={id} unitName={name} commands={unit.allowed_commands} />
      ) : (
        <div class="commands">
          <span class="muted" data-testid={`view-only-${id}`}>
            View only
          </span>
        </div>
      )}
    </article>
  );
}
