// Tasks loaded back from a durable store share one frozen copy of what they have alike (type,
// QoS class, capabilities, resources, retry policy, empty dependencies and metadata); what is
// their own (id, input, dependencies, metadata with something in it) stays theirs. Before,
// each loaded task held its own copy of each: about 750 bytes of a 1,900-byte finished task.
import { afterAll, describe, expect, it } from 'vitest';
import { createSystem, sqliteStore } from '../../src/index.js';
import { specOf, submitted, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

const alike = {
  capabilities: ['gpu', 'resize'],
  resources: { memoryMb: 512 },
  retry: { maxAttempts: 5, backoff: { kind: 'fixed' as const, delayMs: 100 } },
};

describe('tasks loaded back from a store', () => {
  it('share one frozen copy of what they have alike, and keep their own', async () => {
    const file = dir.file();
    const writer = sqliteStore(file);
    writer.appendTask(submitted('a', 1, alike));
    writer.appendTask(submitted('b', 2, { ...alike, metadata: { tenant: 'x' } }));
    writer.appendTask(submitted('c', 3, { ...alike, retry: { ...alike.retry, maxAttempts: 2 } }));
    writer.appendTask(submitted('d', 4, { ...alike, dependsOn: ['a'] }));
    await writer.close();
    const reader = dir.track(sqliteStore(file));
    const [a, b, c, d] = reader.load(10).tasks.map((t) => t.spec);
    if (!a || !b || !c || !d) throw new Error('four tasks were stored');
    expect(b.capabilities).toBe(a.capabilities);
    expect(b.resources).toBe(a.resources);
    expect(b.retry).toBe(a.retry);
    expect(b.type).toBe(a.type);
    expect(a.dependsOn).toBe(c.dependsOn);
    expect(a.metadata).toBe(c.metadata);
    expect(Object.isFrozen(a.capabilities) && Object.isFrozen(a.retry.backoff)).toBe(true);
    expect(() => (a.capabilities as string[]).push('cpu')).toThrow(TypeError);
    // Their own: a retry policy unlike the others', metadata, input.
    expect(c.retry).not.toBe(a.retry);
    expect(c.retry).toEqual({ ...alike.retry, maxAttempts: 2 });
    expect(b.metadata).toEqual({ tenant: 'x' });
    expect(Object.isFrozen(b.metadata)).toBe(false);
    expect(d.dependsOn).toEqual(['a']); // names other tasks: never looked up
    expect(Object.isFrozen(d.dependsOn)).toBe(false);
    expect(b.input).not.toBe(a.input);
    expect(Object.isFrozen(a.input)).toBe(false);
    expect(a).toEqual(specOf('a', alike));
  });

  it('never freeze what a caller submits: only what a store parsed is shared', async () => {
    const store = dir.track(sqliteStore(dir.file()));
    const system = createSystem({
      store,
      agents: [{ id: 'w', capabilities: ['gpu'], handler: () => 1 }],
    }).start();
    const capabilities = ['gpu'];
    const retry = { maxAttempts: 2, backoff: { kind: 'fixed' as const, delayMs: 1 } };
    const handle = await system.submit({ type: 'x', capabilities, retry });
    await handle.result();
    expect(Object.isFrozen(capabilities) || Object.isFrozen(retry)).toBe(false);
    await system.stop();
  });
});
