import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchMe, getCsrfToken, login, logout, onUnauthorized, sendCommand, setCsrfToken } from '../src/api';
import { describeGrants, initialSession, sessionReducer, SESSION_EXPIRED_NOTICE } from '../src/session';
import { applyUnits, canCommand, initialState, visibleUnits } from '../src/store';
import type { SessionInfo, UnitStatus } from '../src/types';

const info: SessionInfo = {
  user: { name: 'op2', display_name: 'Olga Operator', grants: [{ role: 'operator', scope: 'bottling/packaging/L2' }] },
  csrf_token: 'tok-1',
  expires_at: 1_700_000_000_000_000,
};

describe('session reducer', () => {
  it('checking → anonymous → authenticated → logged out', () => {
    const anon = sessionReducer(initialSession, { type: 'anonymous' });
    expect(anon.status).toBe('anonymous');
    expect(anon.notice).toBeNull();
    const auth = sessionReducer(anon, { type: 'loggedIn', info });
    expect(auth.status).toBe('authenticated');
    expect(auth.user?.name).toBe('op2');
    expect(auth.epoch).toBe(1);
    const out = sessionReducer(auth, { type: 'loggedOut' });
    expect(out.status).toBe('anonymous');
    expect(out.user).toBeNull();
    // A new login starts a new cockpit instance.
    expect(sessionReducer(out, { type: 'loggedIn', info }).epoch).toBe(2);
  });

  it('a 401 while logged in expires the session with a notice; later 401s are ignored', () => {
    const auth = sessionReducer(initialSession, { type: 'restored', info });
    const expired = sessionReducer(auth, { type: 'expired' });
    expect(expired.status).toBe('anonymous');
    expect(expired.notice).toBe(SESSION_EXPIRED_NOTICE);
    const out = sessionReducer(auth, { type: 'loggedOut' });
    expect(sessionReducer(out, { type: 'expired' })).toBe(out);
  });

  it('describes grants', () => {
    expect(describeGrants({ name: 'a', grants: [{ role: 'operator', scope: 'x/L2' }, { role: 'quality' }] })).toBe(
      'operator @ x/L2, quality',
    );
  });
});

describe('units with permissions', () => {
  const unit = (id: string, permissions: string[]): UnitStatus => ({
    id,
    state: 'Idle',
    state_number: 4,
    allowed_commands: ['Start'],
    tags: {},
    permissions,
  });

  it('only units from api/units are visible; commands need command_unit', () => {
    expect(visibleUnits(initialState)).toBeNull();
    const s = applyUnits(initialState, [unit('L2/filler', ['view', 'command_unit']), unit('L2/capper', ['view'])]);
    expect([...visibleUnits(s)!]).toEqual(['L2/filler', 'L2/capper']);
    expect(s.order).toEqual(['L2/filler', 'L2/capper']);
    expect(canCommand(s, 'L2/filler')).toBe(true);
    expect(canCommand(s, 'L2/capper')).toBe(false);
    expect(canCommand(s, 'L1/filler')).toBe(false);
  });
});

describe('api client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
    onUnauthorized(null);
  });

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('keeps the CSRF token from login and sends it on commands', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(200, info));
    vi.stubGlobal('fetch', fetchMock);
    await login('op2', 'correct horse battery');
    expect(getCsrfToken()).toBe('tok-1');
    fetchMock.mockResolvedValueOnce(json(200, { unit: 'u', command: 'Stop', state: 'Stopping' }));
    await sendCommand('a/b', 'Stop');
    const [url, init] = fetchMock.mock.calls[1];
    expect(url).toBe('api/units/a%2Fb/commands');
    expect((init?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-1');
    expect(JSON.parse(init?.body as string)).toEqual({ command: 'Stop' });
  });

  it('reports signature_required and sends the signature', async () => {
    setCsrfToken('t');
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) =>
      json(403, { error: 'Abort needs an electronic signature', signature_required: true }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const err = (await sendCommand('u', 'Abort').catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(err.signatureRequired).toBe(true);
    fetchMock.mockResolvedValueOnce(json(403, { error: 'signature password is wrong' }));
    const err2 = (await sendCommand('u', 'Abort', { password: 'x', reason: 'jam' }).catch((e) => e)) as ApiError;
    expect(err2.message).toBe('signature password is wrong');
    expect(err2.signatureRequired).toBe(false);
    expect(JSON.parse(fetchMock.mock.calls[1][1]?.body as string)).toEqual({
      command: 'Abort',
      signature: { password: 'x', reason: 'jam' },
    });
  });

  it('a 401 on an API call reports the session as gone, but not on login or me', async () => {
    const seen: string[] = [];
    onUnauthorized((m) => seen.push(m));
    vi.stubGlobal('fetch', vi.fn(async () => json(401, { error: 'not logged in' })));
    await expect(sendCommand('u', 'Stop')).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['not logged in']);
    await expect(login('a', 'b')).rejects.toMatchObject({ status: 401 });
    await expect(fetchMe()).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(1);
  });

  it('logout sends the CSRF token and forgets it', async () => {
    setCsrfToken('tok-9');
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(200, {}));
    vi.stubGlobal('fetch', fetchMock);
    await logout();
    expect(fetchMock.mock.calls[0][0]).toBe('api/logout');
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-9');
    expect(getCsrfToken()).toBeNull();
  });
});
