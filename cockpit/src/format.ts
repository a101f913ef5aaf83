// Number and duration formatting for the cockpit.

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : intFmt.format(Math.round(n));
}

/** "42s", "3m 07s", "2h 05m", "3d 04h". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d ${String(h % 24).padStart(2, '0')}h`;
}

/** Shown for a KPI the server reports as undefined (null). */
export const NA = 'n/a';

const isNum = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * A ratio as a percentage with one decimal: 0.8881 → "88.8%"; null → "n/a".
 * Values that would round to 0.0% but are not zero read "<0.1%".
 */
export function formatPercent(ratio: number | null | undefined): string {
  if (!isNum(ratio)) return NA;
  const pct = ratio * 100;
  if (pct > 0 && pct < 0.05) return '<0.1%';
  return `${pct.toFixed(1)}%`;
}

/** A count (quantities): 12345 → "12,345"; null → "n/a". */
export function formatCount(n: number | null | undefined): string {
  return isNum(n) ? intFmt.format(Math.round(n)) : NA;
}

/** A duration in seconds: "5.9s" under 10 s, then like formatDuration ("3m 07s"); null → "n/a". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (!isNum(seconds)) return NA;
  if (seconds < 0) return `-${formatSeconds(-seconds)}`;
  if (seconds < 10) return `${(Math.floor(seconds * 10) / 10).toFixed(1)}s`;
  return formatDuration(seconds * 1000);
}

/** A rate given per second, shown per minute: 5.28 → "317 /min"; null → "n/a". */
export function formatPerMinute(perSecond: number | null | undefined): string {
  return isNum(perSecond) ? `${intFmt.format(Math.round(perSecond * 60))} /min` : NA;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function parts(micros: number, timeZone?: string): { date: string; time: string } {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const p: Record<string, string> = {};
  for (const { type, value } of fmt.formatToParts(new Date(micros / 1000))) p[type] = value;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${pad2(Number(p.hour))}:${p.minute}:${p.second}` };
}

/**
 * Browser-local time of a server timestamp (µs): "06:39:12", with the date
 * ("2026-11-25 06:39:12") when it is not on the same local day as `reference`.
 * `timeZone` is for tests (default: the browser's).
 */
export function formatTimestamp(micros: number | null | undefined, reference?: number, timeZone?: string): string {
  if (!isNum(micros)) return NA;
  const t = parts(micros, timeZone);
  if (reference !== undefined && isNum(reference) && parts(reference, timeZone).date === t.date) return t.time;
  return `${t.date} ${t.time}`;
}

/** "2026-11-25 06:39:12" in browser-local time. */
export function formatDateTime(micros: number | null | undefined, timeZone?: string): string {
  return formatTimestamp(micros, undefined, timeZone);
}

/** Ratio as a bar width in percent, clamped to 0..100; null when undefined. */
export function barPercent(ratio: number | null | undefined): number | null {
  if (!isNum(ratio)) return null;
  return Math.max(0, Math.min(100, ratio * 100));
}

/** Time of day only: "06:39:12" (browser-local). */
export function formatTimeOfDay(micros: number | null | undefined, timeZone?: string): string {
  return isNum(micros) ? parts(micros, timeZone).time : NA;
}

/** "2026-11-26 06:00:00 – 14:00:00"; the end gets its date when it is on another day. */
export function formatRange(from: number, to: number, timeZone?: string): string {
  return `${formatDateTime(from, timeZone)} – ${formatTimestamp(to, from, timeZone)}`;
}

/** "1 stop", "3 stops". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "UTC+01:00", "UTC−05:30" for an offset in minutes east of UTC. */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const m = Math.abs(Math.round(minutes));
  return `UTC${sign}${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
}

/**
 * A note for times shown in browser-local time when the plant's clock differs
 * at `micros`: "plant time is UTC+01:00, this browser's UTC+00:00"; null when they agree
 * or the plant's offset is unknown.
 */
export function plantTimeNote(plantOffsetMinutes: number | null | undefined, micros: number): string | null {
  if (!isNum(plantOffsetMinutes)) return null;
  const browser = -new Date(micros / 1000).getTimezoneOffset();
  if (browser === plantOffsetMinutes) return null;
  return `plant time is ${formatUtcOffset(plantOffsetMinutes)}, this browser's ${formatUtcOffset(browser)}`;
}
