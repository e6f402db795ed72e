import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { startSystem } from '../support/system-harness.js';

describe('per-class outcomes in system.metrics()', () => {
  it('counts each class’s tasks by outcome and its SLO attainment', async () => {
    let clock: SimulatedClock | undefined;
    const h = startSystem({
      qos: {
        classes: { interactive: { sloMs: 100 }, batch: { sloMs: 10_000 } },
        default: 'batch',
      },
      agents: [
        {
          id: 'a',
          concurrency: 4,
          handler: (ms: number) =>
            ms < 0
              ? Promise.reject(new Error('broken'))
              : new Promise((resolve) => clock?.setTimeout(() => resolve(ms), ms)),
        },
      ],
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
    });
    clock = h.clock;
    await h.system.submitMany([
      { type: 'w', qos: 'interactive', input: 50 }, // on time
      { type: 'w', qos: 'interactive', input: 150 }, // late
      { type: 'w', qos: 'interactive', input: -1 }, // failed
      { type: 'w', input: 10 }, // batch, on time
    ]);
    await h.advance(200);
    const { qos } = h.system.metrics();
    expect(qos.interactive).toEqual({
      sloMs: 100,
      completed: 2,
      onTime: 1,
      late: 1,
      failed: 1,
      cancelled: 0,
      attainment: 1 / 3,
    });
    expect(qos.batch).toMatchObject({ completed: 1, onTime: 1, attainment: 1 });
  });

  it('is empty for a system without classes', () => {
    const { system } = startSystem({ agents: [{ id: 'a', handler: () => 1 }] });
    expect(system.metrics().qos).toEqual({});
  });
});
