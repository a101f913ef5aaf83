import { useEffect, useRef, useState } from 'preact/hooks';
import type { Signature } from '../types';

export interface SignatureDialogProps {
  /** What is being signed, e.g. "Abort — L1 Filler". */
  action: string;
  userName: string | null;
  error: string | null;
  busy: boolean;
  onSubmit(signature: Signature): void;
  onCancel(): void;
}

/** Electronic signature (21 CFR Part 11): re-enter the password and give a reason. */
export function SignatureDialog({ action, userName, error, busy, onSubmit, onCancel }: SignatureDialogProps) {
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const pwRef = useRef<HTMLInputElement>(null);

  useEffect(() => pwRef.current?.focus(), []);
  // A wrong password clears the field for the next try.
  useEffect(() => {
    if (error) {
      setPassword('');
      pwRef.current?.focus();
    }
  }, [error]);

  const ready = password !== '' && reason.trim() !== '' && !busy;
  function submit(ev: Event) {
    ev.preventDefault();
    if (ready) onSubmit({ password, reason: reason.trim() });
  }

  return (
    <div class="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onCancel()}>
      <form
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sign-title"
        data-testid="signature-dialog"
        onSubmit={submit}
        noValidate
      >
        <h2 id="sign-title" class="modal-title">
          Electronic signature required
        </h2>
        <p class="modal-text">
          <strong>{action}</strong>
          <br />
          Re-enter your password{userName ? ` (${userName})` : ''} and give a reason. Both are recorded in the audit trail.
        </p>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            ref={pwRef}
            type="password"
            autocomplete="current-password"
            required
            data-testid="signature-password"
            value={password}
            disabled={busy}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          <span class="field-label">Reason</span>
          <textarea
            rows={2}
            required
            data-testid="signature-reason"
            value={reason}
            disabled={busy}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        {error && (
          <div class="form-error" role="alert" data-testid="signature-error">
            {error}
          </div>
        )}
        <div class="modal-buttons">
          <button type="button" class="btn-secondary" data-testid="signature-cancel" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="btn-primary" data-testid="signature-submit" disabled={!ready}>
            {busy ? 'Signing…' : 'Sign and send'}
          </button>
        </div>
      </form>
    </div>
  );
}
