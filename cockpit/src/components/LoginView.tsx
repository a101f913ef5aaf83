import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, login } from '../api';
import type { SessionInfo } from '../types';

export function LoginView({ notice, onLoggedIn }: { notice: string | null; onLoggedIn(info: SessionInfo): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => userRef.current?.focus(), []);

  async function submit(ev: Event) {
    ev.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const info = await login(username.trim(), password);
      onLoggedIn(info);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String((e as Error).message ?? e));
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <div class="login-page">
      <form class="login-panel" data-testid="login-form" onSubmit={submit} noValidate>
        <div class="login-brand">
          <span class="brand">Strata</span>
          <span class="login-title">Operator cockpit</span>
        </div>
        {notice && (
          <p class="login-notice" role="status" data-testid="login-notice">
            {notice}
          </p>
        )}
        <label class="field">
          <span class="field-label">User name</span>
          <input
            ref={userRef}
            name="username"
            autocomplete="username"
            data-testid="login-username"
            value={username}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
            disabled={busy}
          />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            data-testid="login-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            disabled={busy}
          />
        </label>
        {error && (
          <div class="form-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" class="btn-primary" data-testid="login-submit" disabled={busy || !username.trim() || !password}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
