import { describe, expect, it } from 'vitest';
import type { QosOptions } from '../../machines/qos-classes.js';
import { InvalidTaskSpec, Overloaded } from '../../src/index.js';
import { deferred, startSystem } from '../support/system-harness.js';

const qos: QosOptions = {
  classes: {
    interactive: { sloMs: 3_000, weight: 6, queueCap: 2, overload: { degradeTo: 'standard' } },
    standard: { sloMs: 20_000, weight: 3, queueCap: 3 },
    batch: { sloMs: 120_000, weight: 1 },
  },
  default: 'standard',
};

/** A system with one agent whose handlers wait until the test releases them. */
function held() {
  const gate = deferred();
  const harness = startSystem({
    qos,
    agents: [{ id: 'a', concurrency: 1, handler: () => gate.promise }],
  });
  return { ...harness, release: () => gate.resolve() };
}

describe('QoS classes at submit', () => {
  it('puts a task in the class it names, and one naming none in the default class', async () => {
    const { system } = held();
    const [named, plain] = await system.submitMany([{ type: 'w', qos: 'batch' }, { type: 'w' }]);
    expect(system.task(named?.id ?? '').qos).toBe('batch');
    expect(system.task(plain?.id ?? '').qos).toBe('standard');
  });

  it('refuses a class the system does not have, naming the field and the classes', async () => {
    const { system } = held();
    await expect(system.submit({ type: 'w', qos: 'urgent' })).rejects.toThrow(InvalidTaskSpec);
    await expect(system.submitMany([{ type: 'w' }, { type: 'w', qos: 'urgent' }])).rejects.toThrow(
      /tasks\[1\]\.qos.*interactive, standard, batch/,
    );
  });

  it('refuses a full class with Overloaded and a retry hint, storing nothing of the batch', async () => {
    const { system } = held();
    await system.submitMany([{ type: 'w' }, { type: 'w' }, { type: 'w' }]);
    const before = system.stats().tasks;
    const error = await system
      .submitMany([{ type: 'w', qos: 'batch' }, { type: 'w' }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(Overloaded);
    expect(error).toMatchObject({ qos: 'standard', queueCap: 3 });
    expect((error as Overloaded).retryAfterMs).toBeGreaterThan(0);
    // The batch task of the refused batch was not stored either.
    expect(system.stats().tasks).toEqual(before);
  });

  it('degrades a full class to the class its policy names', async () => {
    const { system } = held();
    const handles = await system.submitMany([
      { type: 'w', qos: 'interactive' },
      { type: 'w', qos: 'interactive' },
      { type: 'w', qos: 'interactive' },
    ]);
    expect(handles.map((h) => system.task(h.id).qos)).toEqual([
      'interactive',
      'interactive',
      'standard',
    ]);
  });

  it('frees a class’s room as its tasks finish', async () => {
    const { system, release, advance } = held();
    await system.submitMany([{ type: 'w' }, { type: 'w' }, { type: 'w' }]);
    await expect(system.submit({ type: 'w' })).rejects.toThrow(Overloaded);
    release();
    await advance(1);
    await expect(system.submit({ type: 'w' })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('leaves qos a free label, with no caps, when the system has no classes', async () => {
    const { system } = startSystem({ agents: [{ id: 'a', handler: () => 1 }] });
    const handle = await system.submit({ type: 'w', qos: 'anything' });
    expect(system.task(handle.id).qos).toBe('anything');
    expect(system.task((await system.submit({ type: 'w' })).id).qos).toBe('default');
  });
});
