import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchDowntime, fetchKpi, fetchShiftReport, postClassification, setCsrfToken, withQuery } from '../src/api';
import {
  barPercent,
  formatCount,
  formatDateTime,
  formatPercent,
  formatPerMinute,
  formatRange,
  formatSeconds,
  formatTimeOfDay,
  formatTimestamp,
  NA,
  plural,
} from '../src/format';
import {
  applyClassification,
  groupReasons,
  isOngoing,
  lineFigures,
  lineOfUnit,
  periodIncludesNow,
  unexplainedCount,
  unitsOfLine,
} from '../src/kpi';
import { durationStep, paretoItems, paretoLayout, sortPareto, truncateLabel, type ParetoItem } from '../src/pareto';
import { applyUnits, canClassify, initialState, reducer, visibleLines } from '../src/store';
import type { DowntimeRecord, DowntimeReport, ParetoEntry, Performance, PerformanceReport, Plant, StopReason, UnitStatus } from '../src/types';

// 2026-11-26T05:39:08Z in microseconds.
const T0 = Date.UTC(2026, 10, 26, 5, 39, 8) * 1000;

describe('formatting', () => {
  it('percentages with one decimal, n/a for null', () => {
    expect(formatPercent(0.8881)).toBe('88.8%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(1.0067)).toBe('100.7%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.0003)).toBe('<0.1%');
    expect(formatPercent(0.0005)).toBe('0.1%');
    expect(formatPercent(null)).toBe(NA);
    expect(formatPercent(undefined)).toBe('n/a');
    expect(formatPercent(Number.NaN)).toBe('n/a');
  });

  it('durations in seconds', () => {
    expect(formatSeconds(0)).toBe('0.0s');
    expect(formatSeconds(5.9)).toBe('5.9s');
    expect(formatSeconds(4.018875)).toBe('4.0s');
    expect(formatSeconds(9.99)).toBe('9.9s');
    expect(formatSeconds(42.7)).toBe('42s');
    expect(formatSeconds(187)).toBe('3m 07s');
    expect(formatSeconds(20_393.18)).toBe('5h 39m');
    expect(formatSeconds(90_000)).toBe('1d 01h');
    expect(formatSeconds(null)).toBe('n/a');
    expect(formatSeconds(-3)).toBe('-3.0s');
  });

  it('counts, rates and plurals', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(null)).toBe('n/a');
    expect(formatPerMinute(5.281718967128166)).toBe('317 /min');
    expect(formatPerMinute(null)).toBe('n/a');
    expect(plural(1, 'stop')).toBe('1 stop');
    expect(plural(0, 'stop')).toBe('0 stops');
    expect(plural(1200, 'stop')).toBe('1,200 stops');
  });

  it('bar widths are clamped', () => {
    expect(barPercent(0.5)).toBe(50);
    expect(barPercent(1.2)).toBe(100);
    expect(barPercent(-0.1)).toBe(0);
    expect(barPercent(null)).toBeNull();
  });

  it('timestamps in a given time zone, with the date only when needed', () => {
    expect(formatDateTime(T0, 'UTC')).toBe('2026-11-26 05:39:08');
    expect(formatDateTime(T0, 'Europe/Berlin')).toBe('2026-11-26 06:39:08');
    expect(formatTimestamp(T0, T0 + 3600e6, 'UTC')).toBe('05:39:08');
    expect(formatTimestamp(T0, T0 + 86_400e6, 'UTC')).toBe('2026-11-26 05:39:08');
    expect(formatTimeOfDay(T0, 'UTC')).toBe('05:39:08');
    expect(formatTimeOfDay(null)).toBe('n/a');
    expect(formatRange(T0, T0 + 60e6, 'UTC')).toBe('2026-11-26 05:39:08 – 05:40:08');
    expect(formatRange(T0, T0 + 86_400e6, 'UTC')).toBe('2026-11-26 05:39:08 – 2026-11-27 05:39:08');
  });
});

describe('pareto geometry', () => {
  const item = (key: string, seconds: number, count = 1): ParetoItem => ({ key, label: key, seconds, count, unexplained: key === 'unexplained' });
  const opts = { width: 500, height: 300, margin: { top: 10, right: 40, bottom: 90, left: 60 } };

  it('picks readable duration steps', () => {
    expect(durationStep(0)).toBe(1);
    expect(durationStep(3.5)).toBe(1);
    expect(durationStep(5.9)).toBe(2);
    expect(durationStep(100)).toBe(30);
    expect(durationStep(3000)).toBe(900);
    expect(durationStep(86_400 * 10)).toBe(86_400 * 3);
  });

  it('sorts by duration, then count, then input order', () => {
    const sorted = sortPareto([item('a', 10, 1), item('b', 30, 1), item('c', 10, 5), item('d', 10, 1)]);
    expect(sorted.map((i) => i.key)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('lays out bars longest first with the cumulative line', () => {
    const layout = paretoLayout([item('902', 60, 2), item('unexplained', 180, 3), item('110', 60, 1)], opts);
    const plot = layout.plot;
    expect(plot).toEqual({ x: 60, y: 10, width: 400, height: 200 });
    expect(layout.bars.map((b) => b.key)).toEqual(['unexplained', '902', '110']);
    expect(layout.totalSeconds).toBe(300);
    // 180 s → step 60 s, axis up to 180 s: the longest bar fills the plot height.
    expect(layout.axisMax).toBe(180);
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 60, 120, 180]);
    expect(layout.ticks[0].y).toBe(210);
    expect(layout.ticks[3].y).toBe(10);
    const [first, second, third] = layout.bars;
    expect(first.height).toBeCloseTo(200);
    expect(first.y).toBeCloseTo(10);
    expect(second.height).toBeCloseTo(200 / 3);
    // Bands of 400/3 px, bars 70 % wide and centred.
    expect(first.width).toBeCloseTo((400 / 3) * 0.7);
    expect(first.x).toBeCloseTo(60 + (400 / 3) * 0.15);
    expect(third.cx).toBeCloseTo(60 + (400 / 3) * 2.5);
    expect(layout.bars.map((b) => b.share)).toEqual([0.6, 0.2, 0.2]);
    expect(first.cumulative).toBeCloseTo(0.6);
    expect(second.cumulative).toBeCloseTo(0.8);
    expect(third.cumulative).toBeCloseTo(1);
    // The cumulative line ends at 100 % (top of the plot).
    expect(layout.points[2].y).toBeCloseTo(10);
    expect(layout.points[0].y).toBeCloseTo(10 + 200 * 0.4);
    expect(layout.path.startsWith('M')).toBe(true);
    expect(layout.path.split('L')).toHaveLength(3);
    expect(layout.percentTicks.map((t) => t.y)).toEqual([210, 160, 110, 60, 10]);
  });

  it('caps the bar width and handles no stops', () => {
    const one = paretoLayout([item('902', 5.9)], { ...opts, maxBarWidth: 50 });
    expect(one.bars[0].width).toBe(50);
    expect(one.bars[0].x).toBeCloseTo(60 + (400 - 50) / 2);
    expect(one.axisMax).toBe(6);
    const none = paretoLayout([], opts);
    expect(none.bars).toEqual([]);
    expect(none.path).toBe('');
    expect(none.totalSeconds).toBe(0);
  });

  it('maps API entries, null reason = unexplained', () => {
    const entries: ParetoEntry[] = [
      { reason: null, seconds: 5, count: 1, share: 0.5, cumulative: 0.5 },
      { reason: { code: 902, name: 'Waiting for operator', path: 'Operational / Waiting for operator', known: true }, seconds: 5, count: 1, share: 0.5, cumulative: 1 },
    ];
    expect(paretoItems(entries)).toEqual([
      { key: 'unexplained', label: 'Unexplained', seconds: 5, count: 1, unexplained: true },
      { key: '902', label: 'Waiting for operator', seconds: 5, count: 1, unexplained: false },
    ]);
  });

  it('truncates long labels', () => {
    expect(truncateLabel('Bottle jam at infeed', 22)).toBe('Bottle jam at infeed');
    expect(truncateLabel('Product temperature out of range', 22)).toBe('Product temperature o…');
  });
});

const perf = (oee: number | null, pq = 0): Performance => ({
  time: { pot: 0, pdot: 0, pbt: 0, apt: 0, asut: 0, adet: 0, adot: 0, aupt: 0, aubt: 0, aoet: 0, not_counted: 0 },
  quantities: { pq, gq: pq, sq: 0, rq: 0 },
  ideal_run_time: 0,
  failures: 0,
  repaired_failures: 0,
  kpis: {
    availability: oee,
    effectiveness: oee,
    quality_ratio: oee,
    oee,
    nee: oee,
    technical_efficiency: null,
    utilization_efficiency: null,
    allocation_efficiency: null,
    setup_rate: null,
    scrap_ratio: null,
    rework_ratio: null,
    throughput_rate: null,
    mtbf: null,
    mttr: null,
  },
});

describe('kpi helpers', () => {
  const L1 = 'bottling/packaging/L1';
  const L2 = 'bottling/packaging/L2';
  const plantReport: PerformanceReport = {
    scope: { id: '', name: 'ACME', kind: 'enterprise' },
    from: 0,
    to: 1,
    live: true,
    total: perf(0.5, 30),
    lines: [
      { id: L1, name: 'Line 1', constraint_unit: `${L1}/filler` },
      { id: L2, name: 'Line 2', constraint_unit: `${L2}/filler` },
    ],
    units: [
      { ...perf(0.9, 10), id: `${L1}/filler`, name: 'Filler', ideal_rate_per_minute: 600 },
      { ...perf(0.8, 11), id: `${L1}/capper`, name: 'Capper', ideal_rate_per_minute: 600 },
      { ...perf(null, 0), id: `${L2}/filler`, name: 'Filler', ideal_rate_per_minute: 450 },
    ],
    buckets: [],
  };

  it("a line's figures are its constraint unit's", () => {
    expect(lineFigures(plantReport, plantReport.lines[0])?.kpis.oee).toBe(0.9);
    expect(lineFigures(plantReport, plantReport.lines[1])?.kpis.oee).toBeNull();
    const lineReport = { ...plantReport, scope: { id: L1, name: 'Line 1', kind: 'line' } };
    expect(lineFigures(lineReport, plantReport.lines[0])).toBe(lineReport.total);
    expect(unitsOfLine(plantReport, L1).map((u) => u.name)).toEqual(['Filler', 'Capper']);
    expect(lineFigures({ ...plantReport, units: [] }, plantReport.lines[0])).toBeNull();
  });

  const record = (over: Partial<DowntimeRecord>): DowntimeRecord => ({
    unit: `${L1}/filler`,
    unit_name: 'Filler',
    begin: 100,
    end: 200,
    seconds: 0.0001,
    state: 'Held',
    mode: 'Production',
    category: 'Delay',
    plc_reason: null,
    classification: null,
    reason: null,
    micro: false,
    shift: null,
    ...over,
  });

  it('unexplained, ongoing and classified records', () => {
    const known = { code: 110, name: 'Drive fault', path: 'Electrical / Drive fault', known: true };
    const records = [record({}), record({ begin: 300, micro: true }), record({ begin: 400, plc_reason: known, reason: known })];
    expect(unexplainedCount(records)).toBe(1);
    expect(isOngoing(record({ end: 500 }), { to: 500 }, true)).toBe(true);
    expect(isOngoing(record({ end: 500 }), { to: 500 }, false)).toBe(false);
    expect(isOngoing(record({ end: 400 }), { to: 500 }, true)).toBe(false);
    expect(periodIncludesNow('shift')).toBe(true);
    expect(periodIncludesNow('previous_shift')).toBe(false);

    const report: DowntimeReport = {
      scope: { id: L1, name: 'Line 1', kind: 'line' },
      from: 0,
      to: 1000,
      records,
      summary: { stops: 2, seconds: 0, micro_stops: 1, micro_seconds: 0, pareto: [] },
    };
    const next = applyClassification(
      report,
      {
        unit: `${L1}/filler`,
        begin: 100,
        reason: { code: 902, name: 'Waiting for operator', group: ['Operational'], path: 'Operational / Waiting for operator' },
        comment: 'x',
        by: 'admin',
        journal_seq: 7,
      },
      42,
    );
    expect(next.records[0].reason?.code).toBe(902);
    expect(next.records[0].classification).toEqual({ reason: next.records[0].reason, comment: 'x', by: 'admin', at: 42 });
    expect(next.records[1]).toBe(records[1]);
    expect(unexplainedCount(next.records)).toBe(0);
    expect(report.records[0].reason).toBeNull();
  });

  it('groups stop reasons by their group path, in order', () => {
    const r = (code: number, group: string[]): StopReason => ({ code, name: `r${code}`, group, path: '' });
    const groups = groupReasons([r(100, ['Mechanical', 'Infeed']), r(110, ['Electrical']), r(101, ['Mechanical', 'Infeed']), r(5, [])]);
    expect(groups.map((g) => [g.label, g.reasons.map((x) => x.code)])).toEqual([
      ['Mechanical / Infeed', [100, 101]],
      ['Electrical', [110]],
      ['', [5]],
    ]);
    expect(lineOfUnit(`${L1}/filler`)).toBe(L1);
    expect(lineOfUnit('solo')).toBe('');
  });
});

describe('visible lines and classify permission', () => {
  const plant: Plant = {
    enterprise: { id: 'acme', name: 'ACME' },
    sites: [
      {
        id: 'bottling',
        name: 'Bottling',
        areas: [
          {
            id: 'bottling/packaging',
            name: 'Packaging',
            work_centers: [
              { id: 'bottling/packaging/L1', name: 'Line 1', units: [{ id: 'bottling/packaging/L1/filler', name: 'Filler' }] },
              { id: 'bottling/packaging/L2', name: 'Line 2', units: [{ id: 'bottling/packaging/L2/filler', name: 'Filler' }] },
            ],
          },
        ],
      },
    ],
  };
  const unit = (id: string, permissions: string[]): UnitStatus => ({ id, state: 'Execute', state_number: 6, allowed_commands: [], tags: {}, permissions });

  it('lists only lines with visible units, after plant and units are known', () => {
    expect(visibleLines(initialState)).toEqual([]);
    const withPlant = reducer(initialState, { type: 'plant', plant });
    expect(visibleLines(withPlant)).toEqual([]);
    const s = applyUnits(withPlant, [unit('bottling/packaging/L2/filler', ['view_plant', 'command_unit'])]);
    expect(visibleLines(s)).toEqual([{ id: 'bottling/packaging/L2', name: 'Line 2', units: [{ id: 'bottling/packaging/L2/filler', name: 'Filler' }] }]);
    expect(canClassify(s, 'bottling/packaging/L2/filler')).toBe(false);
    const op = applyUnits(withPlant, [unit('bottling/packaging/L2/filler', ['view_plant', 'classify_downtime'])]);
    expect(canClassify(op, 'bottling/packaging/L2/filler')).toBe(true);
    expect(canClassify(op, 'bottling/packaging/L1/filler')).toBe(false);
  });
});

describe('kpi api client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('builds query strings', () => {
    expect(withQuery('api/kpi', { scope: 'a/b c', period: 'shift', x: undefined })).toBe('api/kpi?scope=a%2Fb+c&period=shift');
    expect(withQuery('api/kpi', {})).toBe('api/kpi');
  });

  it('GETs kpi, downtime and the shift report with the scope encoded', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(200, {}));
    vi.stubGlobal('fetch', fetchMock);
    await fetchKpi('bottling/packaging/L1', 'previous_shift');
    await fetchDowntime('', 'today', true);
    await fetchShiftReport('bottling/packaging/L2', 'previous');
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
      'api/kpi?scope=bottling%2Fpackaging%2FL1&period=previous_shift',
      'api/downtime?scope=&period=today&micro=true',
      'api/shift-report?scope=bottling%2Fpackaging%2FL2&shift=previous',
    ]);
  });

  it('POSTs a classification with the CSRF token and reports the server error verbatim', async () => {
    setCsrfToken('tok-3');
    const message = "999 is not a stop reason code of line 'bottling/packaging/L1' (see /api/stop-reasons?scope=bottling/packaging/L1)";
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(400, { error: message }));
    vi.stubGlobal('fetch', fetchMock);
    const body = { unit: 'bottling/packaging/L1/filler', begin: 1_795_671_605_376_705, code: 999 };
    await expect(postClassification(body)).rejects.toMatchObject({ status: 400, message });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('api/downtime/classifications');
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-3');
    expect(JSON.parse(init?.body as string)).toEqual(body);
  });
});
