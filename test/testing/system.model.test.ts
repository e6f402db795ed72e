import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  AgentCrash,
  createSystem,
  type HandlerContext,
  type OverseerEvent,
  type OverseerSystem,
} from '../../src/index.js';
import { checkHistory } from '../../src/testing/index.js';
import { advanceClock, seededRandom } from '../support/system-harness.js';

// Model-based test of the whole system: random sequences of user actions and faults,
// each step checked against a simple model of what a user may see.
interface Model {
  /** Task ids, and whether the model cancelled them while they were unfinished. */
  readonly tasks: Map<string, { cancelled: boolean }>;
  agents: number;
}
interface Real {
  readonly system: OverseerSystem;
  readonly clock: SimulatedClock;
  readonly history: OverseerEvent[];
  crashNext: boolean;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

function work(real: () => Real) {
  return (_input: unknown, ctx: HandlerContext) => {
    if (real().crashNext) {
      real().crashNext = false;
      return Promise.reject(new AgentCrash('crashed by the model'));
    }
    return new Promise((resolve, reject) => {
      const timer = real().clock.setTimeout(() => resolve(ctx.attempt), 10);
      ctx.signal.addEventListener('abort', () => {
        real().clock.clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
  };
}

class Submit implements fc.AsyncCommand<Model, Real> {
  constructor(readonly priority: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const handle = await r.system.submit({
      type: 'w',
      priority: this.priority,
      retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 5 } },
    });
    m.tasks.set(handle.id, { cancelled: false });
    // `await submit` lets due work run: an injected crash may already have moved it on.
    expect(['ready', 'assigned', 'running', 'retrying']).toContain(r.system.task(handle.id).state);
  }
  toString = () => `submit(priority ${this.priority})`;
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.tasks.size > 0;
  async run(m: Model, r: Real) {
    const id = [...m.tasks.keys()][this.pick % m.tasks.size] as string;
    const before = r.system.task(id).state;
    r.system.cancel(id);
    if (TERMINAL.has(before)) expect(r.system.task(id).state).toBe(before);
    else {
      expect(r.system.task(id).state).toBe('cancelled');
      m.tasks.set(id, { cancelled: true });
    }
  }
  toString = () => `cancel(#${this.pick})`;
}

class CrashNextAttempt implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real) {
    r.crashNext = true;
  }
  toString = () => 'crash the agent of the next attempt';
}

class AddAgent implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.agents < 5;
  async run(m: Model, r: Real) {
    const [id] = r.system.addAgent({ id: `extra-${++m.agents}`, handler: work(() => r) });
    expect(r.system.agents().some((a) => a.id === id)).toBe(true);
  }
  toString = () => 'add an agent';
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await advanceClock(r.clock, this.ms);
    for (const [id, { cancelled }] of m.tasks) {
      if (cancelled) expect(r.system.task(id).state).toBe('cancelled');
    }
  }
  toString = () => `advance ${this.ms} ms`;
}

const commands = fc.commands(
  [
    fc.integer({ min: 0, max: 3 }).map((p) => new Submit(p)),
    fc.nat().map((n) => new Cancel(n)),
    fc.constant(new CrashNextAttempt()),
    fc.constant(new AddAgent()),
    fc.integer({ min: 1, max: 40 }).map((ms) => new Advance(ms)),
  ],
  { maxCommands: 40 },
);

describe('the system against a model', () => {
  it('keeps every task accounted for through random submits, cancels, crashes, joins and time', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const clock = new SimulatedClock();
        let real!: Real;
        const system = createSystem({
          clock,
          random: seededRandom(9),
          heartbeatTimeoutMs: 200,
          heartbeatIntervalMs: 50,
          restartBackoff: { kind: 'fixed', delayMs: 5 },
          intensity: { maxRestarts: 1_000, periodMs: 1_000 },
          agents: [{ id: 'a', replicas: 2, handler: work(() => real) }],
        });
        real = { system, clock, history: [], crashNext: false };
        system.on('*', (e) => real.history.push(e));
        system.start();
        const model: Model = { tasks: new Map(), agents: 0 };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        real.crashNext = false;
        await advanceClock(clock, 2_000);
        const ends = real.history.filter(
          (e) =>
            e.type === 'task.completed' || e.type === 'task.failed' || e.type === 'task.cancelled',
        );
        for (const id of model.tasks.keys()) {
          expect(TERMINAL.has(system.task(id).state), `${id} is ${system.task(id).state}`).toBe(
            true,
          );
          expect(ends.filter((e) => 'taskId' in e && e.taskId === id)).toHaveLength(1);
        }
        const violations = checkHistory(real.history, {
          accepted: [...model.tasks.keys()],
          quiescent: true,
          strictPriority: true,
          heartbeatTimeoutMs: 200,
          rejected: [],
        });
        expect(violations).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 100) },
    );
  }, 120_000);
});
