import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  actionLabel,
  actionsForState,
  ALARM_STATES,
  alarmScopes,
  alarmSince,
  atMost,
  availableActions,
  bandVerdict,
  commentRequired,
  countUnacknowledged,
  defaultShelveDuration,
  durationParam,
  durationWords,
  equipmentNames,
  filterAlarms,
  flashes,
  formatRate,
  isUnacknowledged,
  matchesState,
  mergeAlarmChanges,
  mergeAlarmList,
  needsDialog,
  priorityShape,
  priorityShareVerdict,
  priorityText,
  ratingVerdict,
  responseOverdue,
  scopeOptions,
  shelveCountdown,
  shelvedAlarms,
  shelveDurations,
  stateLabel,
  topUnacknowledgedPriority,
} from '../src/alarms';
import { fetchAlarmCalibration, fetchAlarmReport, fetchAlarms, postAlarmAction, setCsrfToken } from '../src/api';
import { formatDuration, formatUtcOffset, plantTimeNote } from '../src/format';
import { applyMessage, initialState, reducer } from '../src/store';
import type { Alarm, AlarmChange, AlarmPriority, Plant } from '../src/types';

const PRIORITIES: AlarmPriority[] = [
  { name: 'low', rank: 1 },
  { name: 'medium', rank: 2 },
  { name: 'high', rank: 3 },
  { name: 'critical', rank: 4 },
];
const FAULT = 'bottling/packaging/L1/filler/fault';
// 2026-11-26T05:39:08Z in microseconds.
const T0 = Date.UTC(2026, 10, 26, 5, 39, 8) * 1000;

function alarm(over: Partial<Alarm> = {}): Alarm {
  return {
    id: FAULT,
    name: 'Unit fault',
    unit: 'bottling/packaging/L1/filler',
    kind: 'packml_fault',
    priority: { name: 'high', rank: 3 },
    class: '',
    message: 'Unit stopped on a fault (Held or Aborted)',
    limit: 0,
    state: 'Unacknowledged',
    condition_active: true,
    acknowledged: false,
    latched: false,
    active_since: T0,
    acknowledged_at: null,
    state_since: T0,
    shelve: null,
    max_shelve: 28800,
    comments_required: { acknowledge: false, shelve: true, out_of_service: true },
    active_only_in: [],
    rationalization: { cause: 'Machine fault', consequence: 'Line stops', corrective_action: 'Reset and Start', max_time_to_respond: 300 },
    allowed_actions: ['acknowledge', 'reset', 'shelve', 'unshelve', 'remove_from_service', 'return_to_service'],
    ...over,
  };
}

describe('priority coding (shape + text, never colour alone)', () => {
  it('maps the standard names to ◆ ▲ ■ ●', () => {
    expect(priorityShape({ name: 'critical', rank: 4 }, PRIORITIES)).toBe('diamond');
    expect(priorityShape({ name: 'high', rank: 3 }, PRIORITIES)).toBe('triangle');
    expect(priorityShape({ name: 'medium', rank: 2 }, PRIORITIES)).toBe('square');
    expect(priorityShape({ name: 'low', rank: 1 }, PRIORITIES)).toBe('circle');
    expect(priorityShape({ name: 'High', rank: 9 })).toBe('triangle');
    expect(priorityText({ name: 'critical', rank: 4 }, PRIORITIES)).toBe('◆ critical');
    expect(priorityText({ name: 'low', rank: 1 }, PRIORITIES)).toBe('● low');
  });

  it('gives other names a shape by their level in the plant set, lowest = circle', () => {
    const set = [
      { name: 'P3', rank: 10 },
      { name: 'P2', rank: 20 },
      { name: 'P1', rank: 30 },
    ];
    expect(set.map((p) => priorityShape(p, set))).toEqual(['circle', 'square', 'triangle']);
    const five = [1, 2, 3, 4, 5].map((rank) => ({ name: `level${rank}`, rank }));
    expect(five.map((p) => priorityShape(p, five))).toEqual(['circle', 'square', 'triangle', 'diamond', 'diamond']);
    // Without the set: by rank (1 = lowest).
    expect(priorityShape({ name: 'x', rank: 2 })).toBe('square');
  });
});

describe('the flashing rule', () => {
  it('flashes only unacknowledged states', () => {
    const flashing = ALARM_STATES.filter(flashes);
    expect(flashing.sort()).toEqual(['LatchedUnacknowledged', 'ReturnedUnacknowledged', 'Unacknowledged']);
    for (const steady of ['Normal', 'Acknowledged', 'LatchedAcknowledged', 'Shelved', 'SuppressedByDesign', 'OutOfService', 'Bogus']) {
      expect(flashes(steady), steady).toBe(false);
    }
    expect(isUnacknowledged('ReturnedUnacknowledged')).toBe(true);
  });

  it('names the states for people', () => {
    expect(stateLabel('ReturnedUnacknowledged')).toBe('Returned, unacknowledged');
    expect(stateLabel('SuppressedByDesign')).toBe('Suppressed by design');
    expect(stateLabel('Something new')).toBe('Something new');
  });
});

describe('durations', () => {
  it('formats the time since an alarm', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42_900)).toBe('42s');
    expect(formatDuration(187_000)).toBe('3m 07s');
    expect(formatDuration((2 * 3600 + 5 * 60) * 1000)).toBe('2h 05m');
    expect(formatDuration((3 * 86400 + 4 * 3600) * 1000)).toBe('3d 04h');
    expect(formatDuration(null)).toBe('—');
  });

  it('counts "since" from the activation for shown alarms, from the state change for hidden ones', () => {
    expect(alarmSince({ state: 'Acknowledged', active_since: 5, state_since: 9 })).toBe(5);
    expect(alarmSince({ state: 'ReturnedUnacknowledged', active_since: 5, state_since: 9 })).toBe(5);
    expect(alarmSince({ state: 'Shelved', active_since: 5, state_since: 9 })).toBe(9);
    expect(alarmSince({ state: 'SuppressedByDesign', active_since: 0, state_since: 9 })).toBe(9);
    expect(alarmSince({ state: 'Unacknowledged', active_since: 0, state_since: 0 })).toBe(null);
  });

  it('formats shelve durations for the API and for people', () => {
    expect(durationParam(1800)).toBe('30m');
    expect(durationParam(7200)).toBe('2h');
    expect(durationParam(5400)).toBe('90m');
    expect(durationParam(45)).toBe('45s');
    expect(durationWords(1800)).toBe('30 min');
    expect(durationWords(5400)).toBe('1 h 30 min');
    expect(durationWords(28800)).toBe('8 h');
    expect(durationWords(45)).toBe('45 s');
  });

  it('bounds the shelve choices by the alarm maximum', () => {
    expect(shelveDurations(28800)).toEqual([300, 900, 1800, 3600, 7200, 14400, 28800]);
    expect(shelveDurations(2700)).toEqual([300, 900, 1800, 2700]);
    expect(shelveDurations(120)).toEqual([120]);
    expect(shelveDurations(0)).toEqual([]);
    expect(defaultShelveDuration(shelveDurations(28800))).toBe(1800);
    expect(defaultShelveDuration([120])).toBe(120);
    expect(defaultShelveDuration([])).toBe(null);
  });

  it('counts down to the end of a shelve', () => {
    const now = T0 / 1000;
    expect(shelveCountdown({ kind: 'timed', expires_at: T0 + 1_800_000_000 }, now)).toBe('in 30m 00s');
    expect(shelveCountdown({ kind: 'one_shot', expires_at: T0 + 8 * 3600e6 }, now)).toBe('when it returns to normal, at the latest in 8h 00m');
    expect(shelveCountdown({ kind: 'timed', expires_at: T0 - 1 }, now)).toBe('ending now');
    // The server clock runs 2 s ahead of the browser.
    expect(shelveCountdown({ kind: 'timed', expires_at: T0 + 10_000_000 }, now, 2000)).toBe('in 8s');
  });

  it('marks an unacknowledged alarm overdue after its max time to respond', () => {
    const a = alarm();
    expect(responseOverdue(a, T0 / 1000 + 299_000)).toBe(false);
    expect(responseOverdue(a, T0 / 1000 + 301_000)).toBe(true);
    expect(responseOverdue({ ...a, state: 'Acknowledged' }, T0 / 1000 + 301_000)).toBe(false);
  });

  it('formats average rates', () => {
    expect(formatRate(312.4)).toBe('312');
    expect(formatRate(42.51)).toBe('42.5');
    expect(formatRate(3.4121)).toBe('3.41');
    expect(formatRate(0.0237)).toBe('0.024');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(null)).toBe('n/a');
  });
});

describe('actions', () => {
  it('offers what the lifecycle accepts in each state', () => {
    expect(actionsForState({ state: 'Unacknowledged', max_shelve: 60 })).toEqual(['acknowledge', 'shelve', 'remove_from_service']);
    expect(actionsForState({ state: 'Acknowledged', max_shelve: 60 })).toEqual(['shelve', 'remove_from_service']);
    expect(actionsForState({ state: 'LatchedAcknowledged', max_shelve: 60 })).toEqual(['reset', 'shelve', 'remove_from_service']);
    expect(actionsForState({ state: 'LatchedUnacknowledged', max_shelve: 60 })).toContain('acknowledge');
    expect(actionsForState({ state: 'Shelved', max_shelve: 60 })).toEqual(['unshelve', 'shelve', 'remove_from_service']);
    expect(actionsForState({ state: 'OutOfService', max_shelve: 60 })).toEqual(['return_to_service']);
    expect(actionsForState({ state: 'Normal', max_shelve: 0 })).toEqual(['remove_from_service']);
  });

  it('only shows buttons the user may use', () => {
    expect(availableActions(alarm())).toEqual(['acknowledge', 'shelve', 'remove_from_service']);
    expect(availableActions(alarm({ allowed_actions: ['acknowledge', 'reset'] }))).toEqual(['acknowledge']);
    expect(availableActions(alarm({ allowed_actions: [] }))).toEqual([]);
    expect(availableActions(alarm({ state: 'Shelved', allowed_actions: ['shelve', 'unshelve'] }))).toEqual(['unshelve', 'shelve']);
    expect(actionLabel('shelve', { state: 'Shelved' })).toBe('Re-shelve');
    expect(actionLabel('remove_from_service', { state: 'Normal' })).toBe('Out of service');
  });

  it('asks for a comment where the definition requires one', () => {
    const a = alarm();
    expect(needsDialog('acknowledge', a)).toBe(false);
    expect(needsDialog('acknowledge', alarm({ comments_required: { acknowledge: true, shelve: true, out_of_service: true } }))).toBe(true);
    expect(needsDialog('shelve', a)).toBe(true);
    expect(needsDialog('return_to_service', a)).toBe(true);
    expect(needsDialog('unshelve', a)).toBe(false);
    expect(commentRequired('shelve', a)).toBe(true);
    expect(commentRequired('return_to_service', a)).toBe(false);
    expect(commentRequired('shelve', alarm({ comments_required: { acknowledge: false, shelve: false, out_of_service: true } }))).toBe(false);
  });
});

describe('lists, filters and live merging', () => {
  const low = alarm({ id: 'bottling/packaging/L2/filler/speed_low', unit: 'bottling/packaging/L2/filler', priority: { name: 'low', rank: 1 }, state: 'ReturnedUnacknowledged' });
  const shelvedA = alarm({ id: 'a/shelved', state: 'Shelved', shelve: { kind: 'timed', at: T0, expires_at: T0 + 9e9, by: 'ann', comment: 'x' } });
  const shelvedB = alarm({ id: 'b/shelved', state: 'Shelved', shelve: { kind: 'one_shot', at: T0, expires_at: T0 + 1e9, by: 'bob', comment: '' } });
  const normal = alarm({ id: 'bottling/packaging/L1/capper/blocked', state: 'Normal', priority: { name: 'medium', rank: 2 } });

  it('filters by scope, priority and state, most urgent first', () => {
    const all = [low, normal, alarm()];
    expect(filterAlarms(all, { scope: '', priorities: null, state: 'not_normal' }).map((a) => a.id)).toEqual([FAULT, low.id]);
    expect(filterAlarms(all, { scope: 'bottling/packaging/L2', priorities: null, state: 'all' }).map((a) => a.id)).toEqual([low.id]);
    expect(filterAlarms(all, { scope: '', priorities: ['medium'], state: 'all' }).map((a) => a.id)).toEqual([normal.id]);
    expect(filterAlarms(all, { scope: '', priorities: [], state: 'all' })).toEqual([]);
    expect(matchesState('LatchedUnacknowledged', 'unacknowledged')).toBe(true);
    expect(matchesState('Shelved', 'hidden')).toBe(true);
    expect(matchesState('Acknowledged', 'annunciated')).toBe(true);
    expect(matchesState('Normal', 'not_normal')).toBe(false);
    expect(countUnacknowledged(all)).toBe(2);
    expect(topUnacknowledgedPriority(all)).toEqual({ name: 'high', rank: 3 });
    expect(topUnacknowledgedPriority([normal])).toBe(null);
  });

  it('orders the shelved list by expiry', () => {
    expect(shelvedAlarms([shelvedA, low, shelvedB]).map((a) => a.id)).toEqual(['b/shelved', 'a/shelved']);
  });

  it('merges stream changes, keeping allowed_actions, and reports unknown alarms', () => {
    const known = { [FAULT]: alarm({ allowed_actions: ['acknowledge'] }) };
    const { allowed_actions: _omit, ...change } = alarm({ state: 'Acknowledged', acknowledged: true, acknowledged_at: T0 + 5 });
    const unknownChange: AlarmChange = { ...change, id: 'x/y' };
    const merged = mergeAlarmChanges(known, [change, unknownChange]);
    expect(merged.alarms[FAULT].state).toBe('Acknowledged');
    expect(merged.alarms[FAULT].allowed_actions).toEqual(['acknowledge']);
    expect(merged.unknown).toEqual(['x/y']);
    expect(known[FAULT].state).toBe('Unacknowledged');
    expect(mergeAlarmChanges(known, []).alarms).toBe(known);
  });

  it('keeps a newer streamed state over an older list', () => {
    const streamed = alarm({ state: 'Acknowledged', acknowledged_at: T0 + 10, allowed_actions: [] });
    const listed = alarm({ allowed_actions: ['acknowledge', 'shelve'] });
    const out = mergeAlarmList({ [FAULT]: streamed }, [listed, low]);
    expect(out[FAULT].state).toBe('Acknowledged');
    expect(out[FAULT].allowed_actions).toEqual(['acknowledge', 'shelve']);
    expect(Object.keys(out).sort()).toEqual([FAULT, low.id].sort());
    // A newer list wins.
    const newer = mergeAlarmList({ [FAULT]: alarm() }, [alarm({ state: 'Normal', state_since: T0 + 99 })]);
    expect(newer[FAULT].state).toBe('Normal');
  });

  it('the reducer reloads when the stream reports alarms it does not hold', () => {
    const { allowed_actions: _a, ...change } = alarm({ state: 'Acknowledged', acknowledged_at: T0 + 1 });
    // Not loaded yet: ask for the list again.
    let s = applyMessage(initialState, { type: 'changes', time: T0, alarms: [change] }, 1);
    expect(s.alarmRefetch).toBe(1);
    expect(s.alarms).toBe(null);
    s = reducer(s, { type: 'alarms', lists: [{ alarms: [alarm()], priorities: PRIORITIES }] });
    expect(s.alarms?.[FAULT].state).toBe('Unacknowledged');
    expect(s.alarmPriorities).toEqual(PRIORITIES);
    s = applyMessage(s, { type: 'changes', time: T0, alarms: [change] }, 2);
    expect(s.alarms?.[FAULT].state).toBe('Acknowledged');
    expect(s.alarms?.[FAULT].allowed_actions).toContain('shelve');
    expect(s.alarmRefetch).toBe(1);
    s = applyMessage(s, { type: 'changes', time: T0, alarms: [{ ...change, id: 'new/alarm' }] }, 3);
    expect(s.alarmRefetch).toBe(2);
    // Changes without alarms leave them alone.
    expect(applyMessage(s, { type: 'changes', time: T0, alarms: [] }, 4).alarms).toBe(s.alarms);
    s = reducer(s, { type: 'alarmsError', error: 'boom' });
    expect(s.alarmsError).toBe('boom');
  });

  it('asks the server for the scopes the user holds', () => {
    expect(alarmScopes([{ scope: 'a/b/L1' }, {}])).toEqual(['']);
    expect(alarmScopes([{ scope: 'a/b/L2' }, { scope: 'a/b/L1' }, { scope: 'a/b/L1/filler' }, { scope: 'a/b/L1' }])).toEqual(['a/b/L1', 'a/b/L2']);
  });
});

describe('equipment names and scopes', () => {
  const plant: Plant = {
    enterprise: { id: 'acme', name: 'ACME' },
    sites: [
      {
        id: 'bottling',
        name: 'Bottling plant',
        areas: [
          {
            id: 'bottling/packaging',
            name: 'Packaging hall',
            work_centers: [
              { id: 'bottling/packaging/L1', name: 'Line 1', units: [{ id: 'bottling/packaging/L1/filler', name: 'Filler' }] },
              { id: 'bottling/packaging/L2', name: 'Line 2', units: [{ id: 'bottling/packaging/L2/filler', name: 'Filler' }] },
            ],
          },
        ],
      },
    ],
  };

  it('names units and positions', () => {
    const names = equipmentNames(plant);
    expect(names.unit('bottling/packaging/L1/filler')).toBe('Line 1 · Filler');
    expect(names.unit('x/y')).toBe('x/y');
    expect(names.name('bottling/packaging')).toBe('Packaging hall');
    expect(names.name('nope')).toBe(null);
  });

  it('offers the plant, areas and lines to plant-wide users, lines to line-scoped ones', () => {
    const lines = new Set(['bottling/packaging/L1', 'bottling/packaging/L2']);
    expect(scopeOptions(plant, lines, true).map((s) => s.id)).toEqual(['', 'bottling/packaging', 'bottling/packaging/L1', 'bottling/packaging/L2']);
    expect(scopeOptions(plant, new Set(['bottling/packaging/L2']), false).map((s) => [s.id, s.label])).toEqual([
      ['bottling/packaging/L2', 'Packaging hall / Line 2'],
    ]);
  });
});

describe('KPI targets', () => {
  it('reads ratings and bands', () => {
    expect(ratingVerdict('acceptable')).toBe('ok');
    expect(ratingVerdict('manageable')).toBe('warn');
    expect(ratingVerdict('overloaded')).toBe('bad');
    expect(bandVerdict('very likely acceptable')).toBe('ok');
    expect(bandVerdict('manageable')).toBe('warn');
    expect(bandVerdict('likely over-demanding')).toBe('bad');
    expect(atMost(10, 10)).toBe('ok');
    expect(atMost(1, 1, true)).toBe('bad');
  });

  it('compares the priority mix with 80 / 15 / 5 / <1 %', () => {
    expect(priorityShareVerdict(85, 80, true)).toBe('ok');
    expect(priorityShareVerdict(60, 80, true)).toBe('bad');
    expect(priorityShareVerdict(15, 15, false)).toBe('ok');
    expect(priorityShareVerdict(100, 5, false)).toBe('bad');
    expect(priorityShareVerdict(0, 1, false)).toBe('ok');
    expect(priorityShareVerdict(1, 1, false)).toBe('bad');
    expect(priorityShareVerdict(50, null, false)).toBe('ok');
  });
});

describe('alarm api client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('GETs alarms, the report and calibration with encoded parameters', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(200, {}));
    vi.stubGlobal('fetch', fetchMock);
    await fetchAlarms({ scope: 'bottling/packaging/L1', states: ['Unacknowledged', 'Normal'], priorities: ['high'] });
    await fetchAlarms({ scope: '' });
    await fetchAlarmReport('', 'today');
    await fetchAlarmCalibration('bottling/packaging', 'previous_shift');
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
      'api/alarms?scope=bottling%2Fpackaging%2FL1&state=Unacknowledged%2CNormal&priority=high',
      'api/alarms',
      'api/alarms/report?period=today',
      'api/alarms/calibration?scope=bottling%2Fpackaging&period=previous_shift',
    ]);
  });

  it('POSTs an action with the CSRF token and keeps the server refusal verbatim', async () => {
    setCsrfToken('tok-9');
    const message = `a comment is required to shelve ${FAULT}`;
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(409, { error: message }));
    vi.stubGlobal('fetch', fetchMock);
    const body = { alarm: FAULT, action: 'shelve' as const, shelve: 'timed' as const, duration: '30m' };
    await expect(postAlarmAction(body)).rejects.toMatchObject({ status: 409, message });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('api/alarms/actions');
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-9');
    expect(JSON.parse(init?.body as string)).toEqual(body);
  });
});

describe('plant time', () => {
  it('formats UTC offsets and notes when the browser differs', () => {
    expect(formatUtcOffset(60)).toBe('UTC+01:00');
    expect(formatUtcOffset(-330)).toBe('UTC−05:30');
    expect(formatUtcOffset(0)).toBe('UTC+00:00');
    const browser = -new Date(T0 / 1000).getTimezoneOffset();
    expect(plantTimeNote(browser, T0)).toBe(null);
    expect(plantTimeNote(null, T0)).toBe(null);
    expect(plantTimeNote(browser + 60, T0)).toBe(`plant time is ${formatUtcOffset(browser + 60)}, this browser's ${formatUtcOffset(browser)}`);
  });
});
