// The system the durability tests restart: on its own simulated clock from `at`, on `store`,
// one agent `w` that logs each run as `<input>#<attempt>` and never finishes an input in
// `hang`; heartbeat timeout 1 s (so leases last 1 s), retries 10 ms apart.
import { SimulatedClock } from 'xstate';
import { createSystem, type HandlerContext } from '../../src/index.js';
import type { Store } from '../../src/store/store.js';
import { seededRandom } from '../support/system-harness.js';

export const HEARTBEAT_TIMEOUT = 1_000;

export function systemOn(
  store: Store,
  at: number,
  ran: string[],
  hang: ReadonlySet<string> = new Set(),
) {
  const clock = new SimulatedClock();
  clock.set(at);
  const system = createSystem({
    clock,
    random: seededRandom(3),
    store,
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT,
    heartbeatIntervalMs: 200,
    retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
    agents: [
      {
        id: 'w',
        handler: (id: string, ctx: HandlerContext) => {
          ran.push(`${id}#${ctx.attempt}`);
          return hang.has(id) ? new Promise(() => undefined) : Promise.resolve(`${id} done`);
        },
      },
    ],
  });
  return { system: system.start(), clock };
}
