// HTTP client for the Strata API.  Same origin, relative URLs only.
//
// Authentication: the server sets the HttpOnly `strata_session` cookie on
// login; the browser sends it with every same-origin request (and the
// websocket upgrade).  State-changing requests must also carry the CSRF token
// from login / GET api/me in `X-CSRF-Token`.  The token lives only in memory.
import type { CommandResult, Plant, SessionInfo, Signature, UnitStatus } from './types';

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
