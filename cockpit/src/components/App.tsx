import { useCallback, useEffect, useReducer } from 'preact/hooks';
import { ApiError, fetchMe, logout, onUnauthorized } from '../api';
import { initialSession, sessionReducer } from '../session';
import type { SessionInfo } from '../types';
import { Cockpit } from './Cockpit';
import { LoginView } from './LoginView';

/** Session gate: the login view until GET api/me (or a login) succeeds, then the cockpit. */
export function App() {
  const [session, dispatch] = useReducer(sessionReducer, initialSession);

  useEffect(() => {
    onUnauthorized(() => dispatch({ type: 'expired' }));
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      fetchMe()
        .then((info) => !cancelled && dispatch({ type: 'restored', info }))
        .catch((e: unknown) => {
          if (cancelled) return;
          if (e instanceof ApiError && e.status === 401) dispatch({ type: 'anonymous' });
          // Server unreachable or failing: try again shortly.
          else timer = setTimeout(check, 2000);
        });
    };
    check();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      onUnauthorized(null);
    };
  }, []);

  const onLoggedIn = useCallback((info: SessionInfo) => dispatch({ type: 'loggedIn', info }), []);
  const onLogout = useCallback(async () => {
    try {
      await logout();
    } catch {
      /* the session is dropped locally either way */
    }
    dispatch({ type: 'loggedOut' });
  }, []);
  // The stream was refused or dropped: find out whether the session is gone.
  const onStreamLost = useCallback(() => {
    fetchMe().catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 401) dispatch({ type: 'expired' });
    });
  }, []);

  if (session.status === 'checking') {
    return (
      <div class="login-page">
        <p class="placeholder" data-testid="session-checking">
          Connecting…
        </p>
      </div>
    );
  }
  if (session.status === 'anonymous' || !session.user) {
    return <LoginView notice={session.notice} onLoggedIn={onLoggedIn} />;
  }
  return <Cockpit key={session.epoch} user={session.user} onLogout={onLogout} onStreamLost={onStreamLost} />;
}
