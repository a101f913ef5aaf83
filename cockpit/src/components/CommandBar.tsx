import { useState } from 'preact/hooks';
import { ApiError, sendCommand } from '../api';
import { sortCommands } from '../packml';
import type { Signature } from '../types';
import { SignatureDialog } from './SignatureDialog';

export interface CommandBarProps {
  unitId: string;
  unitName: string;
  commands: string[];
  userName?: string | null;
}

interface SigningState {
  command: string;
  error: string | null;
  busy: boolean;
}

export function CommandBar({ unitId, unitName, commands, userName = null }: CommandBarProps) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signing, setSigning] = useState<SigningState | null>(null);

  async function run(command: string) {
    setPending(command);
    setError(null);
    try {
      await sendCommand(unitId, command);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403 && e.signatureRequired) {
        setSigning({ command, error: null, busy: false });
      } else {
        setError((e as Error).message);
      }
    } finally {
      setPending(null);
    }
  }

  async function sign(signature: Signature) {
    if (!signing) return;
    const { command } = signing;
    setSigning({ command, error: null, busy: true });
    try {
      await sendCommand(unitId, command, signature);
      setSigning(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        // Wrong password (or the signature was refused): let the user retry.
        setSigning({ command, error: e.message, busy: false });
      } else {
        setSigning(null);
        setError((e as Error).message);
      }
    }
  }

  return (
    <div class="commands">
      <div class="command-buttons">
        {commands.length === 0 && <span class="muted">No commands available</span>}
        {sortCommands(commands).map((c) => (
          <button
            key={c}
            type="button"
            class={`cmd cmd-${c.toLowerCase()}`}
            data-testid={`cmd-${unitId}-${c}`}
            data-command={c}
            disabled={pending !== null || signing !== null}
            onClick={() => run(c)}
          >
            {pending === c ? `${c}…` : c}
          </button>
        ))}
      </div>
      {error && (
        <div class="cmd-error" role="alert" data-testid={`cmd-error-${unitId}`}>
          <span class="cmd-error-text">{error}</span>
          <button type="button" class="dismiss" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      {signing && (
        <SignatureDialog
          action={`${signing.command} — ${unitName} (${unitId})`}
          userName={userName}
          error={signing.error}
          busy={signing.busy}
          onSubmit={sign}
          onCancel={() => setSigning(null)}
        />
      )}
    </div>
  );
}
