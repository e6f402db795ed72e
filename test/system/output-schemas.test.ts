// Result schemas bound by task type on the system (`outputSchemas`): for tasks that bring no
// schema of their own, as tasks recovered from a store and tasks from a cluster client
// cannot (a schema is code). A task's own schema wins; bad options are refused by path.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createSystem,
  InvalidSystemOptions,
  memoryStore,
  type TaskFailed,
} from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

const measured = z.object({ width: z.number() });

describe('outputSchemas by task type', () => {
  it('validates a task of that type that has no schema of its own', async () => {
    const { system } = startSystem({
      agents: [{ id: 'sloppy', handler: async () => ({ width: 'wide' }) }],
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      outputSchemas: { measure: measured },
    });
    const bad = await system.submit({ type: 'measure' });
    const error = (await bad.result().catch((e: unknown) => e)) as TaskFailed;
    expect(error.error).toMatchObject({ kind: 'invalid-output', code: 'InvalidOutput' });
    // Other types are not checked; a task's own schema wins over its type's.
    const other = await system.submit({ type: 'other' });
    await expect(other.result()).resolves.toEqual({ width: 'wide' });
    const own = await system.submit({
      type: 'measure',
      outputSchema: z.object({ width: z.string() }),
    });
    await expect(own.result()).resolves.toEqual({ width: 'wide' });
  });

  it('validates a task recovered from a store, whose stored spec has no schema', async () => {
    const store = memoryStore();
    // A first system took the task in and stopped before it ran (no agent).
    const first = createSystem({ store, unmatchedCapability: 'keep-pending' }).start();
    const spec = { type: 'measure', capabilities: ['measure'], idempotencyKey: 'k' };
    const taken = await first.submit(spec);
    await first.stop({ timeoutMs: 0 });
    const second = createSystem({
      store,
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      outputSchemas: { measure: measured },
      agents: [{ id: 'sloppy', capabilities: ['measure'], handler: () => ({ width: 'wide' }) }],
    }).start();
    // The same key finds the recovered task, which the second system's agent runs.
    const recovered = await second.submit(spec);
    expect(recovered.id).toBe(taken.id);
    const error = (await recovered.result().catch((e: unknown) => e)) as TaskFailed;
    expect(error.error).toMatchObject({ code: 'InvalidOutput' });
    await second.stop({ timeoutMs: 0 });
  });

  it('are refused when not schemas, naming the task type', () => {
    expect(() => createSystem({ outputSchemas: { measure: { parse() {} } as never } })).toThrow(
      new InvalidSystemOptions(
        'outputSchemas.measure',
        'must be a Standard Schema validator (zod, valibot, arktype...)',
      ),
    );
    expect(() => createSystem({ outputSchemas: [] as never })).toThrow(InvalidSystemOptions);
  });
});
