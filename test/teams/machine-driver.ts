// A team run machine on its own, for the machine's tests: started from its input (or a
// stored snapshot), with everything it emits kept for the test to read.
import { createActor } from 'xstate';
import {
  type RunStep,
  type TeamRunEmitted,
  type TeamRunInput,
  teamRunMachine,
} from '../../machines/team-run.js';

export const step = (id: string, dependsOn: string[] = [], capability = 'work'): RunStep => ({
  id,
  capability,
  input: { id },
  dependsOn,
});

export function driveMachine(input: Partial<TeamRunInput> = {}, snapshot?: unknown) {
  const actor = createActor(teamRunMachine, {
    input: { runId: 'r1', ...input },
    ...(snapshot === undefined ? {} : { snapshot: snapshot as never }),
  });
  const emitted: TeamRunEmitted[] = [];
  for (const type of [
    'approval.requested',
    'planner.requested',
    'step.requested',
    'validator.requested',
    'run.completed',
    'run.failed',
    'run.cancelled',
  ] as const)
    actor.on(type, (e) => emitted.push(e as TeamRunEmitted));
  actor.start();
  const last = <T extends TeamRunEmitted['type']>(type: T) =>
    emitted.filter((e) => e.type === type).at(-1) as Extract<TeamRunEmitted, { type: T }>;
  const requested = () => last('step.requested').requests.map((r) => r.step.id);
  const context = () => actor.getSnapshot().context;
  return { actor, emitted, last, requested, context, value: () => actor.getSnapshot().value };
}
