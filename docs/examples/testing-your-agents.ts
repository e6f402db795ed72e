// Testing your own agent under faults: a payment handler that must be idempotent, run on
// a simulated clock with injected crashes and hangs, checked by overseer's invariants and
// by one invariant of your own.
import type { OverseerEvent } from 'overseer';
import { checkSimulation, simulate } from 'overseer/testing';

const charged = new Map<string, number>(); // your side effect: charges per idempotency key

const options = {
  seed: 2026,
  agents: [
    {
      id: 'payments',
      replicas: 2,
      workMs: { min: 5, max: 50 },
      handler: (order: { id: string }, ctx: { idempotencyKey: string | undefined }) => {
        const key = ctx.idempotencyKey ?? order.id;
        if (!charged.has(key)) charged.set(key, 1); // the idempotent effect
        return { charged: order.id };
      },
    },
  ],
  tasks: Array.from({ length: 20 }, (_, i) => ({
    type: 'charge',
    input: { id: `o${i}` },
    idempotencyKey: `charge:o${i}`,
    timeoutMs: 200,
  })),
  faults: { rates: { crash: 0.1, hang: 0.05, throw: 0.1 } },
  system: {
    heartbeatTimeoutMs: 100,
    heartbeatIntervalMs: 25,
    abortGraceMs: 50,
    retry: { maxAttempts: 5, backoff: { kind: 'fixed' as const, delayMs: 10 } },
  },
};

const result = await simulate(options);

// overseer's invariants: nothing lost, leases exclusive, attempts within policy...
export const violations = checkSimulation(result, options);

// Your invariant: every completed charge happened exactly once, however often it ran.
const completed = result.history.filter(
  (e): e is Extract<OverseerEvent, { type: 'task.completed' }> => e.type === 'task.completed',
);
export const doubleCharges = [...charged.values()].filter((n) => n !== 1).length;
export const completedCount = completed.length;

console.log({
  seed: result.seed,
  events: result.history.length,
  completed: completedCount,
  violations,
  doubleCharges,
});
