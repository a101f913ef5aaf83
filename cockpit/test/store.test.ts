import { describe, expect, it } from 'vitest';
import { applyMessage, counts, initialState, reducer, timeInStateMs } from '../src/store';
import { backoffDelay } from '../src/stream';
import type { SnapshotMessage, UnitStatus } from '../src/types';

const filler: UnitStatus = {
  id: 'bottling/packaging/L1/filler',
  name: 'Filler',
  work_center: 'bottling/packaging/L1',
  state: 'Stopped',
  state_number: 2,
  state_type: 'Wait',
  mode: 'Production',
  mode_number: 1,
  since: 1_700_000_000_000_000,
  allowed_commands: ['Reset', 'Abort'],
  tags: {
    'Status.CurMachSpeed': { value: 0, quality: 'good', source_time: 1, server_time: 1 },
    'Admin.ProdProcessedCount': { value: 100, quality: 'good' },
    'Admin.ProdDefectiveCount': { value: 3, quality: 'good' },
  },
};
const capper: UnitStatus = { ...filler, id: 'bottling/packaging/L1/capper', name: 'Capper', tags: {} };
const snapshot: SnapshotMessage = { type: 'snapshot', units: [filler, capper] };

describe('reducer', () => {
  it('loads a snapshot', () => {
    const s = applyMessage(initialState, snapshot, 1000);
    expect(s.hasSnapshot).toBe(true);
    expect(s.order).toEqual([filler.id, capper.id]);
    expect(s.units[filler.id].state).toBe('Stopped');
    expect(counts(s.units[filler.id])).toEqual({ good: 97, rejects: 3 });
  });

  it('merges changes into the snapshot without touching other units', () => {
    const s0 = applyMessage(initialState, snapshot, 1000);
    const s1 = reducer(s0, {
      type: 'message',
      now: 2000,
      message: {
        type: 'changes',
        time: 1_700_000_005_000_000,
        units: [
          {
            id: filler.id,
            state: 'Execute',
            state_number: 6,
            state_type: 'Dual',
            since: 1_700_000_004_000_000,
            allowed_commands: ['Stop', 'Hold', 'Suspend', 'Abort'],
          },
        ],
        tags: [
          { unit: filler.id, name: 'Status.CurMachSpeed', value: 598.2, quality: 'good', source_time: 5, server_time: 6 },
          { unit: filler.id, name: 'Admin.ProdProcessedCount', value: 250, quality: 'good' },
        ],
      },
    });
    const u = s1.units[filler.id];
    expect(u.state).toBe('Execute');
    expect(u.state_number).toBe(6);
    expect(u.mode).toBe('Production'); // untouched field kept
    expect(u.allowed_commands).toEqual(['Stop', 'Hold', 'Suspend', 'Abort']);
    expect(u.tags['Status.CurMachSpeed']).toEqual({ value: 598.2, quality: 'good', source_time: 5, server_time: 6 });
    expect(u.tags['Admin.ProdDefectiveCount'].value).toBe(3); // untouched tag kept
    expect(counts(u)).toEqual({ good: 247, rejects: 3 });
    expect(u.changedAt).toBe(2000);
    // Structural sharing: unchanged unit object is reused, previous state not mutated.
    expect(s1.units[capper.id]).toBe(s0.units[capper.id]);
    expect(s0.units[filler.id].state).toBe('Stopped');
    expect(s0.units[filler.id].tags['Status.CurMachSpeed'].value).toBe(0);
    // Clock offset estimated from the message time.
    expect(s1.clockOffsetMs).toBe(1_700_000_005_000 - 2000);
    expect(timeInStateMs(u.since, 2000, s1.clockOffsetMs)).toBe(1000);
  });

  it('tag-only changes do not flag a state change; unknown units are added', () => {
    const s0 = applyMessage(initialState, snapshot, 1000);
    const s1 = applyMessage(
      s0,
      { type: 'changes', tags: [{ unit: 'x/y/z', name: 'Status.Starved', value: true, quality: 'good' }] },
      3000,
    );
    expect(s1.units[filler.id].changedAt).toBeUndefined();
    expect(s1.order).toEqual([filler.id, capper.id, 'x/y/z']);
    expect(s1.units['x/y/z'].tags['Status.Starved'].value).toBe(true);
    expect(s0.order).toHaveLength(2);
  });

  it('a new snapshot (after reconnect) replaces the units', () => {
    const s0 = applyMessage(initialState, snapshot, 1000);
    const s1 = applyMessage(s0, { type: 'snapshot', units: [{ ...filler, state: 'Held', state_number: 11 }] }, 5000);
    expect(Object.keys(s1.units)).toEqual([filler.id]);
    expect(s1.units[filler.id].state).toBe('Held');
    expect(s1.units[filler.id].changedAt).toBe(5000);
  });
});

describe('backoff', () => {
  it('grows exponentially and is capped', () => {
    const mid = () => 0.5;
    expect(backoffDelay(1, 500, 10_000, mid)).toBe(500);
    expect(backoffDelay(3, 500, 10_000, mid)).toBe(2000);
    expect(backoffDelay(20, 500, 10_000, mid)).toBe(10_000);
  });
});
