import { useState } from 'preact/hooks';
import { sendCommand } from '../api';
import { sortCommands } from '../packml';

export function CommandBar({ unitId, commands }: { unitId: string; commands: string[] }) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(command: string) {
    setPending(command);
    setError(null);
    try {
      await sendCommand(unitId, command);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(null);
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
            disabled={pending !== null}
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
    </div>
  );
}
