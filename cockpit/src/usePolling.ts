// Loads data and, while `repeatMs` says so, reloads it periodically.  A failed
// reload keeps the last data and reports the error (the view marks it stale).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  data: T | null;
  /** The last load failed with this message (data, if any, is from before). */
  error: string | null;
  /** A load is in flight. */
  loading: boolean;
  /** Browser time (ms) of the last successful load. */
  updatedAt: number | null;
  /** Load again now. */
  reload(): void;
  /** Replace the data locally (e.g. after a successful POST, before the reload answers). */
  patch(update: (data: T) => T): void;
}

/**
 * @param load     fetches the data; recreated when `deps` change (then data is cleared)
 * @param deps     what the data depends on
 * @param repeatMs delay before the next load after one settles, or null for none
 */
export function usePolling<T>(load: () => Promise<T>, deps: unknown[], repeatMs: (data: T | null) => number | null): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const repeatRef = useRef(repeatMs);
  repeatRef.current = repeatMs;
  const dataRef = useRef<T | null>(null);

  // New deps: forget the data of the previous ones.
  useEffect(() => {
    dataRef.current = null;
    setData(null);
    setError(null);
    setUpdatedAt(null);
  }, deps);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      setLoading(true);
      loadRef
        .current()
        .then((v) => {
          if (cancelled) return;
          dataRef.current = v;
          setData(v);
          setError(null);
          setUpdatedAt(Date.now());
        })
        .catch((e: unknown) => {
          if (cancelled) return;
          setError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (cancelled) return;
          setLoading(false);
          const next = repeatRef.current(dataRef.current);
          if (next !== null) timer = setTimeout(run, next);
        });
    };
    run();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const patch = useCallback((update: (d: T) => T) => {
    if (dataRef.current === null) return;
    dataRef.current = update(dataRef.current);
    setData(dataRef.current);
  }, []);
  return { data, error, loading, updatedAt, reload, patch };
}
