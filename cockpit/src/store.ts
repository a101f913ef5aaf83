// Cockpit state and its pure reducer: merges the stream's snapshot and
// coalesced "changes" messages into a per-unit view.
import { mergeAlarmChanges, mergeAlarmList } from './alarms';
import type { ConnectionState } from './stream';
import {
  PERM_CLASSIFY_DOWNTIME,
  PERM_COMMAND_UNIT,
  type Alarm,
  type AlarmList,
  type AlarmPriority,
  type Micros,
  type Plant,
  type StreamMessage,
  type TagValue,
  type UnitStatus,
} from './types';

export interface UnitView extends UnitStatus {
  /** Browser time (ms) of the last state change seen by this client, for the change highlight. */
  changedAt?: number;
}

export interface CockpitState {
  plant: Plant | null;
  plantError: string | null;
  units: Record<string, UnitView>;
  /** Units in the order the server first reported them. */
  order: string[];
  connection: ConnectionState;
  /** True once a snapshot has been received on the current or a previous connection. */
  hasSnapshot: boolean;
  /** serverTimeMs − browserTimeMs, estimated from "changes" timestamps. */
  clockOffsetMs: number;
  lastMessageAt: number | null;
  /**
   * Units the user may see (GET api/units) with their permissions there;
   * null until loaded.  Once loaded it decides which units are shown.
   */
  permissions: Record<string, string[]> | null;
  /** Alarms the user may see, by id (GET api/alarms merged with the stream); null until loaded. */
  alarms: Record<string, Alarm> | null;
  /** The plant's alarm priorities, lowest first. */
  alarmPriorities: AlarmPriority[];
  /** The last alarm list load failed with this message (the alarms shown, if any, are older). */
  alarmsError: string | null;
  /** Incremented when the stream reports an alarm the list does not hold: the list must be reloaded. */
  alarmRefetch: number;
}

export type Action =
  | { type: 'plant'; plant: Plant }
  | { type: 'plantError'; error: string }
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'message'; message: StreamMessage; now: number }
  | { type: 'units'; units: UnitStatus[] }
  /** GET api/alarms answered (one list per scope asked). */
  | { type: 'alarms'; lists: AlarmList[] }
  | { type: 'alarmsError'; error: string };

export const initialState: CockpitState = {
  plant: null,
  plantError: null,
  units: {},
  order: [],
  connection: { status: 'connecting', attempt: 0 },
  hasSnapshot: false,
  clockOffsetMs: 0,
  lastMessageAt: null,
  permissions: null,
  alarms: null,
  alarmPriorities: [],
  alarmsError: null,
  alarmRefetch: 0,
};

function emptyUnit(id: string): UnitView {
  return { id, state: 'Unknown', state_number: 0, allowed_commands: [], tags: {} };
}

/** Strips the change's `unit`/`name` keys (the unit id, not an engineering unit). */
function tagValue(t: TagValue): TagValue {
  const out: TagValue = { value: t.value, quality: t.quality };
  if (t.source_time !== undefined) out.source_time = t.source_time;
  if (t.server_time !== undefined) out.server_time = t.server_time;
  return out;
}

export function applyMessage(state: CockpitState, msg: StreamMessage, now: number): CockpitState {
  if (msg.type === 'snapshot') {
    const units: Record<string, UnitView> = {};
    const order: string[] = [];
    for (const u of msg.units ?? []) {
      const prev = state.units[u.id];
      const changed = prev && prev.state !== u.state;
      units[u.id] = {
        ...u,
        allowed_commands: u.allowed_commands ?? [],
        tags: { ...(u.tags ?? {}) },
        changedAt: changed ? now : prev?.changedAt,
      };
      order.push(u.id);
    }
    return { ...state, units, order, hasSnapshot: true, lastMessageAt: now };
  }

  if (msg.type === 'changes') {
    const units = { ...state.units };
    let order = state.order;
    const touch = (id: string): UnitView => {
      let u = units[id];
      if (!u) {
        u = emptyUnit(id);
        if (order === state.order) order = [...order];
        order.push(id);
      }
      return u;
    };
    for (const c of msg.units ?? []) {
      const prev = touch(c.id);
      const next: UnitView = { ...prev };
      for (const [k, v] of Object.entries(c)) {
        if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
      }
      if (c.state !== undefined && c.state !== prev.state) next.changedAt = now;
      units[c.id] = next;
    }
    // Group tag changes per unit so each unit's tag map is copied once.
    const byUnit = new Map<string, Record<string, TagValue>>();
    for (const t of msg.tags ?? []) {
      let tags = byUnit.get(t.unit);
      if (!tags) {
        const u = touch(t.unit);
        tags = { ...u.tags };
        byUnit.set(t.unit, tags);
        units[t.unit] = { ...u, tags };
      }
      tags[t.name] = tagValue(t);
    }
    const clockOffsetMs = typeof msg.time === 'number' && msg.time > 0 ? msg.time / 1000 - now : state.clockOffsetMs;
    let { alarms, alarmRefetch } = state;
    if (msg.alarms && msg.alarms.length > 0) {
      if (alarms === null) {
        // The list is still loading and may have been read before this tick: read it again.
        alarmRefetch += 1;
      } else {
        const merged = mergeAlarmChanges(alarms, msg.alarms);
        alarms = merged.alarms;
        if (merged.unknown.length > 0) alarmRefetch += 1;
      }
    }
    return { ...state, units, order, clockOffsetMs, lastMessageAt: now, alarms, alarmRefetch };
  }

  return state;
}

export function reducer(state: CockpitState, action: Action): CockpitState {
  switch (action.type) {
    case 'plant':
      return { ...state, plant: action.plant, plantError: null };
    case 'plantError':
      return { ...state, plantError: action.error };
    case 'connection':
      return { ...state, connection: action.connection };
    case 'message':
      return applyMessage(state, action.message, action.now);
    case 'units':
      return applyUnits(state, action.units);
    case 'alarms':
      return applyAlarmLists(state, action.lists);
    case 'alarmsError':
      return { ...state, alarmsError: action.error };
  }
}

/**
 * Merges GET api/units: records the visible units and their permissions, and
 * seeds units the stream has not reported yet (the stream stays authoritative
 * for live values).
 */
export function applyUnits(state: CockpitState, list: UnitStatus[]): CockpitState {
  const permissions: Record<string, string[]> = {};
  let units = state.units;
  let order = state.order;
  for (const u of list) {
    permissions[u.id] = u.permissions ?? [];
    if (!state.units[u.id]) {
      if (units === state.units) units = { ...units };
      if (order === state.order) order = [...order];
      units[u.id] = { ...u, allowed_commands: u.allowed_commands ?? [], tags: { ...(u.tags ?? {}) } };
      order.push(u.id);
    }
  }
  return { ...state, units, order, permissions };
}

/** Adopts GET api/alarms answers (one per scope), keeping what the stream reported since. */
export function applyAlarmLists(state: CockpitState, lists: AlarmList[]): CockpitState {
  const seen = new Set<string>();
  const all: Alarm[] = [];
  for (const list of lists) {
    for (const a of list.alarms ?? []) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      all.push(a);
    }
  }
  const priorities = lists.find((l) => (l.priorities ?? []).length > 0)?.priorities ?? state.alarmPriorities;
  return { ...state, alarms: mergeAlarmList(state.alarms, all), alarmPriorities: priorities, alarmsError: null };
}

/** The known alarms as a list (empty until loaded). */
export function alarmList(state: CockpitState): Alarm[] {
  return state.alarms ? Object.values(state.alarms) : [];
}

// ---- selectors -------------------------------------------------------------

/** Ids of the units the user may see, or null while that is not known yet. */
export function visibleUnits(state: CockpitState): Set<string> | null {
  if (state.permissions) return new Set(Object.keys(state.permissions));
  return null;
}

/** The user's permissions at a unit: from the stream when it sends them, else from api/units. */
export function unitPermissions(state: CockpitState, id: string): string[] {
  return state.units[id]?.permissions ?? state.permissions?.[id] ?? [];
}

export function canCommand(state: CockpitState, id: string): boolean {
  return unitPermissions(state, id).includes(PERM_COMMAND_UNIT);
}

/** The user may classify (explain) stops of this unit. */
export function canClassify(state: CockpitState, id: string): boolean {
  return unitPermissions(state, id).includes(PERM_CLASSIFY_DOWNTIME);
}

export interface VisibleLine {
  /** Equipment path of the line (work center). */
  id: string;
  name: string;
  /** The line's units the user may see, in the plant model's order. */
  units: { id: string; name: string }[];
}

/**
 * Lines (work centers) with at least one unit the user may see, in plant
 * order; empty until both the plant model and api/units are loaded.
 */
export function visibleLines(state: CockpitState): VisibleLine[] {
  const visible = visibleUnits(state);
  if (!state.plant || !visible) return [];
  const lines: VisibleLine[] = [];
  for (const site of state.plant.sites) {
    for (const area of site.areas) {
      for (const wc of area.work_centers) {
        const units = wc.units.filter((u) => visible.has(u.id)).map((u) => ({ id: u.id, name: u.name }));
        if (units.length) lines.push({ id: wc.id, name: wc.name, units });
      }
    }
  }
  return lines;
}

export function num(t: TagValue | undefined): number | null {
  if (!t) return null;
  const v = t.value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function bool(t: TagValue | undefined): boolean {
  if (!t) return false;
  const v = t.value;
  return v === true || v === 1 || v === 'true';
}

/** Good count = processed − defective, when both are known. */
export function counts(u: UnitStatus): { good: number | null; rejects: number | null } {
  const processed = num(u.tags['Admin.ProdProcessedCount']);
  const defective = num(u.tags['Admin.ProdDefectiveCount']);
  return {
    good: processed === null ? null : Math.max(0, processed - (defective ?? 0)),
    rejects: defective,
  };
}

/** Time in state in ms, corrected for the server/browser clock offset. */
export function timeInStateMs(since: Micros | undefined, nowMs: number, clockOffsetMs: number): number | null {
  if (typeof since !== 'number' || since <= 0) return null;
  return Math.max(0, nowMs + clockOffsetMs - since / 1000);
}
