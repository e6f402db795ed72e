import { describe, expect, it, vi } from 'vitest';
import { AgentRegistry } from '../../src/agents/agent-registry.js';
import type { OverseerEvent } from '../../src/index.js';
import { checkSimulation, type SimulationOptions, simulate } from '../../src/testing/index.js';

// Deliberately broken pieces of the runtime, switched on per test: a scheduler that
// ignores capabilities, a retry policy that never runs out, and an agent machine that
// never gives a task back the slot its own timed-out attempt held (issue 12's defect A).
const broken = vi.hoisted(() => ({ capabilities: false, retries: false, handover: false }));
vi.mock('../../src/scheduling/requirement.js', async (original) => {
  const real = await original<typeof import('../../src/scheduling/requirement.js')>();
  return {
    ...real,
    agentCanEverServe: (...args: Parameters<typeof real.agentCanEverServe>) =>
      broken.capabilities || real.agentCanEverServe(...args),
  };
});
vi.mock('../../machines/retry-policy.js', async (original) => {
  const real = await original<typeof import('../../machines/retry-policy.js')>();
  return {
    ...real,
    canRetry: (...args: Parameters<typeof real.canRetry>) =>
      broken.retries || real.canRetry(...args),
  };
});

// The guard as it was before the fix: a handover is refused when its task holds a slot
// already, even the slot its own timed-out attempt is giving back.
vi.mock('../../machines/agent.js', async (original) => {
  const real = await original<typeof import('../../machines/agent.js')>();
  const canHandOver = real.agentMachine.implementations.guards.canHandOver as GuardPredicate;
  return {
    ...real,
    agentMachine: real.agentMachine.provide({
      guards: {
        canHandOver: (args, params) =>
          !(
            broken.handover &&
            args.event.type === 'task.handover' &&
            args.event.taskId === args.event.releaseTaskId
          ) && canHandOver(args, params),
      },
    }),
  };
});
type GuardPredicate = (args: unknown, params: unknown) => boolean;
// The agent's machine hears every handover (no quiet slots), so that guard decides each.
vi.mock('../../src/agents/agent-slots.js', async (original) => {
  const real = await original<typeof import('../../src/agents/agent-slots.js')>();
  class LoudSlots extends real.AgentSlots {
    override handOver(...args: Parameters<InstanceType<typeof real.AgentSlots>['handOver']>) {
      const slot = super.handOver(...args);
      return slot && broken.handover ? { ...slot, quiet: false } : slot;
    }
  }
  return { ...real, AgentSlots: LoudSlots };
});

const base: SimulationOptions = {
  seed: 3,
  agents: [
    { id: 'cpu', capabilities: ['cpu'], workMs: 10 },
    { id: 'gpu', capabilities: ['gpu'], workMs: 10 },
  ],
  tasks: Array.from({ length: 8 }, (_, i) => ({
    id: `t${i}`,
    type: 'w',
    priority: i % 3,
    capabilities: [i % 2 ? 'gpu' : 'cpu'],
  })),
  system: {
    heartbeatTimeoutMs: 200,
    heartbeatIntervalMs: 50,
    retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 5 } },
  },
  untilMs: 5_000,
};

async function violated(options: SimulationOptions) {
  const result = await simulate(options);
  return { result, invariants: new Set(checkSimulation(result, options).map((v) => v.invariant)) };
}

describe('the history checkers catch a broken runtime', () => {
  it('passes the unbroken runtime', async () => {
    expect((await violated(base)).invariants).toEqual(new Set());
  });

  it('2: a scheduler that ignores capabilities', async () => {
    broken.capabilities = true;
    try {
      const { invariants } = await violated({
        ...base,
        agents: [{ id: 'cpu', capabilities: ['cpu'], workMs: 10 }],
      });
      expect(invariants).toContain(2);
    } finally {
      broken.capabilities = false;
    }
  });

  it('3: a retry policy that never runs out', async () => {
    broken.retries = true;
    try {
      const { invariants } = await violated({
        ...base,
        faults: { rates: { throw: 0.9 } },
        untilMs: 2_000,
      });
      expect(invariants).toContain(3);
    } finally {
      broken.retries = false;
    }
  });

  it('8 and 1: an agent pool that forgets the tasks of a crashed agent', async () => {
    const markLost = vi.spyOn(AgentRegistry.prototype, 'markLost').mockImplementation((agent) => {
      agent.gone = true;
    });
    try {
      const { invariants, result } = await violated({ ...base, faults: { rates: { crash: 0.5 } } });
      expect(invariants).toContain(8);
      expect(result.quiescent).toBe(false);
    } finally {
      markLost.mockRestore();
    }
  });

  it('11: a retry stranded in the queue when its late handler frees the slot', async () => {
    // The first attempt times out at 50 ms but its handler ignores the abort and finishes
    // only when the ticker's task does, at 100 ms: its retry, due at 60, waits for that slot.
    const lateRetry = (): SimulationOptions => {
      let finishLate: (() => void) | undefined;
      return {
        seed: 5,
        agents: [
          {
            id: 'late',
            capabilities: ['late'],
            workMs: 10,
            handler: (_input, ctx) =>
              ctx.attempt === 1
                ? new Promise((resolve) => {
                    finishLate = () => resolve('late');
                  })
                : 'on time',
          },
          {
            id: 'ticker',
            capabilities: ['tick'],
            workMs: 100,
            handler: () => {
              finishLate?.();
              return 'tick';
            },
          },
        ],
        tasks: [
          { id: 'slow', type: 'w', capabilities: ['late'], timeoutMs: 50 },
          { id: 'tick', type: 'w', capabilities: ['tick'] },
        ],
        system: {
          ...base.system,
          abortGraceMs: 1_000,
          retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 10 } },
        },
        untilMs: 5_000,
      };
    };
    const fixed = await violated(lateRetry());
    expect(fixed.result.system.task('slow')).toMatchObject({ state: 'completed', attempts: 2 });
    expect(fixed.invariants).toEqual(new Set());
    broken.handover = true;
    try {
      const { invariants, result } = await violated(lateRetry());
      expect(result.system.task('slow').state).toBe('ready');
      expect(result.system.agents().find((a) => a.id === 'late')?.state).toBe('idle');
      expect(invariants).toContain(11);
    } finally {
      broken.handover = false;
    }
  });

  it('4: tasks taken last-in-first-out while the check expects strict priority', async () => {
    const options = { ...base, agents: [{ id: 'cpu', capabilities: ['cpu', 'gpu'], workMs: 10 }] };
    const result = await simulate({ ...options, system: { ...options.system, order: 'lifo' } });
    expect(checkSimulation(result, options).map((v) => v.invariant)).toContain(4);
  });
});

describe('the history checkers catch a corrupted history', () => {
  const run = () =>
    simulate({
      ...base,
      tasks: [
        ...(base.tasks ?? []),
        { id: 'late', type: 'w', capabilities: ['cpu'], dependsOn: ['t0'], deadline: 10_000 },
      ],
    });
  const check = (
    result: Awaited<ReturnType<typeof run>>,
    history: OverseerEvent[],
    extra: Partial<Awaited<ReturnType<typeof run>>> = {},
  ) => new Set(checkSimulation({ ...result, ...extra, history }, base).map((v) => v.invariant));

  it('1: a task whose end was lost, or that ended twice', async () => {
    const result = await run();
    const end = result.history.findIndex((e) => e.type === 'task.completed');
    expect(
      check(
        result,
        result.history.filter((_, i) => i !== end),
      ),
    ).toContain(1);
    expect(check(result, [...result.history, result.history[end] as OverseerEvent])).toContain(1);
  });

  it('5: a task started before its dependency completed', async () => {
    const result = await run();
    const history = [...result.history];
    const started = history.findIndex((e) => e.type === 'task.started' && e.taskId === 'late');
    const [event] = history.splice(started, 1);
    // Right after it was submitted: while its dependency t0 still runs.
    const submitted = history.findIndex((e) => e.type === 'task.submitted' && e.taskId === 'late');
    history.splice(submitted + 1, 0, event as OverseerEvent);
    expect(check(result, history)).toContain(5);
  });

  it('6: a task started after its deadline', async () => {
    const result = await run();
    const history = result.history.map((e) =>
      e.type === 'task.started' && e.taskId === 'late' ? { ...e, at: 10_001 } : e,
    );
    expect(check(result, history)).toContain(6);
  });

  it('7: restarts beyond the intensity without escalation', async () => {
    const result = await run();
    const restarts: OverseerEvent[] = Array.from({ length: 12 }, (_, i) => ({
      type: 'agent.restarted',
      agentId: 'cpu',
      supervisorId: 'root',
      at: 100 + i,
    }));
    expect(check(result, [...result.history, ...restarts])).toContain(7);
  });

  it('10: a submission refused with an untyped error', async () => {
    const result = await run();
    expect(
      check(result, [...result.history], {
        rejected: [{ spec: { type: 'x' }, error: new Error('oops') as never }],
      }),
    ).toContain(10);
  });
});
