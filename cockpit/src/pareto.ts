// Geometry of the Pareto chart of stop reasons: bars sorted by duration and
// the cumulative share as a line.  Pure functions, rendered by ParetoChart.
import type { ParetoEntry } from './types';

export interface ParetoItem {
  /** Stable key: the reason code, or "unexplained". */
  key: string;
  label: string;
  seconds: number;
  count: number;
  unexplained: boolean;
}

export interface ParetoBar extends ParetoItem {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Centre of the bar (where the cumulative point sits). */
  cx: number;
  /** Share of the total downtime, 0..1. */
  share: number;
  /** Share of this and all longer bars, 0..1. */
  cumulative: number;
}

export interface ParetoPoint {
  x: number;
  y: number;
}

export interface ParetoLayout {
  width: number;
  height: number;
  /** Plot area inside the margins. */
  plot: { x: number; y: number; width: number; height: number };
  bars: ParetoBar[];
  /** Cumulative share, one point per bar. */
  points: ParetoPoint[];
  /** SVG path through the points ("M x y L x y …"), empty without bars. */
  path: string;
  totalSeconds: number;
  /** Top of the duration axis, seconds. */
  axisMax: number;
  /** Duration axis ticks: value in seconds and y. */
  ticks: { value: number; y: number }[];
  /** Percentage axis ticks: 0, 25, 50, 75, 100 % and y. */
  percentTicks: { value: number; y: number }[];
}

export interface ParetoOptions {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  /** Share of a band the bar fills (0..1). */
  barFill?: number;
  /** Bars are never wider than this (a single reason is not one huge block). */
  maxBarWidth?: number;
  /** About this many duration ticks above zero. */
  tickCount?: number;
}

/** Items from the API's Pareto entries (null reason = unexplained). */
export function paretoItems(entries: readonly ParetoEntry[]): ParetoItem[] {
  return entries.map((e) => ({
    key: e.reason ? String(e.reason.code) : 'unexplained',
    label: e.reason ? e.reason.name : 'Unexplained',
    seconds: e.seconds,
    count: e.count,
    unexplained: e.reason === null,
  }));
}

/** Longest first; ties: more stops first, then the input order (stable). */
export function sortPareto<T extends { seconds: number; count: number }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => b.item.seconds - a.item.seconds || b.item.count - a.item.count || a.i - b.i)
    .map(({ item }) => item);
}

/** Tick steps in seconds that read well as durations (1 s … 1 day, then whole days). */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest readable step that covers `max` in at most `count` steps. */
export function durationStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  for (const step of STEPS) if (step * count >= max) return step;
  const day = 86400;
  return Math.ceil(max / count / day) * day;
}

export function paretoLayout(items: readonly ParetoItem[], opts: ParetoOptions): ParetoLayout {
  const { width, height, margin } = opts;
  const barFill = opts.barFill ?? 0.7;
  const plot = {
    x: margin.left,
    y: margin.top,
    width: Math.max(0, width - margin.left - margin.right),
    height: Math.max(0, height - margin.top - margin.bottom),
  };
  const sorted = sortPareto(items.filter((i) => i.seconds > 0 || i.count > 0));
  const totalSeconds = sorted.reduce((s, i) => s + Math.max(0, i.seconds), 0);
  const maxSeconds = sorted.reduce((m, i) => Math.max(m, i.seconds), 0);
  const step = durationStep(maxSeconds, opts.tickCount ?? 4);
  const axisMax = Math.max(step, Math.ceil(maxSeconds / step) * step);
  const yOf = (seconds: number) => plot.y + plot.height * (1 - seconds / axisMax);
  const yOfShare = (share: number) => plot.y + plot.height * (1 - share);

  const band = sorted.length ? plot.width / sorted.length : 0;
  let running = 0;
  const bars: ParetoBar[] = sorted.map((item, i) => {
    const seconds = Math.max(0, item.seconds);
    running += seconds;
    const h = plot.height * (seconds / axisMax);
    const w = Math.min(band * barFill, opts.maxBarWidth ?? Infinity);
    const x = plot.x + i * band + (band - w) / 2;
    return {
      ...item,
      x,
      y: plot.y + plot.height - h,
      width: w,
      height: h,
      cx: plot.x + i * band + band / 2,
      share: totalSeconds > 0 ? seconds / totalSeconds : 0,
      cumulative: totalSeconds > 0 ? running / totalSeconds : 0,
    };
  });
  const points = bars.map((b) => ({ x: b.cx, y: yOfShare(b.cumulative) }));
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join(' ');
  const ticks: { value: number; y: number }[] = [];
  for (let v = 0; v <= axisMax + 1e-9; v += step) ticks.push({ value: v, y: yOf(v) });
  const percentTicks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, y: yOfShare(v) }));
  return { width, height, plot, bars, points, path, totalSeconds, axisMax, ticks, percentTicks };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Shortens a label to `max` characters with an ellipsis. */
export function truncateLabel(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}
