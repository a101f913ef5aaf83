// HTTP client for the Strata API.  Same origin, relative URLs only.
//
// Authentication: the server sets the HttpOnly `strata_session` cookie on
// login; the browser sends it with every same-origin request (and the
// websocket upgrade).  State-changing requests must also carry the CSRF token
// from login / GET api/me in `X-CSRF-Token`.  The token lives only in memory.
import type {
  AlarmActionRequest,
  AlarmList,
  AlarmReport,
  AlarmTransition,
  CalibrationResponse,
  ClassificationRequest,
  ClassificationResult,
  CommandResult,
  DowntimeReport,
  PerformanceReport,
  Plant,
  SessionInfo,
  ShiftReport,
  Signature,
  StopReasonsResponse,
  UnitStatus,
} from './types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The server wants an electronic signature (password + reason) for this request. */
    readonly signatureRequired = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let unauthorizedHandler: ((message: string) => void) | null = null;

/** The CSRF token for state-changing requests (from login or api/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called when an authenticated request answers 401 (session expired or revoked). */
export function onUnauthorized(handler: ((message: string) => void) | null): void {
  unauthorizedHandler = handler;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  let signatureRequired = false;
  try {
    const body = (await res.json()) as { error?: unknown; signature_required?: unknown };
    if (body && typeof body.error === 'string' && body.error) message = body.error;
    signatureRequired = body?.signature_required === true;
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(message, res.status, signatureRequired);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Report a 401 to the unauthorized handler (default true; false for login/me). */
  reportUnauthorized?: boolean;
}

async function request<T>(path: string, { method = 'GET', body, reportUnauthorized = true }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(`Network error: ${(e as Error).message}`, 0);
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && reportUnauthorized) unauthorizedHandler?.(err.message);
    throw err;
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

// ---- session ---------------------------------------------------------------

/** Logs in; the server sets the session cookie.  Rejects with ApiError (401, 423, 429, 400). */
export async function login(username: string, password: string): Promise<SessionInfo> {
  const info = await request<SessionInfo>('api/login', {
    method: 'POST',
    body: { username, password },
    reportUnauthorized: false,
  });
  setCsrfToken(info.csrf_token);
  return info;
}

/** The current session (with a fresh CSRF token); rejects with ApiError 401 when logged out. */
export async function fetchMe(): Promise<SessionInfo> {
  const info = await request<SessionInfo>('api/me', { reportUnauthorized: false });
  setCsrfToken(info.csrf_token);
  return info;
}

export async function logout(): Promise<void> {
  try {
    await request<unknown>('api/logout', { method: 'POST', body: {}, reportUnauthorized: false });
  } finally {
    setCsrfToken(null);
  }
}

// ---- plant -----------------------------------------------------------------

export function fetchPlant(): Promise<Plant> {
  return request<Plant>('api/plant');
}

export function fetchUnits(): Promise<UnitStatus[]> {
  return request<UnitStatus[]>('api/units');
}

/**
 * Sends a PackML command, signed when `signature` is given.  Rejects with
 * ApiError: 409 with the server's message, or 403 with `signatureRequired`.
 */
export function sendCommand(unitId: string, command: string, signature?: Signature): Promise<CommandResult> {
  const body: { command: string; signature?: Signature } = { command };
  if (signature) body.signature = signature;
  return request<CommandResult>(`api/units/${encodeURIComponent(unitId)}/commands`, { method: 'POST', body });
}

// ---- KPIs, downtime, shift report --------------------------------------------

/** Named periods of api/kpi and api/downtime. */
export type PeriodName = 'shift' | 'previous_shift' | 'today' | 'yesterday';

/** Which shift api/shift-report reports on. */
export type ShiftChoice = 'current' | 'previous';

/** "path?a=1&b=2" (values URL-encoded, undefined values left out). */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const text = q.toString();
  return text ? `${path}?${text}` : path;
}

/** KPIs of an equipment scope ("" = whole plant) over a named period. */
export function fetchKpi(scope: string, period: PeriodName): Promise<PerformanceReport> {
  return request<PerformanceReport>(withQuery('api/kpi', { scope, period }));
}

/** Downtime records (newest first) and the Pareto of reasons; micro-stops listed only when asked. */
export function fetchDowntime(scope: string, period: PeriodName, micro: boolean): Promise<DowntimeReport> {
  return request<DowntimeReport>(withQuery('api/downtime', { scope, period, micro: micro ? 'true' : 'false' }));
}

/** Stop reason codes of the lines in a scope (line or unit). */
export function fetchStopReasons(scope: string): Promise<StopReasonsResponse> {
  return request<StopReasonsResponse>(withQuery('api/stop-reasons', { scope }));
}

/** Explains a stop; rejects with ApiError (400 unknown code, 403 no classify_downtime, 404 no such stop). */
export function postClassification(body: ClassificationRequest): Promise<ClassificationResult> {
  return request<ClassificationResult>('api/downtime/classifications', { method: 'POST', body });
}

export function fetchShiftReport(scope: string, shift: ShiftChoice): Promise<ShiftReport> {
  return request<ShiftReport>(withQuery('api/shift-report', { scope, shift }));
}

// ---- alarm management (ISA-18.2) ---------------------------------------------

export interface AlarmQuery {
  /** Equipment path ("" = whole plant, which needs a plant-wide grant). */
  scope?: string;
  /** States to list; the server's default is every state but Normal. */
  states?: readonly string[];
  priorities?: readonly string[];
}

/** Alarms of a scope with what the user may do with them (most urgent first). */
export function fetchAlarms({ scope, states, priorities }: AlarmQuery = {}): Promise<AlarmList> {
  return request<AlarmList>(
    withQuery('api/alarms', {
      scope: scope || undefined,
      state: states?.length ? states.join(',') : undefined,
      priority: priorities?.length ? priorities.join(',') : undefined,
    }),
  );
}

/**
 * An operator action on an alarm.  Rejects with ApiError: 409 with the
 * lifecycle's reason (e.g. a missing comment), 403 (no permission, or
 * `signatureRequired`), 400 for bad input.
 */
export function postAlarmAction(body: AlarmActionRequest): Promise<AlarmTransition> {
  return request<AlarmTransition>('api/alarms/actions', { method: 'POST', body });
}

/** Alarm system performance per operator position (ISA-18.2 / EEMUA 191 KPIs). */
export function fetchAlarmReport(scope: string, period: PeriodName): Promise<AlarmReport> {
  return request<AlarmReport>(withQuery('api/alarms/report', { scope: scope || undefined, period }));
}

/** Deadband / delay proposals for chattering alarms, replayed on the period's history. */
export function fetchAlarmCalibration(scope: string, period: PeriodName): Promise<CalibrationResponse> {
  return request<CalibrationResponse>(withQuery('api/alarms/calibration', { scope: scope || undefined, period }));
}
