// `system.events()` gives every event from now on and drops none: a reader that falls behind
// makes the iterator hold what it has not read. `maxBuffered` bounds that: past it, the
// iterator stops listening and, once it has given what it holds, throws EventsOverflowed,
// so a reader streaming to a slow sink learns it fell behind instead of growing the heap.
import { describe, expect, it } from 'vitest';
import { EventsOverflowed, type OverseerEvent } from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

const agents = [{ id: 'w', handler: (n: number) => n }];

async function read(iterator: AsyncIterableIterator<OverseerEvent>, n: number) {
  const got: string[] = [];
  for (let i = 0; i < n; i++) {
    const next = await iterator.next();
    if (next.done) break;
    got.push(next.value.type);
  }
  return got;
}

describe('system.events()', () => {
  it('holds every event a slow reader has not read yet', async () => {
    const { system } = startSystem({ agents });
    const iterator = system.events();
    const handles = await system.submitMany([1, 2, 3].map((input) => ({ type: 'x', input })));
    await Promise.all(handles.map((h) => h.result()));
    await system.stop(); // ends the iterator once it has given what it holds
    const got = await read(iterator, Number.POSITIVE_INFINITY);
    expect(got.filter((t) => t === 'task.completed')).toHaveLength(3);
    expect(got.length).toBeGreaterThan(9);
  });

  it('with maxBuffered, gives what it held, then says it fell behind, then ends', async () => {
    const { system } = startSystem({ agents });
    const iterator = system.events({ maxBuffered: 3 });
    const handles = await system.submitMany([1, 2, 3].map((input) => ({ type: 'x', input })));
    await Promise.all(handles.map((h) => h.result()));
    expect(await read(iterator, 3)).toEqual(['task.submitted', 'task.ready', 'agent.busy']);
    const behind = iterator.next();
    await expect(behind).rejects.toThrow(EventsOverflowed);
    await expect(behind).rejects.toThrow(
      'the events iterator fell 3 events behind (maxBuffered 3) and stopped: read faster, or raise maxBuffered',
    );
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    // Other iterators and listeners are untouched.
    expect(system.task(handles[0]?.id ?? '').state).toBe('completed');
  });

  it('refuses a bound that is not a whole number of at least 1', () => {
    const { system } = startSystem({ agents });
    expect(() => system.events({ maxBuffered: 0 })).toThrow(
      'events: maxBuffered must be a whole number of at least 1, got 0',
    );
    expect(() => system.events({ maxBuffered: '10' as never })).toThrow(
      'events: maxBuffered must be a whole number of at least 1, got "10"',
    );
  });
});
