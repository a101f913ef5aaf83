import { ACTION_LABELS, availableActions, compareAlarms, shelveCountdown, shelvedAlarms, type EquipmentNames } from '../alarms';
import { formatDuration, formatTimestamp } from '../format';
import type { Alarm, AlarmPriority } from '../types';
import { PriorityLabel } from './PriorityLabel';
import type { AlarmActions } from './useAlarmActions';

export interface ShelvedAlarmsProps {
  alarms: Alarm[] | null;
  priorities: AlarmPriority[];
  names: EquipmentNames;
  now: number;
  clockOffsetMs: number;
  actions: AlarmActions;
}

/**
 * The shift-change review list (ISA-18.2): shelved alarms with who shelved
 * them, why and when they come back, then alarms out of service and those
 * suppressed by design.
 */
export function ShelvedAlarms({ alarms, priorities, names, now, clockOffsetMs, actions }: ShelvedAlarmsProps) {
  if (alarms === null) return <p class="placeholder">Loading alarms…</p>;
  const shelved = shelvedAlarms(alarms);
  const outOfService = alarms.filter((a) => a.state === 'OutOfService').sort(compareAlarms);
  const suppressed = alarms.filter((a) => a.state === 'SuppressedByDesign').sort(compareAlarms);
  const nowMicros = (now + clockOffsetMs) * 1000;

  const buttons = (a: Alarm) =>
    availableActions(a)
      .filter((action) => action === 'unshelve' || action === 'return_to_service')
      .map((action) => (
        <button
          key={action}
          type="button"
          class="btn-secondary btn-small"
          data-testid={`alarm-${action}-${a.id}`}
          aria-label={`${ACTION_LABELS[action]}: ${a.name}, ${names.unit(a.unit)}`}
          disabled={actions.pending !== null}
          onClick={() => actions.start(a, action)}
        >
          {actions.pending === `${a.id}|${action}` ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
        </button>
      ));
  const error = (a: Alarm) =>
    actions.errors[a.id] && (
      <div class="cmd-error" role="alert" data-testid={`alarm-error-${a.id}`}>
        <span class="cmd-error-text">{actions.errors[a.id]}</span>
        <button type="button" class="dismiss" aria-label="Dismiss" onClick={() => actions.dismissError(a.id)}>
          ×
        </button>
      </div>
    );

  return (
    <div class="shelved-view">
      <section aria-labelledby="shelved-title" class="report-section">
        <h2 id="shelved-title" class="section-title">
          Shelved alarms ({shelved.length})
        </h2>
        <p class="muted view-note">For review at shift change: shelved alarms are not annunciated until the shelve ends. The first to come back is on top.</p>
        {shelved.length === 0 ? (
          <p class="placeholder" data-testid="shelved-empty">
            No alarm is shelved.
          </p>
        ) : (
          <div class="table-scroll">
            <table class="data-table shelved-table" data-testid="shelved-table">
              <thead>
                <tr>
                  <th scope="col">Priority</th>
                  <th scope="col">Alarm</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Shelved by</th>
                  <th scope="col">Why</th>
                  <th scope="col">Shelved at</th>
                  <th scope="col">Comes back</th>
                  <th scope="col">Condition</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shelved.map((a) => {
                  const s = a.shelve!;
                  return (
                    <tr key={a.id} data-testid={`shelved-${a.id}`} data-kind={s.kind}>
                      <td>
                        <PriorityLabel priority={a.priority} priorities={priorities} muted />
                      </td>
                      <td>
                        <div class="alarm-name">{a.name}</div>
                        <div class="alarm-message">{a.message}</div>
                      </td>
                      <td>{names.unit(a.unit)}</td>
                      <td data-testid={`shelved-by-${a.id}`}>{s.by}</td>
                      <td data-testid={`shelved-comment-${a.id}`}>{s.comment ? <span class="comment">“{s.comment}”</span> : <span class="muted">no comment</span>}</td>
                      <td class="time">{formatTimestamp(s.at, nowMicros)}</td>
                      <td data-testid={`shelved-expiry-${a.id}`}>
                        <strong class="countdown">{shelveCountdown(s, now, clockOffsetMs)}</strong>
                        <div class="muted">
                          {s.kind === 'one_shot' ? 'one-shot, at the latest ' : 'timed, at '}
                          {formatTimestamp(s.expires_at, nowMicros)}
                        </div>
                      </td>
                      <td>{a.condition_active ? 'active' : 'clear'}</td>
                      <td class="alarm-actions">
                        {buttons(a)}
                        {error(a)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="oos-title" class="report-section">
        <h2 id="oos-title" class="section-title">
          Out of service ({outOfService.length})
        </h2>
        {outOfService.length === 0 ? (
          <p class="placeholder" data-testid="oos-empty">
            No alarm is out of service.
          </p>
        ) : (
          <div class="table-scroll">
            <table class="data-table" data-testid="oos-table">
              <thead>
                <tr>
                  <th scope="col">Priority</th>
                  <th scope="col">Alarm</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Out of service for</th>
                  <th scope="col">Condition</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {outOfService.map((a) => (
                  <tr key={a.id} data-testid={`oos-${a.id}`}>
                    <td>
                      <PriorityLabel priority={a.priority} priorities={priorities} muted />
                    </td>
                    <td>
                      <div class="alarm-name">{a.name}</div>
                      <div class="alarm-message">{a.message}</div>
                    </td>
                    <td>{names.unit(a.unit)}</td>
                    <td>
                      {a.state_since > 0 ? formatDuration(Math.max(0, now + clockOffsetMs - a.state_since / 1000)) : '—'}
                      {a.state_since > 0 && <div class="muted">since {formatTimestamp(a.state_since, nowMicros)}</div>}
                    </td>
                    <td>{a.condition_active ? 'active' : 'clear'}</td>
                    <td class="alarm-actions">
                      {buttons(a)}
                      {error(a)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="suppressed-title" class="report-section">
        <h2 id="suppressed-title" class="section-title">
          Suppressed by design ({suppressed.length})
        </h2>
        {suppressed.length === 0 ? (
          <p class="placeholder">No alarm is suppressed by design right now.</p>
        ) : (
          <details class="suppressed-list" data-testid="suppressed-list">
            <summary>Alarms hidden by state-based logic (their unit is not in the states they apply to)</summary>
            <ul>
              {suppressed.map((a) => (
                <li key={a.id}>
                  <PriorityLabel priority={a.priority} priorities={priorities} muted /> {a.name} — {names.unit(a.unit)}
                  <span class="muted"> (active only in {a.active_only_in.join(', ') || '—'})</span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
    </div>
  );
}
