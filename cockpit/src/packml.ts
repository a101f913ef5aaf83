// PackML state model (ISA-TR88.00.02) and the ISA-101 display category of
// each state: colour is reserved for abnormal situations.

export const STATE_NAMES: Record<number, string> = {
  1: 'Clearing',
  2: 'Stopped',
  3: 'Starting',
  4: 'Idle',
  5: 'Suspended',
  6: 'Execute',
  7: 'Stopping',
  8: 'Aborting',
  9: 'Aborted',
  10: 'Holding',
  11: 'Held',
  12: 'Unholding',
  13: 'Suspending',
  14: 'Unsuspending',
  15: 'Resetting',
  16: 'Completing',
  17: 'Complete',
};

/**
 * Display category:
 *  - normal:    muted grey, no colour
 *  - stopped:   dark outline, no colour
 *  - held:      amber
 *  - suspended: cyan (starved/blocked)
 *  - aborted:   red
 *  - unknown:   state the cockpit does not know (shown as-is)
 */
export type StateCategory = 'normal' | 'stopped' | 'held' | 'suspended' | 'aborted' | 'unknown';

const CATEGORY: Record<string, StateCategory> = {
  Clearing: 'normal',
  Starting: 'normal',
  Idle: 'normal',
  Execute: 'normal',
  Unholding: 'normal',
  Unsuspending: 'normal',
  Resetting: 'normal',
  Completing: 'normal',
  Complete: 'normal',
  Stopped: 'stopped',
  Stopping: 'stopped',
  Aborting: 'aborted',
  Aborted: 'aborted',
  Holding: 'held',
  Held: 'held',
  Suspending: 'suspended',
  Suspended: 'suspended',
};

export function stateName(state: string | undefined, stateNumber: number | undefined): string {
  if (state) return state;
  if (stateNumber !== undefined && STATE_NAMES[stateNumber]) return STATE_NAMES[stateNumber];
  return 'Unknown';
}

export function stateCategory(state: string): StateCategory {
  return CATEGORY[state] ?? 'unknown';
}

/** Canonical button order for commands, so buttons do not jump around. */
const COMMAND_ORDER = ['Reset', 'Start', 'Stop', 'Hold', 'Unhold', 'Suspend', 'Unsuspend', 'Complete', 'Clear', 'Abort'];

export function sortCommands(commands: readonly string[]): string[] {
  const rank = (c: string) => {
    const i = COMMAND_ORDER.indexOf(c);
    return i < 0 ? COMMAND_ORDER.length : i;
  };
  return [...commands].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
