import { useRef } from 'preact/hooks';
import type { PeriodName } from '../api';
import { equipmentNames, scopeOptions, shelvedAlarms, type AlarmFilter } from '../alarms';
import type { VisibleLine } from '../store';
import type { Alarm, AlarmPriority, Plant, User } from '../types';
import { AlarmConsole } from './AlarmConsole';
import { AlarmPerformanceView } from './AlarmPerformanceView';
import { ShelvedAlarms } from './ShelvedAlarms';
import { useAlarmActions } from './useAlarmActions';

export type AlarmSubView = 'console' | 'shelved' | 'performance';

export const ALARM_SUBVIEWS: { id: AlarmSubView; label: string }[] = [
  { id: 'console', label: 'Alarm console' },
  { id: 'shelved', label: 'Shelved and out of service' },
  { id: 'performance', label: 'Alarm performance' },
];

export function isAlarmSubView(s: string): s is AlarmSubView {
  return ALARM_SUBVIEWS.some((v) => v.id === s);
}

export interface AlarmsViewProps {
  sub: AlarmSubView;
  onSub(sub: AlarmSubView): void;
  /** Null until GET api/alarms has answered. */
  alarms: Alarm[] | null;
  priorities: AlarmPriority[];
  alarmsError: string | null;
  plant: Plant | null;
  lines: VisibleLine[];
  plantWide: boolean;
  user: User;
  /** Browser time (ms) and the server's offset from it. */
  now: number;
  clockOffsetMs: number;
  /** The live stream is down: what is shown may be out of date. */
  streamStale: boolean;
  filter: AlarmFilter;
  onFilter(filter: AlarmFilter): void;
  period: PeriodName;
  onPeriod(period: PeriodName): void;
  /** Reload the alarm list (after an action). */
  reload(): void;
}

/** The Alarms tab: console, shelved list (shift handover review) and alarm system performance. */
export function AlarmsView(props: AlarmsViewProps) {
  const { sub, onSub, alarms, priorities, plant, user } = props;
  const names = equipmentNames(plant);
  const actions = useAlarmActions({
    priorities,
    unitLabel: names.unit,
    userName: user.display_name || user.name,
    onDone: props.reload,
  });
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const hiddenCount = alarms ? shelvedAlarms(alarms).length + alarms.filter((a) => a.state === 'OutOfService').length : null;
  const visibleLineIds = new Set(props.lines.map((l) => l.id));
  const scopes = scopeOptions(plant, visibleLineIds, props.plantWide);

  function onKeyDown(e: KeyboardEvent) {
    const i = ALARM_SUBVIEWS.findIndex((v) => v.id === sub);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % ALARM_SUBVIEWS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + ALARM_SUBVIEWS.length) % ALARM_SUBVIEWS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = ALARM_SUBVIEWS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onSub(ALARM_SUBVIEWS[next].id);
    refs.current[ALARM_SUBVIEWS[next].id]?.focus();
  }

  return (
    <main class="view alarms-view" data-testid="alarms-view">
      <div role="tablist" aria-label="Alarm views" class="subtab-list no-print" onKeyDown={onKeyDown}>
        {ALARM_SUBVIEWS.map((v) => (
          <button
            key={v.id}
            ref={(el) => {
              refs.current[v.id] = el;
            }}
            type="button"
            role="tab"
            id={`subtab-${v.id}`}
            aria-selected={sub === v.id}
            aria-controls={`subpanel-${v.id}`}
            tabIndex={sub === v.id ? 0 : -1}
            class={`subtab${sub === v.id ? ' selected' : ''}`}
            data-testid={`alarms-subtab-${v.id}`}
            onClick={() => onSub(v.id)}
          >
            {v.label}
            {v.id === 'shelved' && hiddenCount !== null && <span class="subtab-count"> ({hiddenCount})</span>}
          </button>
        ))}
      </div>
      {props.streamStale && sub !== 'performance' && (
        <div class="inline-error" role="status" data-testid="alarms-stale">
          <span aria-hidden="true">⚠ </span>No live connection: the alarm list may be out of date.
        </div>
      )}
      {props.alarmsError && sub !== 'performance' && (
        <div class="inline-error" role="alert" data-testid="alarms-error">
          <span aria-hidden="true">⚠ </span>
          {alarms ? 'Cannot refresh the alarms (showing earlier data): ' : 'Cannot load the alarms: '}
          {props.alarmsError}
        </div>
      )}
      {actions.notice && (
        <div class="notice" role="status" data-testid="alarm-notice">
          {actions.notice}
          <button type="button" class="dismiss" aria-label="Dismiss" onClick={actions.dismissNotice}>
            ×
          </button>
        </div>
      )}
      <div role="tabpanel" id={`subpanel-${sub}`} aria-labelledby={`subtab-${sub}`}>
        {sub === 'console' && (
          <AlarmConsole
            alarms={alarms}
            priorities={priorities}
            names={names}
            scopes={scopes}
            filter={props.filter}
            onFilter={props.onFilter}
            now={props.now}
            clockOffsetMs={props.clockOffsetMs}
            actions={actions}
          />
        )}
        {sub === 'shelved' && (
          <ShelvedAlarms alarms={alarms} priorities={priorities} names={names} now={props.now} clockOffsetMs={props.clockOffsetMs} actions={actions} />
        )}
        {sub === 'performance' && (
          <AlarmPerformanceView
            scopes={scopes}
            period={props.period}
            onPeriod={props.onPeriod}
            alarms={alarms}
            priorities={priorities}
            names={names}
            plantUtcOffsetMinutes={plant?.calendar?.utc_offset_minutes ?? null}
          />
        )}
      </div>
      {actions.dialogs}
    </main>
  );
}
