import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { exploreMachine } from './path-coverage.js';

// The coverage check must be able to fail: a machine with a state no event reaches and a
// transition whose guard never passes is reported, by name.
const lopsided = setup({
  types: { events: {} as { type: 'go' } | { type: 'back' } },
  guards: { never: () => false },
}).createMachine({
  id: 'lopsided',
  initial: 'a',
  states: {
    a: { on: { go: 'b' } },
    b: { on: { back: { guard: 'never', target: 'a' } } },
    orphan: {},
  },
});

describe('path coverage', () => {
  it('reports states without a path and transitions never taken', () => {
    const coverage = exploreMachine({
      machine: lopsided,
      input: undefined,
      events: () => [{ type: 'go' as const }, { type: 'back' as const }],
      serialize: (s) => JSON.stringify(s.value),
    });
    expect(coverage.states.missed).toEqual(['lopsided.orphan']);
    expect(coverage.transitions.missed).toEqual(['lopsided.b --back--> lopsided.a']);
    expect(coverage.mismatches).toEqual([]);
  });
});
