import { useState } from 'preact/hooks';
import {
  actionLabel,
  alarmSince,
  availableActions,
  filterAlarms,
  flashes,
  isAnnunciated,
  isHidden,
  isUnacknowledged,
  priorityShape,
  responseOverdue,
  STATE_FILTERS,
  stateLabel,
  type AlarmFilter,
  type EquipmentNames,
  type ScopeOption,
  type StateFilter,
} from '../alarms';
import { formatDuration, formatSeconds, formatTimestamp } from '../format';
import type { Alarm, AlarmPriority } from '../types';
import { PriorityLabel } from './PriorityLabel';
import type { AlarmActions } from './useAlarmActions';

export interface AlarmConsoleProps {
  alarms: Alarm[] | null;
  priorities: AlarmPriority[];
  names: EquipmentNames;
  scopes: ScopeOption[];
  filter: AlarmFilter;
  onFilter(filter: AlarmFilter): void;
  now: number;
  clockOffsetMs: number;
  actions: AlarmActions;
}

/** The alarm summary: filters, then one row per alarm, most urgent first. */
export function AlarmConsole({ alarms, priorities, names, scopes, filter, onFilter, now, clockOffsetMs, actions }: AlarmConsoleProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const scope = scopes.some((s) => s.id === filter.scope) ? filter.scope : (scopes[0]?.id ?? '');
  const effective: AlarmFilter = { ...filter, scope };
  const shown = alarms ? filterAlarms(alarms, effective) : [];
  const priorityNames = [...priorities].sort((a, b) => b.rank - a.rank);

  function togglePriority(name: string, on: boolean) {
    const all = priorities.map((p) => p.name);
    const current = new Set(filter.priorities ?? all);
    if (on) current.add(name);
    else current.delete(name);
    onFilter({ ...filter, priorities: current.size === all.length ? null : all.filter((n) => current.has(n)) });
  }

  function toggleDetails(id: string) {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  return (
    <section class="alarm-console" aria-labelledby="alarm-console-title">
      <h2 id="alarm-console-title" class="visually-hidden">
        Alarm console
      </h2>
      <div class="view-controls alarm-filters">
        <label class="inline-field">
          <span class="field-label">Area / line</span>
          <select
            data-testid="alarm-filter-scope"
            value={scope}
            disabled={scopes.length === 0}
            onChange={(e) => onFilter({ ...filter, scope: (e.target as HTMLSelectElement).value })}
          >
            {scopes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="priority-filter" data-testid="alarm-filter-priority">
          <legend class="field-label">Priority</legend>
          {priorityNames.map((p) => (
            <label key={p.name} class="check">
              <input
                type="checkbox"
                data-testid={`alarm-filter-priority-${p.name}`}
                checked={filter.priorities === null || filter.priorities.includes(p.name)}
                onChange={(e) => togglePriority(p.name, (e.target as HTMLInputElement).checked)}
              />
              <PriorityLabel priority={p} priorities={priorities} />
            </label>
          ))}
        </fieldset>
        <label class="inline-field">
          <span class="field-label">State</span>
          <select
            data-testid="alarm-filter-state"
            value={filter.state}
            onChange={(e) => onFilter({ ...filter, state: (e.target as HTMLSelectElement).value as StateFilter })}
          >
            {STATE_FILTERS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      {alarms === null ? (
        <p class="placeholder">Loading alarms…</p>
      ) : (
        <>
          <Summary alarms={filterAlarms(alarms, { ...effective, state: 'all' })} shown={shown.length} />
          {shown.length === 0 ? (
            <p class="placeholder" data-testid="alarms-empty">
              No alarms match the filter.
            </p>
          ) : (
            <div class="table-scroll">
              <table class="data-table alarm-table" data-testid="alarm-table">
                <caption class="visually-hidden">Alarms, most urgent first. Flashing rows are unacknowledged.</caption>
                <thead>
                  <tr>
                    <th scope="col">Priority</th>
                    <th scope="col">State</th>
                    <th scope="col">Alarm</th>
                    <th scope="col">Unit</th>
                    <th scope="col" class="num">
                      Since
                    </th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                {shown.map((a) => (
                  <AlarmRow
                    key={a.id}
                    alarm={a}
                    priorities={priorities}
                    unitLabel={names.unit(a.unit)}
                    now={now}
                    clockOffsetMs={clockOffsetMs}
                    expanded={expanded.has(a.id)}
                    onToggle={() => toggleDetails(a.id)}
                    actions={actions}
                  />
                ))}
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Summary({ alarms, shown }: { alarms: Alarm[]; shown: number }) {
  const count = (pred: (a: Alarm) => boolean) => alarms.filter(pred).length;
  const unack = count((a) => isUnacknowledged(a.state));
  const items: [string, number, string][] = [
    ['Unacknowledged', unack, 'unack'],
    ['Acknowledged', count((a) => a.state === 'Acknowledged' || a.state === 'LatchedAcknowledged'), 'ack'],
    ['Shelved', count((a) => a.state === 'Shelved'), 'shelved'],
    ['Out of service', count((a) => a.state === 'OutOfService'), 'oos'],
    ['Suppressed by design', count((a) => a.state === 'SuppressedByDesign'), 'suppressed'],
  ];
  return (
    <dl class="facts alarm-summary" data-testid="alarm-summary">
      <div class="fact">
        <dt>Listed</dt>
        <dd data-testid="alarm-count-shown">{shown}</dd>
      </div>
      {items.map(([label, n, key]) => (
        <div key={key} class={`fact${key === 'unack' && n > 0 ? ' attention' : ''}`}>
          <dt>{label}</dt>
          <dd data-testid={`alarm-count-${key}`}>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

interface AlarmRowProps {
  alarm: Alarm;
  priorities: AlarmPriority[];
  unitLabel: string;
  now: number;
  clockOffsetMs: number;
  expanded: boolean;
  onToggle(): void;
  actions: AlarmActions;
}

/** Row classes: flashing only while unacknowledged; colour only for abnormal (annunciated) alarms. */
export function alarmRowClass(alarm: Pick<Alarm, 'state' | 'priority'>, priorities: readonly AlarmPriority[]): string {
  const cls = ['alarm-row', `prio-${priorityShape(alarm.priority, priorities)}`];
  if (flashes(alarm.state)) cls.push('flashing');
  if (isAnnunciated(alarm.state)) cls.push('annunciated');
  if (isHidden(alarm.state)) cls.push('hidden-alarm');
  if (alarm.state === 'Normal') cls.push('normal-alarm');
  return cls.join(' ');
}

function AlarmRow({ alarm, priorities, unitLabel, now, clockOffsetMs, expanded, onToggle, actions }: AlarmRowProps) {
  const since = alarmSince(alarm);
  const elapsed = since === null ? null : Math.max(0, now + clockOffsetMs - since / 1000);
  const overdue = responseOverdue(alarm, now, clockOffsetMs);
  const buttons = availableActions(alarm);
  const error = actions.errors[alarm.id];
  const detailsId = `alarm-details-${alarm.id}`;
  const r = alarm.rationalization;
  const flashing = flashes(alarm.state);
  return (
    <tbody class="alarm-group">
      <tr
        class={alarmRowClass(alarm, priorities)}
        data-testid={`alarm-${alarm.id}`}
        data-state={alarm.state}
        data-priority={alarm.priority.name}
        data-flashing={flashing ? 'true' : 'false'}
      >
        <td class="prio-cell">
          <PriorityLabel priority={alarm.priority} priorities={priorities} muted={!isAnnunciated(alarm.state)} />
        </td>
        <td class="state-cell" data-testid={`alarm-state-${alarm.id}`}>
          <span class="alarm-state">{stateLabel(alarm.state)}</span>
          {alarm.shelve && <div class="muted">by {alarm.shelve.by}</div>}
          {overdue && (
            <div class="overdue" data-testid={`alarm-overdue-${alarm.id}`}>
              <span aria-hidden="true">⚠ </span>response overdue
            </div>
          )}
        </td>
        <td>
          <div class="alarm-name">{alarm.name}</div>
          <div class="alarm-message">{alarm.message}</div>
        </td>
        <td class="unit-cell">{unitLabel}</td>
        <td class="num since" title={since === null ? undefined : formatTimestamp(since)}>
          {elapsed === null ? '—' : formatDuration(elapsed)}
          {since !== null && <div class="muted">{formatTimestamp(since, (now + clockOffsetMs) * 1000)}</div>}
        </td>
        <td class="alarm-actions">
          <div class="alarm-buttons">
            {buttons.map((action) => {
              const key = `${alarm.id}|${action}`;
              return (
                <button
                  key={action}
                  type="button"
                  class={`btn-small ${action === 'acknowledge' ? 'btn-primary' : 'btn-secondary'}`}
                  data-testid={`alarm-${action}-${alarm.id}`}
                  aria-label={`${actionLabel(action, alarm)}: ${alarm.name}, ${unitLabel}`}
                  disabled={actions.pending !== null}
                  onClick={() => actions.start(alarm, action)}
                >
                  {actions.pending === key ? `${actionLabel(action, alarm)}…` : actionLabel(action, alarm)}
                </button>
              );
            })}
            <button
              type="button"
              class="btn-secondary btn-small"
              aria-expanded={expanded}
              aria-controls={detailsId}
              aria-label={`${expanded ? 'Hide' : 'Show'} rationalization: ${alarm.name}, ${unitLabel}`}
              data-testid={`alarm-toggle-${alarm.id}`}
              onClick={onToggle}
            >
              {expanded ? 'Hide details' : 'Details'}
            </button>
          </div>
          {error && (
            <div class="cmd-error" role="alert" data-testid={`alarm-error-${alarm.id}`}>
              <span class="cmd-error-text">{error}</span>
              <button type="button" class="dismiss" aria-label="Dismiss" onClick={() => actions.dismissError(alarm.id)}>
                ×
              </button>
            </div>
          )}
        </td>
      </tr>
      {expanded && (
        <tr class="alarm-details-row" id={detailsId} data-testid={detailsId}>
          <td colSpan={6}>
            <dl class="rationalization">
              <div>
                <dt>Cause</dt>
                <dd>{r.cause || <span class="muted">not rationalized</span>}</dd>
              </div>
              <div>
                <dt>Consequence</dt>
                <dd>{r.consequence || <span class="muted">not rationalized</span>}</dd>
              </div>
              <div>
                <dt>Corrective action</dt>
                <dd>{r.corrective_action || <span class="muted">not rationalized</span>}</dd>
              </div>
              <div>
                <dt>Max time to respond</dt>
                <dd>{r.max_time_to_respond > 0 ? formatSeconds(r.max_time_to_respond) : <span class="muted">not set</span>}</dd>
              </div>
              <div>
                <dt>Alarm</dt>
                <dd>
                  {alarm.id} <span class="muted">({alarm.kind}{alarm.kind !== 'packml_fault' && alarm.kind !== 'discrete' ? `, limit ${alarm.limit}` : ''})</span>
                </dd>
              </div>
              {alarm.active_only_in.length > 0 && (
                <div>
                  <dt>Active only in</dt>
                  <dd>{alarm.active_only_in.join(', ')} (suppressed by design otherwise)</dd>
                </div>
              )}
              <div>
                <dt>Condition</dt>
                <dd>{alarm.condition_active ? 'active' : 'clear'}{alarm.latched ? ', latched' : ''}</dd>
              </div>
              {alarm.acknowledged_at !== null && (
                <div>
                  <dt>Acknowledged</dt>
                  <dd>{formatTimestamp(alarm.acknowledged_at)}</dd>
                </div>
              )}
              {alarm.shelve && (
                <div>
                  <dt>Shelve</dt>
                  <dd>
                    {alarm.shelve.kind === 'one_shot' ? 'one-shot' : 'timed'} by {alarm.shelve.by} at {formatTimestamp(alarm.shelve.at)}, until{' '}
                    {formatTimestamp(alarm.shelve.expires_at)}
                    {alarm.shelve.comment && <span class="comment"> “{alarm.shelve.comment}”</span>}
                  </dd>
                </div>
              )}
            </dl>
          </td>
        </tr>
      )}
    </tbody>
  );
}
