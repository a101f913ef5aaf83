import { compareAlarms, isAnnunciated, isHidden, stateLabel, type EquipmentNames } from '../alarms';
import { formatDateTime, formatDuration, formatTimestamp } from '../format';
import type { AlarmChange, AlarmPriority, Micros } from '../types';
import { PriorityLabel } from './PriorityLabel';

export interface OpenAlarmsSectionProps {
  /** The report's open_alarms; undefined from a server without alarm management. */
  alarms: AlarmChange[] | undefined;
  /** When the report was generated (durations are counted to it). */
  generatedAt: Micros;
  names: EquipmentNames;
  priorities?: readonly AlarmPriority[];
}

/**
 * Open alarms at handover: what the next shift inherits.  Alarms that need
 * attention (active, unacknowledged, latched) first, then hidden ones
 * (shelved with who and why, out of service, suppressed by design).
 */
export function OpenAlarmsSection({ alarms, generatedAt, names, priorities = [] }: OpenAlarmsSectionProps) {
  const attention = (alarms ?? []).filter((a) => isAnnunciated(a.state)).sort(compareAlarms);
  const hidden = (alarms ?? []).filter((a) => isHidden(a.state)).sort(compareAlarms);
  const other = (alarms ?? []).filter((a) => !isAnnunciated(a.state) && !isHidden(a.state)).sort(compareAlarms);
  return (
    <section class="report-section" aria-labelledby="report-alarms-title" data-testid="report-alarms">
      <h2 id="report-alarms-title" class="report-heading">
        Open alarms
      </h2>
      {alarms === undefined || alarms === null ? (
        <p class="placeholder" data-testid="alarms-not-configured">
          alarm management not configured
        </p>
      ) : !Array.isArray(alarms) ? (
        <p class="inline-error" role="alert" data-testid="alarms-unreadable">
          The report's open alarms are in an unexpected format.
        </p>
      ) : alarms.length === 0 ? (
        <p data-testid="alarms-none">No open alarms.</p>
      ) : (
        <>
          <p class="muted report-note">
            At {formatDateTime(generatedAt)}: {attention.length} needing attention (active, unacknowledged or latched), {hidden.length} hidden
            (shelved, suppressed by design or out of service).
          </p>
          <AlarmTable alarms={[...attention, ...other]} generatedAt={generatedAt} names={names} priorities={priorities} testid="alarms-list" title="Needing attention" />
          <AlarmTable alarms={hidden} generatedAt={generatedAt} names={names} priorities={priorities} testid="alarms-hidden" title="Hidden: shelved, suppressed by design, out of service" />
        </>
      )}
    </section>
  );
}

interface TableProps {
  alarms: AlarmChange[];
  generatedAt: Micros;
  names: EquipmentNames;
  priorities: readonly AlarmPriority[];
  testid: string;
  title: string;
}

function AlarmTable({ alarms, generatedAt, names, priorities, testid, title }: TableProps) {
  if (alarms.length === 0) return null;
  return (
    <>
      <h3 class="report-subheading">{title}</h3>
      <table class="data-table report-table open-alarms" data-testid={testid}>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">State</th>
            <th scope="col">Alarm</th>
            <th scope="col">Unit</th>
            <th scope="col">Since</th>
            <th scope="col">Shelved</th>
          </tr>
        </thead>
        <tbody>
          {alarms.map((a) => {
            const since = isAnnunciated(a.state) && a.active_since > 0 ? a.active_since : a.state_since;
            return (
              <tr key={a.id} data-testid={`report-alarm-${a.id}`} data-state={a.state}>
                <td>
                  <PriorityLabel priority={a.priority} priorities={priorities} muted={!isAnnunciated(a.state)} />
                </td>
                <td>{stateLabel(a.state)}</td>
                <td>
                  <strong>{a.name}</strong>: {a.message}
                </td>
                <td>{names.unit(a.unit)}</td>
                <td class="time">
                  {since > 0 ? (
                    <>
                      {formatTimestamp(since, generatedAt)}
                      <div class="muted">{formatDuration(Math.max(0, (generatedAt - since) / 1000))}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {a.shelve ? (
                    <>
                      {a.shelve.kind === 'one_shot' ? 'one-shot' : 'timed'} by {a.shelve.by}, until {formatTimestamp(a.shelve.expires_at, generatedAt)}
                      {a.shelve.comment && <div class="comment">“{a.shelve.comment}”</div>}
                    </>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
