// A small run with known timings, shared by the metrics and Prometheus tests. One agent
// with one slot runs, all submitted at t=0 in priority order:
//   A (qos batch) 0-100 ms; B 100-400 ms; C fails 400-450 ms, retries at 500, done 550 ms.
import type { HandlerContext, OverseerSystem, SystemOptions } from '../../src/index.js';
import { advanceClock, startSystem } from '../support/system-harness.js';

export async function metricsScenario(
  stopAtMs = 1_000,
  attach: (system: OverseerSystem) => void = () => undefined,
  extra: Pick<SystemOptions, 'tracer' | 'logger'> = {},
) {
  const harness = startSystem({
    ...extra,
    retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 50 } },
    agents: [
      {
        id: 'w',
        handler: (input: { ms: number; failFirst?: boolean }, ctx: HandlerContext) =>
          new Promise((resolve, reject) =>
            harness.clock.setTimeout(
              () =>
                input.failFirst && ctx.attempt === 1 ? reject(new Error('boom')) : resolve('ok'),
              input.ms,
            ),
          ),
      },
    ],
  });
  attach(harness.system);
  await harness.system.submitMany([
    { id: 'A', type: 'resize', input: { ms: 100 }, priority: 3, qos: 'batch' },
    { id: 'B', type: 'train', input: { ms: 300 }, priority: 2 },
    { id: 'C', type: 'resize', input: { ms: 50, failFirst: true }, priority: 1 },
  ]);
  await advanceClock(harness.clock, stopAtMs);
  return harness;
}
