import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedHeap } from '../../src/scheduling/indexed-heap.js';

type Op =
  | { op: 'push'; key: number }
  | { op: 'pop' }
  | { op: 'remove'; pick: number }
  | { op: 'rekey'; pick: number; key: number };
const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('push' as const), key: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ op: fc.constant('pop' as const) }),
    fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
    fc.record({
      op: fc.constant('rekey' as const),
      pick: fc.nat(),
      key: fc.integer({ min: 0, max: 50 }),
    }),
  ),
  { maxLength: 200 },
);

describe('IndexedHeap', () => {
  it('behaves like a sorted list under any sequence of push, pop, remove and re-key', () => {
    fc.assert(
      fc.property(ops, (sequence: Op[]) => {
        let serial = 0;
        const heap = new IndexedHeap<{ key: number; id: number }>(
          (a, b) => a.key < b.key || (a.key === b.key && a.id < b.id),
        );
        const model: { key: number; id: number }[] = [];
        const sorted = () => [...model].sort((a, b) => a.key - b.key || a.id - b.id);
        for (const step of sequence) {
          if (step.op === 'push') {
            const item = { key: step.key, id: serial++ };
            heap.push(item);
            model.push(item);
          } else if (step.op === 'pop') {
            const expected = sorted()[0];
            expect(heap.pop()).toBe(expected);
            if (expected) model.splice(model.indexOf(expected), 1);
          } else if (model.length > 0) {
            const item = model[step.pick % model.length] as { key: number; id: number };
            if (step.op === 'remove') {
              expect(heap.remove(item)).toBe(true);
              model.splice(model.indexOf(item), 1);
              expect(heap.has(item)).toBe(false);
            } else {
              item.key = step.key;
              heap.update(item);
            }
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(sorted()[0]);
        }
      }),
    );
  });

  it('refuses to remove what it does not hold', () => {
    const heap = new IndexedHeap<number>((a, b) => a < b);
    heap.push(1);
    expect(heap.remove(2)).toBe(false);
    expect(heap.size).toBe(1);
  });
});
