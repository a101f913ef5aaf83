// ISA-18.2 alarm console helpers (pure, unit-tested): priority coding,
// the flashing rule, which actions a state allows, merging live changes,
// filters, shelve durations and KPI targets.
import { formatDuration } from './format';
import type { Alarm, AlarmActionName, AlarmChange, AlarmPriority, AlarmShelve, AlarmStateName, Micros, Plant } from './types';

// ---- states ----------------------------------------------------------------------

export const ALARM_STATES: AlarmStateName[] = [
  'Unacknowledged',
  'ReturnedUnacknowledged',
  'LatchedUnacknowledged',
  'Acknowledged',
  'LatchedAcknowledged',
  'Shelved',
  'SuppressedByDesign',
  'OutOfService',
  'Normal',
];

/** Every state, for GET api/alarms (whose default leaves Normal out). */
export const ALL_ALARM_STATES: readonly AlarmStateName[] = ALARM_STATES;

const UNACKNOWLEDGED = new Set<string>(['Unacknowledged', 'ReturnedUnacknowledged', 'LatchedUnacknowledged']);
const ANNUNCIATED = new Set<string>([...UNACKNOWLEDGED, 'Acknowledged', 'LatchedAcknowledged']);
const HIDDEN = new Set<string>(['Shelved', 'SuppressedByDesign', 'OutOfService']);

/** Unacknowledged states: the operator has not seen (acknowledged) them yet. */
export function isUnacknowledged(state: string): boolean {
  return UNACKNOWLEDGED.has(state);
}

/**
 * ISA-18.2 / ISA-101: only unacknowledged alarms flash (Unacknowledged,
 * ReturnedUnacknowledged, LatchedUnacknowledged); acknowledged ones are steady
 * and hidden ones (shelved, suppressed, out of service) are not annunciated.
 */
export function flashes(state: string): boolean {
  return isUnacknowledged(state);
}

/** Shown to the operator as an alarm (needs attention or is standing). */
export function isAnnunciated(state: string): boolean {
  return ANNUNCIATED.has(state);
}

/** Shelved, suppressed by design or out of service: listed, not annunciated. */
export function isHidden(state: string): boolean {
  return HIDDEN.has(state);
}

const STATE_LABELS: Record<string, string> = {
  Normal: 'Normal',
  Unacknowledged: 'Unacknowledged',
  Acknowledged: 'Acknowledged',
  ReturnedUnacknowledged: 'Returned, unacknowledged',
  LatchedUnacknowledged: 'Latched, unacknowledged',
  LatchedAcknowledged: 'Latched, acknowledged',
  Shelved: 'Shelved',
  SuppressedByDesign: 'Suppressed by design',
  OutOfService: 'Out of service',
};

/** "Returned, unacknowledged" for ReturnedUnacknowledged; unknown states as sent. */
export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

// ---- priorities --------------------------------------------------------------------

export type PriorityShape = 'diamond' | 'triangle' | 'square' | 'circle';

/** Text glyph of each shape (the console draws SVG; the glyph is for text-only places). */
export const SHAPE_GLYPH: Record<PriorityShape, string> = {
  diamond: '◆',
  triangle: '▲',
  square: '■',
  circle: '●',
};

const SHAPE_BY_NAME: Record<string, PriorityShape> = {
  critical: 'diamond',
  emergency: 'diamond',
  urgent: 'diamond',
  highest: 'diamond',
  high: 'triangle',
  medium: 'square',
  low: 'circle',
};

/** Lowest level first: a plant's lowest priority is a circle, the fourth and above a diamond. */
const SHAPES_BY_LEVEL: PriorityShape[] = ['circle', 'square', 'triangle', 'diamond'];

/**
 * The shape that codes a priority (with its name as text, never colour alone):
 * ◆ critical, ▲ high, ■ medium, ● low.  Other names get a shape by their
 * level in the plant's priority set (lowest = circle ... fourth = diamond).
 */
export function priorityShape(priority: AlarmPriority, priorities: readonly AlarmPriority[] = []): PriorityShape {
  const byName = SHAPE_BY_NAME[priority.name.trim().toLowerCase()];
  if (byName) return byName;
  const ranks = [...new Set(priorities.map((p) => p.rank))].sort((a, b) => a - b);
  let level = ranks.indexOf(priority.rank);
  if (level < 0) level = Math.max(0, priority.rank - 1);
  return SHAPES_BY_LEVEL[Math.min(level, SHAPES_BY_LEVEL.length - 1)];
}

/** "◆ critical" */
export function priorityText(priority: AlarmPriority, priorities: readonly AlarmPriority[] = []): string {
  return `${SHAPE_GLYPH[priorityShape(priority, priorities)]} ${priority.name}`;
}

// ---- actions -------------------------------------------------------------------------

export const ACTION_LABELS: Record<AlarmActionName, string> = {
  acknowledge: 'Acknowledge',
  reset: 'Reset',
  shelve: 'Shelve',
  unshelve: 'Unshelve',
  remove_from_service: 'Out of service',
  return_to_service: 'Return to service',
};

/** A button's label: "Re-shelve" for an alarm that is shelved already (the new shelve replaces it). */
export function actionLabel(action: AlarmActionName, alarm: Pick<AlarmChange, 'state'>): string {
  return action === 'shelve' && alarm.state === 'Shelved' ? 'Re-shelve' : ACTION_LABELS[action];
}

const ACTION_ORDER: AlarmActionName[] = ['acknowledge', 'reset', 'unshelve', 'shelve', 'return_to_service', 'remove_from_service'];

/**
 * Actions the lifecycle accepts in the alarm's state (the server answers 409
 * otherwise), whatever the user's permissions:
 * acknowledge unacknowledged alarms; reset a latched, acknowledged one;
 * shelve anything in service that may be shelved (max_shelve > 0);
 * unshelve a shelved one; remove from / return to service.
 */
export function actionsForState(alarm: Pick<AlarmChange, 'state' | 'max_shelve'>): AlarmActionName[] {
  const s = alarm.state;
  const out: AlarmActionName[] = [];
  if (isUnacknowledged(s)) out.push('acknowledge');
  if (s === 'LatchedAcknowledged') out.push('reset');
  if (s === 'Shelved') out.push('unshelve');
  if (s !== 'OutOfService' && alarm.max_shelve > 0) out.push('shelve');
  if (s === 'OutOfService') out.push('return_to_service');
  else out.push('remove_from_service');
  return out;
}

/** The buttons of an alarm: what its state allows and the user may do (allowed_actions), in a fixed order. */
export function availableActions(alarm: Pick<Alarm, 'state' | 'max_shelve' | 'allowed_actions'>): AlarmActionName[] {
  const allowed = new Set(alarm.allowed_actions ?? []);
  const byState = new Set(actionsForState(alarm));
  return ACTION_ORDER.filter((a) => allowed.has(a) && byState.has(a));
}

/** Acknowledge / reset / unshelve go straight to the server unless a comment is required. */
export function needsDialog(action: AlarmActionName, alarm: Pick<AlarmChange, 'comments_required'>): boolean {
  switch (action) {
    case 'shelve':
    case 'remove_from_service':
    case 'return_to_service':
      return true;
    case 'acknowledge':
      return alarm.comments_required.acknowledge;
    default:
      return false;
  }
}

/** Whether the server insists on a comment for the action. */
export function commentRequired(action: AlarmActionName, alarm: Pick<AlarmChange, 'comments_required'>): boolean {
  if (action === 'shelve') return alarm.comments_required.shelve;
  if (action === 'remove_from_service') return alarm.comments_required.out_of_service;
  if (action === 'acknowledge') return alarm.comments_required.acknowledge;
  return false;
}

// ---- shelving ---------------------------------------------------------------------------

const SHELVE_STEPS_S = [5 * 60, 15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 12 * 3600, 24 * 3600];

/** Duration in seconds as the API takes it: "30m", "2h", "90s". */
export function durationParam(seconds: number): string {
  const s = Math.round(seconds);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** "30 min", "2 h", "1 h 30 min", "45 s" (for choices and limits). */
export function durationWords(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (rest) parts.push(`${rest} s`);
  return parts.join(' ');
}

/**
 * Timed shelve choices in seconds, none above the alarm's maximum; the
 * maximum itself is always offered.  Empty when shelving is not allowed.
 */
export function shelveDurations(maxShelveSeconds: number): number[] {
  if (!(maxShelveSeconds > 0)) return [];
  const out = SHELVE_STEPS_S.filter((s) => s < maxShelveSeconds);
  out.push(Math.round(maxShelveSeconds));
  return out;
}

/** The default choice: 30 minutes, or the longest choice below that. */
export function defaultShelveDuration(choices: readonly number[]): number | null {
  if (choices.length === 0) return null;
  const under = choices.filter((c) => c <= 30 * 60);
  return under.length ? under[under.length - 1] : choices[0];
}

// ---- time -------------------------------------------------------------------------------

/**
 * When the row's "since" counts from: the activation for alarms the operator
 * sees (active, returned or latched), the state change for hidden and normal ones.
 */
export function alarmSince(alarm: Pick<AlarmChange, 'state' | 'active_since' | 'state_since'>): Micros | null {
  const t = isAnnunciated(alarm.state) && alarm.active_since > 0 ? alarm.active_since : alarm.state_since;
  return t > 0 ? t : null;
}

/** Milliseconds from `nowMs` (browser clock, corrected by `clockOffsetMs`) until `at` (µs); may be negative. */
export function msUntil(at: Micros, nowMs: number, clockOffsetMs = 0): number {
  return at / 1000 - (nowMs + clockOffsetMs);
}

/** The response is overdue: unacknowledged for longer than the rationalized max time to respond. */
export function responseOverdue(alarm: Pick<AlarmChange, 'state' | 'active_since' | 'state_since' | 'rationalization'>, nowMs: number, clockOffsetMs = 0): boolean {
  const max = alarm.rationalization?.max_time_to_respond ?? 0;
  if (!isUnacknowledged(alarm.state) || !(max > 0)) return false;
  const since = alarmSince(alarm);
  return since !== null && nowMs + clockOffsetMs - since / 1000 > max * 1000;
}

// ---- ordering, filtering, merging --------------------------------------------------------

/** Most urgent first: priority rank, then newest activation, then id (the server's order). */
export function compareAlarms(a: AlarmChange, b: AlarmChange): number {
  if (a.priority.rank !== b.priority.rank) return b.priority.rank - a.priority.rank;
  if (a.active_since !== b.active_since) return b.active_since - a.active_since;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Shelved alarms, the one that comes back first on top. */
export function shelvedAlarms<T extends AlarmChange>(alarms: readonly T[]): T[] {
  return alarms
    .filter((a) => a.state === 'Shelved' && a.shelve)
    .sort((a, b) => a.shelve!.expires_at - b.shelve!.expires_at || (a.id < b.id ? -1 : 1));
}

export type StateFilter = 'not_normal' | 'unacknowledged' | 'annunciated' | 'hidden' | 'all' | AlarmStateName;

export const STATE_FILTERS: { id: StateFilter; label: string }[] = [
  { id: 'not_normal', label: 'All but normal' },
  { id: 'unacknowledged', label: 'Unacknowledged (all kinds)' },
  { id: 'annunciated', label: 'Active and latched (annunciated)' },
  { id: 'hidden', label: 'Hidden (shelved, suppressed, out of service)' },
  ...ALARM_STATES.map((s) => ({ id: s, label: stateLabel(s) })),
  { id: 'all', label: 'All, normal included' },
];

export function matchesState(state: string, filter: StateFilter): boolean {
  switch (filter) {
    case 'not_normal':
      return state !== 'Normal';
    case 'unacknowledged':
      return isUnacknowledged(state);
    case 'annunciated':
      return isAnnunciated(state);
    case 'hidden':
      return isHidden(state);
    case 'all':
      return true;
    default:
      return state === filter;
  }
}

export interface AlarmFilter {
  /** Equipment path prefix ("" = all). */
  scope: string;
  /** Priority names to show; null = all. */
  priorities: readonly string[] | null;
  state: StateFilter;
}

/** An equipment path is `scope` or below it. */
export function inScope(path: string, scope: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}

export function filterAlarms<T extends AlarmChange>(alarms: readonly T[], f: AlarmFilter): T[] {
  const prios = f.priorities === null ? null : new Set(f.priorities);
  return alarms
    .filter((a) => inScope(a.id, f.scope) && (prios === null || prios.has(a.priority.name)) && matchesState(a.state, f.state))
    .sort(compareAlarms);
}

export function countUnacknowledged(alarms: readonly AlarmChange[]): number {
  return alarms.reduce((n, a) => n + (isUnacknowledged(a.state) ? 1 : 0), 0);
}

/** The most urgent unacknowledged alarm's priority (for the badge), or null. */
export function topUnacknowledgedPriority(alarms: readonly AlarmChange[]): AlarmPriority | null {
  let top: AlarmPriority | null = null;
  for (const a of alarms) if (isUnacknowledged(a.state) && (!top || a.priority.rank > top.rank)) top = a.priority;
  return top;
}

/** Newest of the alarm's timestamps, to tell an older copy from a newer one. */
export function alarmVersion(a: Pick<AlarmChange, 'state_since' | 'active_since' | 'acknowledged_at' | 'shelve'>): number {
  return Math.max(a.state_since || 0, a.active_since || 0, a.acknowledged_at ?? 0, a.shelve?.at ?? 0);
}

/**
 * Merges a stream tick's alarm changes into the known alarms.  Changes keep
 * the alarm's `allowed_actions` (the stream does not send them).  Returns the
 * new map (the same object when nothing applied) and the ids that were not
 * known (the caller refetches the list for those).
 */
export function mergeAlarmChanges(known: Record<string, Alarm>, changes: readonly AlarmChange[]): { alarms: Record<string, Alarm>; unknown: string[] } {
  let alarms = known;
  const unknown: string[] = [];
  for (const c of changes) {
    const prev = known[c.id];
    if (!prev) {
      unknown.push(c.id);
      continue;
    }
    if (alarms === known) alarms = { ...known };
    alarms[c.id] = { ...prev, ...c, allowed_actions: prev.allowed_actions };
  }
  return { alarms, unknown };
}

/**
 * Adopts a fetched list.  An alarm the stream updated after the list was read
 * (newer timestamps) keeps the stream's state, with the list's allowed_actions.
 * Alarms the list does not carry are dropped (no longer visible).
 */
export function mergeAlarmList(known: Record<string, Alarm> | null, list: readonly Alarm[]): Record<string, Alarm> {
  const out: Record<string, Alarm> = {};
  for (const a of list) {
    const prev = known?.[a.id];
    out[a.id] = prev && alarmVersion(prev) > alarmVersion(a) ? { ...prev, allowed_actions: a.allowed_actions ?? [] } : { ...a, allowed_actions: a.allowed_actions ?? [] };
  }
  return out;
}

/**
 * Scopes to ask GET api/alarms for: the whole plant for a user with a
 * plant-wide grant, else each granted scope (nested ones dropped).
 */
export function alarmScopes(grants: readonly { scope?: string }[]): string[] {
  if (grants.some((g) => !g.scope)) return [''];
  const scopes = [...new Set(grants.map((g) => g.scope!))].sort();
  return scopes.filter((s) => !scopes.some((o) => o !== s && inScope(s, o)));
}

// ---- KPI targets ---------------------------------------------------------------------------

export type Verdict = 'ok' | 'warn' | 'bad';

/** A rating of the server ("acceptable" / "manageable" / "overloaded") as a verdict. */
export function ratingVerdict(rating: string): Verdict {
  if (rating === 'acceptable') return 'ok';
  if (rating === 'manageable') return 'warn';
  return 'bad';
}

/** EEMUA 191 band of the 10-minute rate as a verdict. */
export function bandVerdict(band: string): Verdict {
  if (band === 'very likely acceptable') return 'ok';
  if (band === 'manageable') return 'warn';
  return 'bad';
}

/** `value` against a "not more than" target (ok when value <= max; strictly below when `strict`). */
export function atMost(value: number, max: number, strict = false): Verdict {
  return (strict ? value < max : value <= max) ? 'ok' : 'bad';
}

/**
 * A priority's share of annunciated alarms against its ISA-18.2 target
 * (~80 / 15 / 5 / <1 %): the lowest priority should have at least its
 * target, the others at most theirs, a top target of 1 % means "below 1 %".
 * No target: ok.
 */
export function priorityShareVerdict(percent: number, target: number | null, isLowest: boolean): Verdict {
  if (target === null) return 'ok';
  if (isLowest) return percent >= target ? 'ok' : 'bad';
  if (target <= 1) return percent < target ? 'ok' : 'bad';
  return percent <= target ? 'ok' : 'bad';
}

/** An average alarm rate: "312", "42.5", "3.41", "0.024"; "n/a" when not a number. */
export function formatRate(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return 'n/a';
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 0.1) return n.toFixed(2);
  return n.toPrecision(2);
}

/** The last segment(s) of an alarm id for tables: "L1 / filler / fault". */
export function shortAlarmId(id: string, keep = 3): string {
  return id.split('/').slice(-keep).join(' / ');
}

// ---- equipment names ---------------------------------------------------------------------------

export interface EquipmentNames {
  /** Name of an equipment path (site, area, line or unit), or null when the plant model does not have it. */
  name(path: string): string | null;
  /** "Line 1 · Filler" for a unit; the path when unknown. */
  unit(unitId: string): string;
}

/** Names of the plant model's equipment (by path). */
export function equipmentNames(plant: Plant | null): EquipmentNames {
  const names = new Map<string, string>();
  const units = new Map<string, string>();
  for (const site of plant?.sites ?? []) {
    names.set(site.id, site.name);
    for (const area of site.areas) {
      names.set(area.id, area.name);
      for (const wc of area.work_centers) {
        names.set(wc.id, wc.name);
        for (const u of wc.units) {
          names.set(u.id, u.name);
          units.set(u.id, `${wc.name} · ${u.name}`);
        }
      }
    }
  }
  return {
    name: (path) => names.get(path) ?? null,
    unit: (unitId) => units.get(unitId) ?? unitId,
  };
}

export interface ScopeOption {
  id: string;
  label: string;
  kind: 'plant' | 'area' | 'line';
}

/**
 * Scopes to choose from, in plant order: for a user with a plant-wide grant
 * the whole plant, then each area and its lines; for a line-scoped user only
 * the lines they may see (an area would take in lines outside their grants).
 */
export function scopeOptions(plant: Plant | null, visibleLineIds: ReadonlySet<string>, plantWide: boolean, allLabel = 'All areas and lines'): ScopeOption[] {
  const out: ScopeOption[] = plantWide ? [{ id: '', label: allLabel, kind: 'plant' }] : [];
  for (const site of plant?.sites ?? []) {
    for (const area of site.areas) {
      const lines = area.work_centers.filter((wc) => visibleLineIds.has(wc.id));
      if (lines.length === 0) continue;
      if (plantWide) out.push({ id: area.id, label: area.name, kind: 'area' });
      for (const wc of lines) out.push({ id: wc.id, label: `${area.name} / ${wc.name}`, kind: 'line' });
    }
  }
  return out;
}

/**
 * What the shelved list says about when a shelve ends: "in 29m 12s" (timed),
 * "when it returns to normal, at the latest in 7h 59m" (one-shot), "ending
 * now" once the time is up (the server unshelves it on its next tick).
 */
export function shelveCountdown(shelve: Pick<AlarmShelve, 'kind' | 'expires_at'>, nowMs: number, clockOffsetMs = 0): string {
  const left = msUntil(shelve.expires_at, nowMs, clockOffsetMs);
  if (left <= 0) return 'ending now';
  const inText = `in ${formatDuration(left)}`;
  return shelve.kind === 'one_shot' ? `when it returns to normal, at the latest ${inText}` : inText;
}
