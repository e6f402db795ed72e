import { describe, expect, it } from 'vitest';
import { type ChildSpec, restartGroup, shouldRestart } from '../../machines/child-spec.js';
import { exceedsIntensity } from '../../machines/restart-intensity.js';

const spec = (id: string, restart: ChildSpec['restart'] = 'permanent'): ChildSpec => ({
  id,
  src: 'agent',
  restart,
  shutdownTimeoutMs: 0,
});
const specs = [spec('a'), spec('b'), spec('c'), spec('d')];
const live = new Set(['a', 'b', 'c', 'd']);

describe('restart types', () => {
  const normal = { kind: 'normal', reason: 'drained' } as const;
  const shutdown = { kind: 'shutdown', reason: 'stopped' } as const;
  const crash = { kind: 'abnormal', reason: 'crash' } as const;
  it('restarts permanent children after any exit', () => {
    expect([normal, shutdown, crash].map((exit) => shouldRestart('permanent', exit))).toEqual([
      true,
      true,
      true,
    ]);
  });
  it('restarts transient children only after an abnormal exit', () => {
    expect([normal, shutdown, crash].map((exit) => shouldRestart('transient', exit))).toEqual([
      false,
      false,
      true,
    ]);
  });
  it('never restarts temporary children', () => {
    expect([normal, shutdown, crash].map((exit) => shouldRestart('temporary', exit))).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('restart strategies', () => {
  const ids = (group: ChildSpec[]) => group.map((s) => s.id);
  it('one_for_one restarts the failed child alone', () => {
    expect(ids(restartGroup('one_for_one', specs, live, 'b'))).toEqual(['b']);
  });
  it('one_for_all restarts every live child in start order', () => {
    expect(ids(restartGroup('one_for_all', specs, new Set(['a', 'b', 'd']), 'b'))).toEqual([
      'a',
      'b',
      'd',
    ]);
  });
  it('rest_for_one restarts the failed child and the live ones started after it', () => {
    expect(ids(restartGroup('rest_for_one', specs, new Set(['a', 'b', 'd']), 'b'))).toEqual([
      'b',
      'd',
    ]);
  });
  it('restarts nothing for a child it does not know', () => {
    expect(restartGroup('one_for_all', specs, live, 'zz')).toEqual([]);
  });
});

describe('restart intensity arithmetic', () => {
  it('allows up to maxRestarts in the window and refuses the one after', () => {
    const intensity = { maxRestarts: 3, periodMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((n) => exceedsIntensity(intensity, n))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
  it('with maxRestarts 0 gives up on the first failure', () => {
    expect(exceedsIntensity({ maxRestarts: 0, periodMs: 1_000 }, 0)).toBe(true);
  });
});
