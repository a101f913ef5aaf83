import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { fetchAlarms, fetchPlant, fetchUnits, type PeriodName } from '../api';
import { ALL_ALARM_STATES, alarmScopes, countUnacknowledged, equipmentNames, topUnacknowledgedPriority, type AlarmFilter } from '../alarms';
import { alarmList, canClassify, initialState, reducer, visibleLines, visibleUnits, type Action } from '../store';
import { backoffDelay, StreamClient } from '../stream';
import type { User } from '../types';
import { AlarmBadge } from './AlarmBadge';
import { AlarmsView, isAlarmSubView, type AlarmSubView } from './AlarmsView';
import { ConnectionBanner } from './ConnectionBanner';
import { DowntimeView } from './DowntimeView';
import { Header } from './Header';
import { OeeView } from './OeeView';
import { PlantView } from './PlantView';
import { ShiftReportView } from './ShiftReportView';
import { isViewId, ViewTabs, type ViewId } from './ViewTabs';

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

interface Route {
  view: ViewId;
  /** Sub-view of the alarms tab ("#alarms/shelved"). */
  alarms: AlarmSubView;
}

/** The view named in the URL hash ("#oee", "#alarms/shelved"), else the unit cards. */
function routeFromHash(): Route {
  const [view = '', sub = ''] = window.location.hash.replace(/^#\/?/, '').split('/');
  return { view: isViewId(view) ? view : 'units', alarms: isAlarmSubView(sub) ? sub : 'console' };
}

/** The selected view, kept in the URL hash so a reload stays on it. */
function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(routeFromHash);
  useEffect(() => {
    const onHash = () => setRoute(routeFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const choose = useCallback((r: Route) => {
    setRoute(r);
    const url = new URL(window.location.href);
    url.hash = r.view === 'units' ? '' : r.view === 'alarms' && r.alarms !== 'console' ? `alarms/${r.alarms}` : r.view;
    window.history.replaceState(null, '', url);
  }, []);
  return [route, choose];
}

/**
 * Loads the alarm list (every state, so the stream's changes always find their
 * alarm) whenever `trigger` changes; a load asked for while one runs is done
 * after it.  Failed loads are retried with backoff.
 */
function useAlarmLoader(user: User, dispatch: (a: Action) => void, trigger: unknown[]): () => void {
  const scopes = useMemo(() => alarmScopes(user.grants), [user]);
  const st = useRef({ running: false, again: false, attempt: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined, alive: true });
  const load = useCallback(() => {
    const s = st.current;
    if (!s.alive) return;
    if (s.running) {
      s.again = true;
      return;
    }
    clearTimeout(s.timer);
    s.running = true;
    Promise.all(scopes.map((scope) => fetchAlarms({ scope, states: ALL_ALARM_STATES })))
      .then((lists) => {
        if (!s.alive) return;
        s.attempt = 0;
        dispatch({ type: 'alarms', lists });
      })
      .catch((e: Error) => {
        if (!s.alive) return;
        dispatch({ type: 'alarmsError', error: e.message });
        s.timer = setTimeout(load, backoffDelay(++s.attempt));
      })
      .finally(() => {
        s.running = false;
        if (s.again && s.alive) {
          s.again = false;
          load();
        }
      });
  }, [scopes, dispatch]);
  useEffect(() => {
    const s = st.current;
    s.alive = true;
    return () => {
      s.alive = false;
      clearTimeout(s.timer);
    };
  }, []);
  useEffect(load, [load, ...trigger]);
  return load;
}

export function Cockpit({ user, onLogout, onStreamLost }: CockpitProps) {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [now, setNow] = useState(() => Date.now());
  const [connectedTimes, setConnectedTimes] = useState(0);
  const [route, setRoute] = useRoute();
  const view = route.view;
  const setView = useCallback((v: ViewId) => setRoute({ ...route, view: v }), [route, setRoute]);
  const [alarmFilter, setAlarmFilter] = useState<AlarmFilter>({ scope: '', priorities: null, state: 'not_normal' });
  const [alarmPeriod, setAlarmPeriod] = useState<PeriodName>('today');
  // Shared by the OEE and downtime views, so switching between them keeps the selection.
  const [period, setPeriod] = useState<PeriodName>('shift');
  const [downtimeLine, setDowntimeLine] = useState<string | null>(null);

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

  // Alarms: on every (re)connect (changes were missed while disconnected) and
  // when the stream reports an alarm the list does not hold.
  const reloadAlarms = useAlarmLoader(user, dispatch, [connectedTimes, state.alarmRefetch]);

  // One-second tick for "time in state" and the reconnect countdown.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const effectiveNow = Math.max(now, state.lastMessageAt ?? 0);
  const lines = visibleLines(state);
  const linesReady = state.plant !== null && visibleUnits(state) !== null;
  const plantWide = user.grants.some((g) => !g.scope);
  const alarms = state.alarms ? alarmList(state) : null;
  const names = useMemo(() => equipmentNames(state.plant), [state.plant]);
  const badge = (
    <AlarmBadge
      count={alarms ? countUnacknowledged(alarms) : null}
      top={alarms ? topUnacknowledgedPriority(alarms) : null}
      priorities={state.alarmPriorities}
    />
  );
  const showDowntime = useCallback(
    (lineId: string) => {
      setDowntimeLine(lineId);
      setView('downtime');
    },
    [setView],
  );
  return (
    <div class={`app conn-${state.connection.status}`}>
      <Header plant={state.plant} connection={state.connection} user={user} onLogout={onLogout} />
      <ConnectionBanner connection={state.connection} now={effectiveNow} />
      <ViewTabs value={view} onChange={setView} badges={{ alarms: badge }} />
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`} class="tab-panel">
        {view === 'units' && <PlantView state={state} now={effectiveNow} />}
        {view === 'alarms' && (
          <AlarmsView
            sub={route.alarms}
            onSub={(sub) => setRoute({ view: 'alarms', alarms: sub })}
            alarms={alarms}
            priorities={state.alarmPriorities}
            alarmsError={state.alarmsError}
            plant={state.plant}
            lines={lines}
            plantWide={plantWide}
            user={user}
            now={effectiveNow}
            clockOffsetMs={state.clockOffsetMs}
            streamStale={state.connection.status !== 'open'}
            filter={alarmFilter}
            onFilter={setAlarmFilter}
            period={alarmPeriod}
            onPeriod={setAlarmPeriod}
            reload={reloadAlarms}
          />
        )}
        {view === 'oee' && (
          <OeeView
            lines={lines}
            ready={linesReady}
            period={period}
            onPeriod={setPeriod}
            units={state.units}
            streamStale={state.connection.status !== 'open'}
            onShowDowntime={showDowntime}
          />
        )}
        {view === 'downtime' && (
          <DowntimeView
            lines={lines}
            ready={linesReady}
            lineId={downtimeLine}
            onLine={setDowntimeLine}
            period={period}
            onPeriod={setPeriod}
            canClassify={(id) => canClassify(state, id)}
          />
        )}
        {view === 'shift-report' && (
          <ShiftReportView
            lines={lines}
            ready={linesReady}
            plantWide={plantWide}
            plantName={state.plant?.enterprise.name ?? null}
            names={names}
            priorities={state.alarmPriorities}
          />
        )}
      </div>
    </div>
  );
}
