// compileMachine refuses, at compile time, every feature the compiled interpreter does not
// run, with an UnsupportedMachineFeature naming the feature and where the machine uses it:
// a machine is never run differently from XState, only refused.
import { describe, expect, it } from 'vitest';
import {
  type AnyStateMachine,
  createMachine,
  enqueueActions,
  fromPromise,
  sendTo,
  setup,
  stateIn,
} from 'xstate';
import { agentMachine } from '../../machines/agent.js';
import { taskMachine } from '../../machines/task.js';
import { compileMachine } from '../../src/compiled/compiled-machine.js';
import { UnsupportedMachineFeature } from '../../src/errors/index.js';

function refusal(machine: AnyStateMachine): UnsupportedMachineFeature {
  try {
    compileMachine(machine);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedMachineFeature);
    return error as UnsupportedMachineFeature;
  }
  throw new Error(`compileMachine accepted machine "${machine.id}"`);
}

const unsupported: readonly {
  readonly feature: string;
  readonly machine: AnyStateMachine;
  /** How the refusal names the feature, and the state it names. */
  readonly named: RegExp;
  readonly where: string;
}[] = [
  {
    feature: 'parallel states',
    machine: createMachine({
      id: 'm',
      initial: 'both',
      states: { both: { type: 'parallel', states: { a: {}, b: {} } } },
    }),
    named: /parallel states/,
    where: '#m.both',
  },
  {
    feature: 'history states',
    machine: createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: { initial: 'x', states: { x: {}, back: { type: 'history' } } },
        b: { on: { go: 'a.back' } },
      },
    }),
    named: /history/,
    where: '#m.a.back',
  },
  {
    feature: 'invoke',
    machine: createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { invoke: { src: fromPromise(async () => 1) } } },
    }),
    named: /invoked actors/,
    where: '#m.a',
  },
  {
    feature: 'enqueueActions',
    machine: createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { on: { go: 'b' } }, b: { entry: enqueueActions(() => {}) } },
    }),
    named: /xstate\.enqueueActions/,
    where: 'the transition on "go" of #m.a',
  },
  {
    feature: 'sendTo',
    machine: createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { on: { go: { actions: sendTo('other', { type: 'ping' }) } } } },
    }),
    named: /xstate\.sendTo/,
    where: '#m.a',
  },
  {
    feature: 'the stateIn guard',
    machine: createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { on: { go: { guard: stateIn('#m.a'), target: 'b' } } }, b: {} },
    }),
    named: /StateIn/,
    where: '#m.a',
  },
  {
    feature: 'a nested final state',
    machine: createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: { initial: 'x', states: { x: { on: { go: 'y' } }, y: { type: 'final' } } },
      },
    }),
    named: /nested final state/,
    where: '#m.a.y',
  },
];

describe('compileMachine refuses what it does not run', () => {
  for (const { feature, machine, named, where } of unsupported) {
    it(`refuses ${feature}, naming it and where it is used`, () => {
      const error = refusal(machine);
      expect(error.code).toBe('UnsupportedMachineFeature');
      expect(error.machineId).toBe('m');
      expect(error.feature).toMatch(named);
      expect(error.where).toContain(where);
      expect(error.message).toContain(error.feature);
    });
  }

  it('refuses a named action or guard the machine does not implement', () => {
    const m = setup({}).createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { on: { go: { guard: 'nowhere' as never, actions: 'nothing' as never } } } },
    });
    expect(refusal(m).feature).toMatch(/"nowhere", not implemented/);
  });

  it('compiles the task and agent machines', () => {
    expect(() => compileMachine(taskMachine)).not.toThrow();
    expect(() => compileMachine(agentMachine)).not.toThrow();
  });
});
