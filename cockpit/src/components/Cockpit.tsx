import { useEffect, useReducer, useState } from 'preact/hooks';
import { fetchPlant, fetchUnits } from '../api';
import { initialState, reducer } from '../store';
import { backoffDelay, StreamClient } from '../stream';
import type { User } from '../types';
import { ConnectionBanner } from './ConnectionBanner';
import { Header } from './Header';
import { PlantView } from './PlantView';

export interface CockpitProps {
  user: User;
  onLogout(): void;
  /** The websocket closed or was refused (e.g. 401 on the upgrade). */
  onStreamLost(): void;
}

/** Loads `load()` and dispatches its result, retrying with backoff until it succeeds. */
function useRetryingLoad<T>(load: () => Promise<T>, onLoaded: (v: T) => void, onError: (e: Error) => void, deps: unknown[]) {
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const run = () => {
      load()
        .then((v) => !cancelled && onLoaded(v))
        .catch((e: Error) => {
          if (cancelled) return;
          onError(e);
          timer = setTimeout(run, backoffDelay(++attempt));
        });
    };
    run();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, deps);
}

export function Cockpit({ user, onLogout, onStreamLost }: CockpitProps) {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [now, setNow] = useState(() => Date.now());
  const [connectedTimes, setConnectedTimes] = useState(0);

  // Live stream (the session cookie authenticates the upgrade).
  useEffect(() => {
    const client = new StreamClient({
      onMessage: (message) => dispatch({ type: 'message', message, now: Date.now() }),
      onConnection: (connection) => {
        dispatch({ type: 'connection', connection });
        if (connection.status === 'open') setConnectedTimes((n) => n + 1);
        if (connection.status === 'disconnected') onStreamLost();
      },
    });
    client.start();
    return () => client.stop();
  }, [onStreamLost]);

  // Plant model (static structure), retried until it loads.
  useRetryingLoad(
    fetchPlant,
    (plant) => dispatch({ type: 'plant', plant }),
    (e) => dispatch({ type: 'plantError', error: e.message }),
    [],
  );

  // Visible units and the user's permissions there; refreshed on every (re)connect.
  useRetryingLoad(
    fetchUnits,
    (units) => dispatch({ type: 'units', units }),
    () => {},
    [connectedTimes],
  );

  // One-second tick for "time in state" and the reconnect countdown.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const effectiveNow = Math.max(now, state.lastMessageAt ?? 0);
  return (
    <div class={`app conn-${state.connection.status}`}>
      <Header plant={state.plant} connection={state.connection} user={user} onLogout={onLogout} />
      <ConnectionBanner connection={state.connection} now={effectiveNow} />
      <PlantView state={state} now={effectiveNow} />
    </div>
  );
}
