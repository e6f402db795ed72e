import { describe, expect, it } from 'vitest';
import {
  createSystem,
  DeadlineInPast,
  DependencyCycle,
  DuplicateTaskId,
  InvalidAgentDeclaration,
  InvalidSystemOptions,
  InvalidTaskSpec,
  NoCapableAgent,
  QueueFull,
  UnknownDependency,
  UnknownTask,
} from '../../src/index.js';
import { deferred, startSystem } from '../support/system-harness.js';

const gate = deferred();
const agents = [
  { id: 'w', capabilities: ['cpu'], resources: { mem: 4 }, handler: () => gate.promise },
];

describe('invalid input is refused with a typed error naming the problem', () => {
  it('a negative priority', async () => {
    const { system } = startSystem({ agents });
    await expect(system.submit({ type: 'x', priority: -1 })).rejects.toMatchObject({
      code: 'InvalidTaskSpec',
      field: 'priority',
    });
  });

  it('a misspelled field', async () => {
    const { system } = startSystem({ agents });
    const spec = { type: 'x', priorty: 3 } as never;
    await expect(system.submit(spec)).rejects.toBeInstanceOf(InvalidTaskSpec);
    await expect(system.submit(spec)).rejects.toMatchObject({ field: 'priorty' });
  });

  it('an unknown dependency', async () => {
    const { system } = startSystem({ agents });
    await expect(system.submit({ type: 'x', dependsOn: ['ghost'] })).rejects.toBeInstanceOf(
      UnknownDependency,
    );
  });

  it('a dependency cycle within a batch, nothing of which is accepted', async () => {
    const { system } = startSystem({ agents });
    const batch = system.submitMany([
      { id: 'ok', type: 'x' },
      { id: 'a', type: 'x', dependsOn: ['b'] },
      { id: 'b', type: 'x', dependsOn: ['a'] },
    ]);
    await expect(batch).rejects.toBeInstanceOf(DependencyCycle);
    expect(() => system.task('ok')).toThrow(UnknownTask);
  });

  it('a capability no agent offers, or more of a resource than any agent has', async () => {
    const { system } = startSystem({ agents });
    await expect(system.submit({ type: 'x', capabilities: ['gpu'] })).rejects.toMatchObject({
      code: 'NoCapableAgent',
      message: expect.stringContaining('capability gpu'),
      missing: { capabilities: ['gpu'], resources: {} },
    });
    const tooBig = system.submit({
      type: 'x',
      capabilities: ['cpu'],
      resources: { mem: 8, io: 0 },
    });
    await expect(tooBig).rejects.toBeInstanceOf(NoCapableAgent);
    await expect(tooBig).rejects.toMatchObject({
      missing: { capabilities: [], resources: { mem: 8 } },
    });
  });

  it('capabilities offered one by one but by no agent together, or resources the same way', async () => {
    const { system } = startSystem({
      agents: [
        {
          id: 'cpu',
          capabilities: ['cpu'],
          resources: { mem: 16, gpu: 0 },
          handler: async () => 1,
        },
        { id: 'gpu', capabilities: ['gpu'], resources: { mem: 1, gpu: 2 }, handler: async () => 1 },
        { id: 'any', resources: { gpu: 2 }, handler: async () => 1 },
      ],
    });
    await expect(
      system.submit({ type: 'x', capabilities: ['cpu', 'gpu', 'tpu'] }),
    ).rejects.toMatchObject({ missing: { capabilities: ['tpu'], resources: {} } });
    await expect(system.submit({ type: 'x', capabilities: ['cpu', 'gpu'] })).rejects.toMatchObject({
      missing: { capabilities: ['cpu', 'gpu'], resources: {} },
    });
    await expect(system.submit({ type: 'x', resources: { mem: 8, gpu: 1 } })).rejects.toMatchObject(
      { missing: { capabilities: [], resources: { mem: 8, gpu: 1 } } },
    );
  });

  it('keeps such a task pending when the system is told to', async () => {
    const { system } = startSystem({ agents, unmatchedCapability: 'keep-pending' });
    const handle = await system.submit({ type: 'x', capabilities: ['gpu'] });
    expect(system.task(handle.id).state).toBe('ready');
  });

  it('a deadline in the past', async () => {
    const { system, advance } = startSystem({ agents });
    await advance(100);
    await expect(system.submit({ type: 'x', deadline: 50 })).rejects.toBeInstanceOf(DeadlineInPast);
  });

  it('a full queue, with a retry-after hint, dropping nothing', async () => {
    const { system } = startSystem({ agents, queueCapacity: 2 });
    await system.submit({ id: 'a', type: 'x' });
    await system.submit({ id: 'b', type: 'x' });
    const error = await system.submit({ id: 'c', type: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFull);
    expect((error as QueueFull).retryAfterMs).toBeGreaterThan(0);
    expect(system.stats().tasks.running + system.stats().tasks.queued).toBe(2);
  });

  it('a duplicate task id', async () => {
    const { system } = startSystem({ agents });
    await system.submit({ id: 'a', type: 'x' });
    await expect(system.submit({ id: 'a', type: 'x' })).rejects.toBeInstanceOf(DuplicateTaskId);
  });

  it('an unknown task id', () => {
    const { system } = startSystem({ agents });
    expect(system.cancel('nope')).toBe('unknown');
  });

  it('a bad agent declaration or system option, at creation', () => {
    expect(() =>
      createSystem({ agents: [{ id: 'w', concurrency: 0, handler: async () => 1 }] }),
    ).toThrow(InvalidAgentDeclaration);
    expect(() => createSystem({ heartbeatIntervalMs: 5_000, heartbeatTimeoutMs: 1_000 })).toThrow(
      InvalidSystemOptions,
    );
  });
});
