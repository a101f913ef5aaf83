// HTTP client for the Strata API.  Same origin, relative URLs only.
import type { CommandResult, Plant, UnitStatus } from './types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = (await res.json()) as { error?: unknown };
    if (body && typeof body.error === 'string' && body.error) message = body.error;
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(message, res.status);
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

export function fetchPlant(): Promise<Plant> {
  return getJson<Plant>('api/plant');
}

export function fetchUnits(): Promise<UnitStatus[]> {
  return getJson<UnitStatus[]>('api/units');
}

/** Sends a PackML command; rejects with ApiError (e.g. 409 with the server's message). */
export async function sendCommand(unitId: string, command: string): Promise<CommandResult> {
  let res: Response;
  try {
    res = await fetch(`api/units/${encodeURIComponent(unitId)}/commands`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ command }),
    });
  } catch (e) {
    throw new ApiError(`Network error: ${(e as Error).message}`, 0);
  }
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as CommandResult;
}
