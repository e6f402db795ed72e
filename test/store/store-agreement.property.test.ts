import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FAILURE_CODES } from '../../machines/task-error.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { postgresStore } from '../../src/store/postgres/postgres-store.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { ActiveTaskState } from '../../src/store/store-records.js';
import { specOf, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

const task = fc.nat(3).map((n) => `t${n}`);
const owner = fc.nat(2).map((n) => `agent:${n}@run`);
const attempt = fc.nat(4);
const value = fc.jsonValue({ maxDepth: 2 });
const active = fc.constantFrom<ActiveTaskState>(
  'blocked',
  'ready',
  'assigned',
  'running',
  'retrying',
);

const operation = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('submit' as const),
      task,
      dependsOn: fc.uniqueArray(task, { maxLength: 2 }),
      input: value,
    }),
  },
  fc.record({
    op: fc.constant('move' as const),
    task,
    state: active,
    attempt,
    agentId: fc.option(owner, { nil: undefined }),
    retryAt: fc.option(fc.nat(100), { nil: undefined }),
    snapshot: fc.option(value, { nil: undefined }),
  }),
  fc.record({ op: fc.constant('complete' as const), task, attempt, output: value }),
  fc.record({
    op: fc.constant('fail' as const),
    task,
    attempt,
    code: fc.constantFrom(...FAILURE_CODES),
  }),
  fc.record({ op: fc.constant('cancel' as const), task, reason: fc.string({ maxLength: 8 }) }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('claim' as const),
      task,
      owner,
      attempt,
      forMs: fc.nat(30),
    }),
  },
  fc.record({ op: fc.constant('renew' as const), task, owner, forMs: fc.nat(30) }),
  fc.record({ op: fc.constant('release' as const), task, owner }),
  fc.record({ op: fc.constant('expire' as const) }),
  fc.record({
    op: fc.constant('agent' as const),
    agentId: owner,
    kind: fc.constantFrom('agent.restarted', 'agent.stopped'),
  }),
  fc.record({
    op: fc.constant('compact' as const),
    retainMs: fc.option(fc.nat(40), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('tick' as const), ms: fc.nat(20) }),
  fc.record({ op: fc.constant('flush' as const) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** What a call came to, comparable across stores: its value as JSON, or its error. */
function outcome(call: () => unknown) {
  try {
    return { value: JSON.parse(JSON.stringify(call() ?? null)) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function apply(store: Store, step: Operation, now: number): unknown {
  const error = {
    kind: 'error',
    code: 'code' in step ? step.code : 'Unknown',
    message: 'failed',
  } as const;
  switch (step.op) {
    case 'submit': {
      const spec = specOf(step.task, { dependsOn: step.dependsOn, input: step.input });
      return store.appendTask({ kind: 'task.submitted', taskId: step.task, at: now, spec });
    }
    case 'move': {
      const { task: taskId, state, attempt, agentId, retryAt, snapshot } = step;
      const record = { kind: 'task.transition', taskId, state, attempt, at: now } as const;
      return store.appendTask({
        ...record,
        agentId,
        retryAt,
        ...(snapshot === undefined ? {} : { snapshot }),
      });
    }
    case 'complete':
      return store.appendTask({
        kind: 'task.completed',
        taskId: step.task,
        attempt: step.attempt,
        at: now,
        output: step.output,
      });
    case 'fail':
      return store.appendTask({
        kind: 'task.failed',
        taskId: step.task,
        attempt: step.attempt,
        at: now,
        error,
      });
    case 'cancel':
      return store.appendTask({
        kind: 'task.cancelled',
        taskId: step.task,
        attempt: 0,
        at: now,
        reason: step.reason,
      });
    case 'claim':
      return store.claimLease({
        taskId: step.task,
        owner: step.owner,
        attempt: step.attempt,
        now,
        until: now + step.forMs,
      });
    case 'renew':
      return store.renewLease({
        taskId: step.task,
        owner: step.owner,
        now,
        until: now + step.forMs,
      });
    case 'release':
      return store.releaseLease(step.task, step.owner);
    case 'expire':
      return store.expireLeases(now);
    case 'agent':
      return store.appendAgent({ kind: step.kind, agentId: step.agentId, at: now });
    case 'compact':
      return store.compact({
        now,
        ...(step.retainMs === undefined ? {} : { retainTerminalMs: step.retainMs }),
      });
    default:
      return undefined;
  }
}

/** Everything a store holds, as JSON: what it would rebuild from, and every task's history. */
const contents = (store: Store, now: number) =>
  outcome(() => ({
    load: store.load(now),
    history: ['t0', 't1', 't2', 't3'].map((id) => store.history(id)),
  }));

describe('memoryStore, sqliteStore and postgresStore', () => {
  it('agree on the result of any sequence of operations, and on what they hold, before and after reopening', async () => {
    const url = await dir.postgresUrl();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 80, size: 'medium' }), async (steps) => {
        const path = dir.file();
        const schema = `agreement_${++runs}`;
        const memory = memoryStore();
        let sqlite = sqliteStore(path);
        let postgres: Store = await postgresStore(url, { schema });
        let now = 0;
        try {
          for (const step of steps) {
            if (step.op === 'tick') now += step.ms;
            if (step.op === 'flush')
              await Promise.all([memory.flush(), sqlite.flush(), postgres.flush()]);
            const expected = outcome(() => apply(memory, step, now));
            expect(outcome(() => apply(sqlite, step, now))).toEqual(expected);
            expect(outcome(() => apply(postgres, step, now))).toEqual(expected);
          }
          const held = contents(memory, now);
          expect(contents(sqlite, now)).toEqual(held);
          expect(contents(postgres, now)).toEqual(held);
          await sqlite.close();
          await postgres.close();
          sqlite = sqliteStore(path);
          postgres = await postgresStore(url, { schema });
          expect(contents(sqlite, now)).toEqual(held);
          expect(contents(postgres, now)).toEqual(held);
        } finally {
          await sqlite.close();
          await postgres.close();
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 100) },
    );
  });
});
