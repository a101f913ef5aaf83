// Login session state and its pure reducer.  The session cookie is HttpOnly
// (invisible to scripts); what the client knows is who is logged in.  The
// CSRF token is kept in api.ts, in memory only.
import type { Micros, SessionInfo, User } from './types';

export type SessionStatus = 'checking' | 'anonymous' | 'authenticated';

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  expiresAt: Micros | null;
  /** Shown on the login view, e.g. why the user was sent back to it. */
  notice: string | null;
  /** Incremented on every login, so the cockpit starts fresh for each session. */
  epoch: number;
}

export type SessionAction =
  /** GET api/me succeeded on start-up (existing session). */
  | { type: 'restored'; info: SessionInfo }
  /** POST api/login succeeded. */
  | { type: 'loggedIn'; info: SessionInfo }
  /** GET api/me answered 401 on start-up: plain login view, no notice. */
  | { type: 'anonymous' }
  /** An API request or the websocket was refused with 401 while logged in. */
  | { type: 'expired' }
  /** The user logged out. */
  | { type: 'loggedOut' };

export const SESSION_EXPIRED_NOTICE = 'Your session has expired. Please log in again.';
export const LOGGED_OUT_NOTICE = 'You have been logged out.';

export const initialSession: SessionState = {
  status: 'checking',
  user: null,
  expiresAt: null,
  notice: null,
  epoch: 0,
};

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'restored':
    case 'loggedIn': {
      const sameSession = state.status === 'authenticated' && action.type === 'restored' && state.user?.name === action.info.user.name;
      return {
        status: 'authenticated',
        user: action.info.user,
        expiresAt: action.info.expires_at ?? null,
        notice: null,
        epoch: sameSession ? state.epoch : state.epoch + 1,
      };
    }
    case 'anonymous':
      return { ...state, status: 'anonymous', user: null, expiresAt: null, notice: null };
    case 'expired':
      // Only a live session can expire; a 401 that arrives late after logout is ignored.
      if (state.status !== 'authenticated') return state;
      return { ...state, status: 'anonymous', user: null, expiresAt: null, notice: SESSION_EXPIRED_NOTICE };
    case 'loggedOut':
      return { ...state, status: 'anonymous', user: null, expiresAt: null, notice: LOGGED_OUT_NOTICE };
  }
}

/** "Ann Smith" or the login name. */
export function displayName(user: User): string {
  return user.display_name?.trim() || user.name;
}

/** "operator @ bottling/packaging/L2, quality" */
export function describeGrants(user: User): string {
  return user.grants.map((g) => (g.scope ? `${g.role} @ ${g.scope}` : g.role)).join(', ');
}
