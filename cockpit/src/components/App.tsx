import { useEffect, useReducer, useState } from 'preact/hooks';
import { fetchPlant } from '../api';
import { initialState, reducer } from '../store';
import { backoffDelay, StreamClient } from '../stream';
import { ConnectionBanner } from './ConnectionBanner';
import { Header } from './Header';
import { PlantView } from './PlantView';

export function App() {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [now, setNow] = useState(() => Date.now());

  // Live stream.
  useEffect(() => {
    const client = new StreamClient({
      onMessage: (message) => dispatch({ type: 'message', message, now: Date.now() }),
      onConnection: (connection) => dispatch({ type: 'connection', connection }),
    });
    client.start();
    return () => client.stop();
  }, []);

  // Plant model (static structure), retried until it loads.
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const load = () => {
      fetchPlant()
        .then((plant) => !cancelled && dispatch({ type: 'plant', plant }))
        .catch((e: Error) => {
          if (cancelled) return;
          dispatch({ type: 'plantError', error: e.message });
          timer = setTimeout(load, backoffDelay(++attempt));
        });
    };
    load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, []);

  // One-second tick for "time in state" and the reconnect countdown.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const effectiveNow = Math.max(now, state.lastMessageAt ?? 0);
  return (
    <div class={`app conn-${state.connection.status}`}>
      <Header plant={state.plant} connection={state.connection} />
      <ConnectionBanner connection={state.connection} now={effectiveNow} />
      <PlantView state={state} now={effectiveNow} />
    </div>
  );
}
