// Adaptive concurrency and the circuit breaker per agent, seen from a running system: the
// `agent.limit` events, which agent the scheduler hands work to, and `metrics().agentLimits`.
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  type AgentLimiterOptions,
  createSystem,
  InvalidSystemOptions,
  type OverseerEvent,
} from '../../src/index.js';
import { advanceClock, startSystem } from '../support/system-harness.js';

/** A handler's work: `ms` on the simulated clock. */
interface Work {
  readonly ms: number;
}

const wait = (clock: SimulatedClock, ms: number) =>
  new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
/** A handler that works `ms` on the clock and answers 'ok'. */
const working = (clock: SimulatedClock) => (input: Work) => wait(clock, input.ms).then(() => 'ok');

/** Retried every 10 ms, up to 20 attempts: a failure is a retryable error, not the task's end. */
const spec = (ms: number) => ({
  type: 'w',
  input: { ms } satisfies Work,
  retry: { maxAttempts: 20, backoff: { kind: 'fixed' as const, delayMs: 10 } },
});

/**
 * A healthy agent (100 ms a task) and a flaky one that throws while `broken.now`; both
 * have one slot. `adaptiveConcurrency` as given.
 */
function flakyPair(adaptiveConcurrency?: true | AgentLimiterOptions) {
  const clock = new SimulatedClock();
  const broken = { now: true };
  const h = startSystem({
    clock,
    ...(adaptiveConcurrency ? { adaptiveConcurrency } : {}),
    agents: [
      {
        id: 'flaky',
        handler: async (input: Work) => {
          if (broken.now) throw new Error('upstream refused');
          await wait(clock, input.ms);
          return 'ok';
        },
      },
      { id: 'healthy', handler: working(clock) },
    ],
  });
  const limitsOf = (agentId: string) => h.of('agent.limit').filter((e) => e.agentId === agentId);
  const startsOn = (agentId: string) => h.of('task.started').filter((e) => e.agentId === agentId);
  /** Attempts that failed on the agent: a retry or a failure after a start there. */
  const failuresOn = (agentId: string) => {
    const where = new Map<string, string>();
    let n = 0;
    for (const e of h.events) {
      if (e.type === 'task.started') where.set(`${e.taskId}#${e.attempt}`, e.agentId);
      if ((e.type === 'task.retrying' || e.type === 'task.failed') && e.attempt > 0)
        if (where.get(`${e.taskId}#${e.attempt}`) === agentId) n++;
    }
    return n;
  };
  const advance = (ms: number) => advanceClock(clock, ms);
  return { ...h, clock, advance, broken, limitsOf, startsOn, failuresOn };
}

describe('circuit breaker per agent (adaptiveConcurrency)', () => {
  it('opens after 5 failures in a row, sends work elsewhere while open, half-opens after 5000 ms and closes on a success', async () => {
    const s = flakyPair(true);
    const first = await s.system.submitMany(Array.from({ length: 8 }, () => spec(100)));
    await s.advance(0);

    const [open, ...rest] = s.limitsOf('flaky');
    expect(open).toMatchObject({ limit: 0, breaker: 'open', at: 0 });
    expect(rest).toEqual([]);
    // The fifth attempt on flaky, failed like the four before it, opened it: the limit of
    // its one slot never moved before.
    const opened = s.events.indexOf(open as OverseerEvent);
    expect(s.startsOn('flaky').filter((e) => s.events.indexOf(e) < opened)).toHaveLength(5);
    expect(s.failuresOn('flaky')).toBe(5);
    expect(s.system.metrics().agentLimits.flaky).toEqual({ limit: 0, breaker: 'open' });

    // Open: queued work waits for the busy healthy agent rather than the idle flaky one.
    await s.advance(4_000);
    for (const t of first) expect(s.system.task(t.id).state).toBe('completed');
    expect(s.startsOn('flaky').every((e) => e.at === 0)).toBe(true);
    expect(s.startsOn('healthy').filter((e) => e.at > 0).length).toBeGreaterThan(0);
    expect(s.limitsOf('flaky')).toHaveLength(1);

    // 5000 ms after it opened: half-open, one slot for a probe.
    await s.advance(999);
    expect(s.limitsOf('flaky')).toHaveLength(1);
    await s.advance(1);
    expect(s.limitsOf('flaky').at(-1)).toMatchObject({
      limit: 1,
      breaker: 'half-open',
      at: 5_000,
    });
    expect(s.system.metrics().agentLimits.flaky).toEqual({ limit: 1, breaker: 'half-open' });

    // The upstream recovered: the probe succeeds and the breaker closes, from one slot.
    s.broken.now = false;
    const probes = await s.system.submitMany([spec(100), spec(100)]);
    await s.advance(0);
    expect(s.startsOn('flaky').filter((e) => e.at >= 5_000)).toHaveLength(1);
    await s.advance(200);
    for (const t of probes) expect(s.system.task(t.id).state).toBe('completed');
    expect(s.limitsOf('flaky').at(-1)).toMatchObject({ limit: 1, breaker: 'closed', at: 5_100 });
    expect(s.system.metrics().agentLimits.flaky).toEqual({ limit: 1, breaker: 'closed' });
  });

  it('follows the given failureThreshold and openMs', async () => {
    const s = flakyPair({ failureThreshold: 2, openMs: 300 });
    await s.system.submitMany(Array.from({ length: 4 }, () => spec(100)));
    await s.advance(0);
    expect(s.failuresOn('flaky')).toBe(2);
    await s.advance(400);
    expect(s.limitsOf('flaky').slice(0, 2)).toMatchObject([
      { limit: 0, breaker: 'open', at: 0 },
      { limit: 1, breaker: 'half-open', at: 300 },
    ]);
  });

  it('opens again when the half-open probe fails', async () => {
    const s = flakyPair(true);
    await s.system.submitMany(Array.from({ length: 6 }, () => spec(100)));
    await s.advance(0);
    await s.advance(5_000);
    expect(s.limitsOf('flaky').map((e) => e.breaker)).toEqual(['open', 'half-open']);
    await s.system.submitMany([spec(100), spec(100)]);
    await s.advance(0);
    expect(s.limitsOf('flaky').slice(2)).toMatchObject([{ limit: 0, breaker: 'open', at: 5_000 }]);
  });
});

describe('adaptive concurrency limit (AIMD)', () => {
  it('cuts the slots of an agent whose attempts turn slow, and gives them back with fast successes', async () => {
    const clock = new SimulatedClock();
    const s = startSystem({
      clock,
      adaptiveConcurrency: true,
      agents: [
        {
          id: 'gpu',
          concurrency: 8,
          handler: working(clock),
        },
      ],
    });
    const phase = async (n: number, ms: number, runFor: number) => {
      const handles = await s.system.submitMany(Array.from({ length: n }, () => spec(ms)));
      await advanceClock(clock, runFor);
      for (const t of handles) expect(s.system.task(t.id).state).toBe('completed');
    };
    const limits = () => s.of('agent.limit').map((e) => e.limit);

    await phase(16, 10, 100); // the baseline: 10 ms
    expect(limits()).toEqual([]);
    await phase(16, 500, 20_000); // fifty times the baseline
    const cut = limits();
    expect(cut[0]).toBe(4);
    expect(Math.min(...cut)).toBeLessThan(8);
    await phase(60, 10, 2_000);
    expect(Math.max(...limits().slice(cut.length))).toBe(8);
    expect(s.of('agent.limit').at(-1)).toMatchObject({ limit: 8, breaker: 'closed' });
    expect(s.system.metrics().agentLimits.gpu).toEqual({ limit: 8, breaker: 'closed' });

    // The scheduler kept to the limit: no start while the agent held its limit already.
    let limit = 8;
    let running = 0;
    for (const e of s.events) {
      if (e.type === 'agent.limit') limit = e.limit;
      if (e.type === 'task.started') expect(running++).toBeLessThan(limit);
      if (e.type === 'task.completed') running--;
    }
  });
});

describe('without adaptiveConcurrency', () => {
  it('publishes no agent.limit and keeps handing work to an agent that keeps failing', async () => {
    const s = flakyPair();
    await s.system.submitMany(Array.from({ length: 8 }, () => spec(100)));
    await s.advance(2_000);
    expect(s.of('agent.limit')).toEqual([]);
    expect(s.failuresOn('flaky')).toBeGreaterThan(5);
    expect(s.startsOn('flaky').some((e) => e.at > 0)).toBe(true);
    expect(s.system.metrics().agentLimits.flaky).toEqual({ limit: 1, breaker: 'closed' });
  });
});

describe('adaptiveConcurrency validation', () => {
  const refusal = (adaptiveConcurrency: unknown) => {
    try {
      createSystem({ adaptiveConcurrency } as never);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses a failureThreshold below 1, naming the field by its path', () => {
    const error = refusal({ failureThreshold: 0 });
    expect(error).toBeInstanceOf(InvalidSystemOptions);
    expect(String((error as Error).message)).toMatch(/failureThreshold/);
    expect(error).toMatchObject({ field: 'adaptiveConcurrency.failureThreshold' });
  });

  it('refuses an unknown limiter option, naming it by its path', () => {
    const error = refusal({ failureTreshold: 3 });
    expect(error).toBeInstanceOf(InvalidSystemOptions);
    expect(error).toMatchObject({ field: 'adaptiveConcurrency.failureTreshold' });
  });

  it('refuses what is neither a boolean nor limiter options', () => {
    expect(refusal(5)).toMatchObject({
      code: 'InvalidSystemOptions',
      field: 'adaptiveConcurrency',
    });
    expect(refusal(true)).toBeUndefined();
    expect(refusal({ openMs: 100, probes: 2 })).toBeUndefined();
  });
});
