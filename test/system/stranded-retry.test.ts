// Every place a slot frees leads to a scheduling decision: a retry that became due while
// its timed-out attempt's handler still held the slot runs once that handler settles.
import { describe, expect, it } from 'vitest';
import { startSystem } from '../support/system-harness.js';

describe('a retry behind a late handler', () => {
  it('takes the slot the late handler frees, on the same agent', async () => {
    const { system, clock, advance } = startSystem({
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 20 } },
      abortGraceMs: 2_000,
      agents: [
        {
          id: 'late',
          handler: (_input: unknown, ctx: { attempt: number }) =>
            ctx.attempt === 1
              ? new Promise((resolve) => clock.setTimeout(() => resolve('late'), 300))
              : ctx.attempt,
        },
      ],
    });
    const handle = await system.submit({ id: 'late-1', type: 'x', timeoutMs: 200 });
    await advance(1_500);
    expect(system.task('late-1')).toMatchObject({ state: 'completed', attempts: 2, output: 2 });
    expect(await handle.result()).toBe(2);
    expect(system.agents()[0]?.state).toBe('idle');
  });
});
