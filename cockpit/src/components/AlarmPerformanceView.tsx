import { useState } from 'preact/hooks';
import { fetchAlarmCalibration, fetchAlarmReport, type PeriodName } from '../api';
import { atMost, bandVerdict, formatRate, priorityShareVerdict, ratingVerdict, type EquipmentNames, type ScopeOption, type Verdict } from '../alarms';
import { barPercent, formatCount, formatPercent, formatRange, formatSeconds, formatTimeOfDay, formatTimestamp, plantTimeNote } from '../format';
import { periodIncludesNow } from '../kpi';
import type { Alarm, AlarmPositionKpis, AlarmPriority, AlarmReport, CalibrationResponse, ConditionSettings } from '../types';
import { usePolling, type Polled } from '../usePolling';
import { PeriodSelect } from './PeriodSelect';
import { PriorityLabel } from './PriorityLabel';

/** Alarm KPIs are heavier than the OEE figures: refresh live periods every 30 s. */
const ALARM_KPI_REFRESH_MS = 30_000;

export interface AlarmPerformanceViewProps {
  scopes: ScopeOption[];
  period: PeriodName;
  onPeriod(period: PeriodName): void;
  /** Known alarms, to name the alarms the report lists by id. */
  alarms: Alarm[] | null;
  priorities: AlarmPriority[];
  names: EquipmentNames;
  /** The plant's UTC offset (calendar), to say when browser times differ from plant times. */
  plantUtcOffsetMinutes: number | null;
}

/** Alarm system performance (ISA-18.2 §16, EEMUA 191) per operator position, and calibration proposals. */
export function AlarmPerformanceView({ scopes, period, onPeriod, alarms, priorities, names, plantUtcOffsetMinutes }: AlarmPerformanceViewProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const scope = scopes.find((s) => s.id === chosen)?.id ?? scopes[0]?.id ?? null;
  return (
    <section class="alarm-kpi" aria-labelledby="alarm-kpi-title" data-testid="alarm-kpi-view">
      <h2 id="alarm-kpi-title" class="visually-hidden">
        Alarm performance
      </h2>
      <div class="view-controls">
        <label class="inline-field">
          <span class="field-label">Scope</span>
          <select data-testid="alarm-kpi-scope" value={scope ?? ''} disabled={scopes.length === 0} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
            {scopes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <PeriodSelect name="alarm-kpi" value={period} onChange={onPeriod} />
        <p class="muted view-note">
          ISA-18.2 targets are meant for at least 30 days of data; a shift or a day shows the trend. Rates count annunciated alarms per
          operator position (area).
        </p>
      </div>
      {scope === null ? (
        <p class="placeholder" data-testid="no-lines">
          Your account has no access to any line.
        </p>
      ) : (
        <KpiBody key={`${scope}|${period}`} scope={scope} period={period} alarms={alarms} priorities={priorities} names={names} plantUtcOffsetMinutes={plantUtcOffsetMinutes} />
      )}
    </section>
  );
}

interface BodyProps {
  scope: string;
  period: PeriodName;
  alarms: Alarm[] | null;
  priorities: AlarmPriority[];
  names: EquipmentNames;
  plantUtcOffsetMinutes: number | null;
}

function KpiBody({ scope, period, alarms, priorities, names, plantUtcOffsetMinutes }: BodyProps) {
  const live = periodIncludesNow(period);
  const repeat = () => (live ? ALARM_KPI_REFRESH_MS : null);
  const report = usePolling(() => fetchAlarmReport(scope, period), [scope, period], repeat);
  const calibration = usePolling(() => fetchAlarmCalibration(scope, period), [scope, period], repeat);
  const known = new Map((alarms ?? []).map((a) => [a.id, a]));
  const alarmLabel = (id: string) => {
    const a = known.get(id);
    return a ? `${a.name} — ${names.unit(a.unit)}` : id;
  };
  const data = report.data;
  return (
    <>
      {report.error && (
        <div class="inline-error" role="alert" data-testid="alarm-kpi-error">
          <span aria-hidden="true">⚠ </span>
          {data ? 'Cannot refresh the alarm performance (showing earlier data): ' : 'Cannot load the alarm performance: '}
          {report.error}
        </div>
      )}
      {!data && !report.error && <p class="placeholder">Loading alarm performance…</p>}
      {data && (
        <>
          <p class="muted" data-testid="alarm-kpi-period">
            {formatRange(data.from, data.to)}
            {` (browser time${plantTimeNote(plantUtcOffsetMinutes, data.from) ? `; ${plantTimeNote(plantUtcOffsetMinutes, data.from)}` : ''})`}
            {live ? ' · until now, refreshes every 30 s' : ''}
            {report.updatedAt ? ` · updated ${formatTimeOfDay(report.updatedAt * 1000)}` : ''}
          </p>
          {data.positions.length === 0 ? (
            <p class="placeholder" data-testid="alarm-kpi-empty">
              No alarm activity recorded in this period.
            </p>
          ) : (
            data.positions.map((p) => (
              <PositionKpis key={p.position} position={p} report={data} positionName={names.name(p.position) ?? p.position} alarmLabel={alarmLabel} priorities={priorities} />
            ))
          )}
        </>
      )}
      <Calibration state={calibration} alarmLabel={alarmLabel} />
    </>
  );
}

const VERDICT_TEXT: Record<Verdict, string> = { ok: 'within target', warn: 'manageable', bad: 'outside target' };
const VERDICT_ICON: Record<Verdict, string> = { ok: '✓', warn: '△', bad: '⚠' };

function VerdictCell({ verdict, text }: { verdict: Verdict; text?: string }) {
  return (
    <td class={`verdict verdict-${verdict}`} data-verdict={verdict}>
      <span aria-hidden="true">{VERDICT_ICON[verdict]} </span>
      {text ?? VERDICT_TEXT[verdict]}
    </td>
  );
}

function pct(percent: number): string {
  return formatPercent(percent / 100);
}

interface PositionProps {
  position: AlarmPositionKpis;
  report: AlarmReport;
  positionName: string;
  alarmLabel(id: string): string;
  priorities: AlarmPriority[];
}

function PositionKpis({ position: p, report, positionName, alarmLabel, priorities }: PositionProps) {
  const t = report.targets;
  const titleId = `kpi-pos-${p.position}`;
  const rates: [string, number, [number, number], string][] = [
    ['Alarms per day', p.per_day.average, t.isa_18_2.per_day, p.per_day.rating],
    ['Alarms per hour', p.per_hour.average, t.isa_18_2.per_hour, p.per_hour.rating],
    ['Alarms per 10 minutes', p.per_10min.average, t.isa_18_2.per_10min, p.per_10min.rating],
  ];
  const floodTarget = t.isa_18_2.flood_percent;
  const targets: { key: string; label: string; value: string; target: string; verdict: Verdict | null }[] = [
    { key: 'peak', label: 'Most alarms in one 10-minute interval', value: formatCount(p.peak_10min), target: '≤ 10', verdict: atMost(p.peak_10min, 10) },
    { key: 'over10', label: '10-minute intervals with more than 10 alarms', value: pct(p.percent_intervals_over_10), target: `< ${floodTarget} %`, verdict: atMost(p.percent_intervals_over_10, floodTarget, true) },
    { key: 'over30', label: 'Hours with more than 30 alarms', value: pct(p.percent_hours_over_30), target: `< ${floodTarget} %`, verdict: atMost(p.percent_hours_over_30, floodTarget, true) },
    {
      key: 'flood',
      label: 'Time in flood',
      value: `${pct(p.percent_time_in_flood)} (${formatSeconds(p.time_in_flood)}, ${formatCount(p.floods.length)} flood${p.floods.length === 1 ? '' : 's'}, ${formatCount(p.alarms_in_flood)} alarms)`,
      target: `< ${floodTarget} %`,
      verdict: atMost(p.percent_time_in_flood, floodTarget, true),
    },
    { key: 'top10', label: 'Share of the 10 most frequent alarms', value: pct(p.top10_percent), target: '≤ 1–5 %', verdict: atMost(p.top10_percent, 5) },
    { key: 'chattering', label: 'Chattering alarms', value: formatCount(p.chattering.length), target: '0', verdict: atMost(p.chattering.length, 0) },
    { key: 'fleeting', label: 'Fleeting alarms', value: `${formatCount(p.fleeting.length)} (${formatCount(p.fleeting_activations)} activations)`, target: '0', verdict: atMost(p.fleeting.length, 0) },
    { key: 'stale', label: 'Stale alarms (active > 24 h)', value: formatCount(p.stale.length), target: '< 5', verdict: atMost(p.stale.length, 5, true) },
    { key: 'standing', label: 'Standing alarms (active at the end)', value: formatCount(p.standing.length), target: `< ${t.eemua_191.standing} (EEMUA)`, verdict: atMost(p.standing.length, t.eemua_191.standing, true) },
    { key: 'shelved', label: 'Shelved alarms (at the end)', value: formatCount(p.shelved), target: `< ${t.eemua_191.shelved} (EEMUA)`, verdict: atMost(p.shelved, t.eemua_191.shelved, true) },
    { key: 'hidden', label: 'Activations not annunciated (shelved, suppressed, out of service)', value: formatCount(p.not_annunciated), target: '—', verdict: null },
  ];
  // priority_mix lists the plant's priorities lowest first.
  const lowest = 0;
  return (
    <article class="kpi-position" aria-labelledby={titleId} data-testid={`alarm-kpi-position-${p.position}`}>
      <header class="section-head">
        <h3 id={titleId} class="section-title">
          {positionName} <span class="muted">({p.position})</span>
        </h3>
        <span class="muted" data-testid={`alarm-kpi-annunciated-${p.position}`}>
          {formatCount(p.annunciated)} annunciated alarms · {formatCount(p.intervals)} ten-minute intervals
        </span>
      </header>

      <div class="kpi-position-grid">
        <table class="data-table compact" data-testid={`alarm-kpi-rates-${p.position}`}>
          <caption class="table-caption">Alarm rate (ISA-18.2)</caption>
          <thead>
            <tr>
              <th scope="col">Average</th>
              <th scope="col" class="num">Value</th>
              <th scope="col" class="num">Acceptable</th>
              <th scope="col" class="num">Manageable</th>
              <th scope="col">Rating</th>
            </tr>
          </thead>
          <tbody>
            {rates.map(([label, value, [ok, max], rating]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td class="num">{formatRate(value)}</td>
                <td class="num">≤ {ok}</td>
                <td class="num">≤ {max}</td>
                <VerdictCell verdict={ratingVerdict(rating)} text={rating} />
              </tr>
            ))}
            <tr>
              <th scope="row">EEMUA 191 band (10-minute rate)</th>
              <td class="num" colSpan={3}>
                {formatRate(p.per_10min.average)} per 10 min
              </td>
              <VerdictCell verdict={bandVerdict(p.eemua_band)} text={p.eemua_band} />
            </tr>
          </tbody>
        </table>

        <table class="data-table compact" data-testid={`alarm-kpi-targets-${p.position}`}>
          <caption class="table-caption">Against the targets</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" class="num">Value</th>
              <th scope="col" class="num">Target</th>
              <th scope="col">Assessment</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((row) => (
              <tr key={row.key} data-testid={`alarm-kpi-${row.key}-${p.position}`}>
                <th scope="row">{row.label}</th>
                <td class="num">{row.value}</td>
                <td class="num">{row.target}</td>
                {row.verdict ? <VerdictCell verdict={row.verdict} /> : <td class="muted">for information</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div class="kpi-position-grid">
        <section aria-labelledby={`${titleId}-bad`}>
          <h4 id={`${titleId}-bad`} class="report-subheading">
            Top 10 bad actors
          </h4>
          {p.bad_actors.length === 0 ? (
            <p class="placeholder">No annunciated alarms.</p>
          ) : (
            <table class="data-table compact share-table" data-testid={`alarm-kpi-bad-actors-${p.position}`}>
              <thead>
                <tr>
                  <th scope="col">Alarm</th>
                  <th scope="col" class="num">Count</th>
                  <th scope="col">Share of all alarms</th>
                </tr>
              </thead>
              <tbody>
                {p.bad_actors.map((b) => (
                  <tr key={b.alarm}>
                    <th scope="row" title={b.alarm}>
                      {alarmLabel(b.alarm)}
                    </th>
                    <td class="num">{formatCount(b.count)}</td>
                    <td>
                      <ShareBar percent={b.percent} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby={`${titleId}-prio`}>
          <h4 id={`${titleId}-prio`} class="report-subheading">
            Priority distribution (annunciated)
          </h4>
          <table class="data-table compact share-table" data-testid={`alarm-kpi-priorities-${p.position}`}>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col" class="num">Count</th>
                <th scope="col">Share (| = target)</th>
                <th scope="col" class="num">Target</th>
                <th scope="col">Assessment</th>
              </tr>
            </thead>
            <tbody>
              {[...p.priority_mix].reverse().map((m) => {
                const i = p.priority_mix.indexOf(m);
                const prio = priorities.find((x) => x.name === m.priority) ?? { name: m.priority, rank: i + 1 };
                const target = m.target_percent;
                const targetText = target === null ? '—' : i !== lowest && target <= 1 ? `< ${target} %` : `~${target} %`;
                return (
                  <tr key={m.priority}>
                    <th scope="row">
                      <PriorityLabel priority={prio} priorities={priorities} />
                    </th>
                    <td class="num">{formatCount(m.count)}</td>
                    <td>
                      <ShareBar percent={m.percent} target={target} />
                    </td>
                    <td class="num">{targetText}</td>
                    <VerdictCell verdict={priorityShareVerdict(m.percent, target, i === lowest)} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>

      <AlarmLists position={p} alarmLabel={alarmLabel} />
    </article>
  );
}

function ShareBar({ percent, target = null }: { percent: number; target?: number | null }) {
  const width = barPercent(percent / 100) ?? 0;
  return (
    <span class="share">
      <span class="share-bar" aria-hidden="true">
        <span class="share-fill" style={{ width: `${width}%` }} />
        {target !== null && <span class="share-target" style={{ left: `${barPercent(target / 100) ?? 0}%` }} />}
      </span>
      <span class="share-value">{pct(percent)}</span>
    </span>
  );
}

/** Chattering, fleeting, stale and standing alarms and the floods, by name. */
function AlarmLists({ position: p, alarmLabel }: { position: AlarmPositionKpis; alarmLabel(id: string): string }) {
  const empty = p.chattering.length + p.fleeting.length + p.stale.length + p.standing.length + p.floods.length === 0;
  if (empty) return null;
  return (
    <details class="kpi-lists" data-testid={`alarm-kpi-lists-${p.position}`}>
      <summary>Nuisance and standing alarms, floods</summary>
      <div class="kpi-position-grid">
        {p.chattering.length > 0 && (
          <div>
            <h4 class="report-subheading">Chattering (≥ 3 activations within 60 s)</h4>
            <ul class="plain-list">
              {p.chattering.map((c) => (
                <li key={c.alarm}>
                  {alarmLabel(c.alarm)} <span class="muted">— {c.activations} activations, up to {c.peak_in_window} in a window</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {p.fleeting.length > 0 && (
          <div>
            <h4 class="report-subheading">Fleeting (cleared within 1 s)</h4>
            <ul class="plain-list">
              {p.fleeting.map((f) => (
                <li key={f.alarm}>
                  {alarmLabel(f.alarm)} <span class="muted">— {f.count} ({pct(f.percent)})</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {p.stale.length > 0 && (
          <div>
            <h4 class="report-subheading">Stale (active for more than 24 h)</h4>
            <ul class="plain-list">
              {p.stale.map((id) => (
                <li key={id}>{alarmLabel(id)}</li>
              ))}
            </ul>
          </div>
        )}
        {p.standing.length > 0 && (
          <div>
            <h4 class="report-subheading">Standing (active at the end of the period)</h4>
            <ul class="plain-list">
              {p.standing.map((id) => (
                <li key={id}>{alarmLabel(id)}</li>
              ))}
            </ul>
          </div>
        )}
        {p.floods.length > 0 && (
          <div>
            <h4 class="report-subheading">Floods</h4>
            <table class="data-table compact">
              <thead>
                <tr>
                  <th scope="col">Begin</th>
                  <th scope="col" class="num">Duration</th>
                  <th scope="col" class="num">Alarms</th>
                  <th scope="col" class="num">Peak / 10 min</th>
                </tr>
              </thead>
              <tbody>
                {p.floods.map((f) => (
                  <tr key={f.begin}>
                    <td class="time">{formatTimestamp(f.begin)}</td>
                    <td class="num">{formatSeconds((f.end - f.begin) / 1e6)}</td>
                    <td class="num">{formatCount(f.alarms)}</td>
                    <td class="num">{formatCount(f.peak_10min)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </details>
  );
}

function settingText(key: keyof ConditionSettings, v: number): string {
  return key === 'on_delay' || key === 'off_delay' ? formatSeconds(v) : String(Number(v.toFixed(3)));
}

const SETTING_LABELS: [keyof ConditionSettings, string][] = [
  ['limit', 'Limit'],
  ['deadband', 'Deadband'],
  ['on_delay', 'On-delay'],
  ['off_delay', 'Off-delay'],
];

function Calibration({ state, alarmLabel }: { state: Polled<CalibrationResponse>; alarmLabel(id: string): string }) {
  const data = state.data;
  return (
    <section class="report-section" aria-labelledby="calibration-title" data-testid="calibration">
      <h3 id="calibration-title" class="section-title">
        Calibration proposals
      </h3>
      <p class="muted view-note">
        For chattering alarms: the period's recorded values replayed through the alarm with the proposed deadband and delays. A starting
        point for the engineer; nothing is changed until the plant definition is.
      </p>
      {state.error && (
        <div class="inline-error" role="alert" data-testid="calibration-error">
          <span aria-hidden="true">⚠ </span>
          {data ? 'Cannot refresh the proposals (showing earlier data): ' : 'Cannot load the calibration proposals: '}
          {state.error}
        </div>
      )}
      {!data && !state.error && <p class="placeholder">Loading proposals…</p>}
      {data && data.proposals.length === 0 && (
        <p class="placeholder" data-testid="calibration-empty">
          No proposals for this period.
        </p>
      )}
      {data && data.proposals.length > 0 && (
        <div class="table-scroll">
          <table class="data-table calibration-table" data-testid="calibration-table">
            <thead>
              <tr>
                <th scope="col">Alarm</th>
                <th scope="col">Settings (current → proposed)</th>
                <th scope="col" class="num">Activations before → after</th>
                <th scope="col" class="num">Chattering before → after</th>
                <th scope="col">Rationale</th>
              </tr>
            </thead>
            <tbody>
              {data.proposals.map((c) => (
                <tr key={c.alarm} data-testid={`calibration-${c.alarm}`}>
                  <th scope="row" title={c.alarm}>
                    {alarmLabel(c.alarm)}
                  </th>
                  <td>
                    <ul class="plain-list settings-list">
                      {SETTING_LABELS.map(([key, label]) => {
                        const changed = c.current[key] !== c.proposed[key];
                        return (
                          <li key={key} class={changed ? 'changed' : undefined}>
                            {label}: {settingText(key, c.current[key])}
                            {changed && (
                              <strong>
                                {' '}
                                → {settingText(key, c.proposed[key])}
                              </strong>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </td>
                  <td class="num">
                    {formatCount(c.activations_before)} → {formatCount(c.activations_after)}
                    {c.removed > 0 && <div class="muted">−{formatCount(c.removed)}</div>}
                  </td>
                  <td class="num">
                    {formatCount(c.chattering_before)} → {formatCount(c.chattering_after)}
                  </td>
                  <td>{c.rationale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
