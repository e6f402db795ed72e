// A property over random plans and fault schedules, on the team run machine with a
// scripted runtime: every run ends exactly once, within maxRounds, and its history is what
// ran (each output it lists was produced by the runtime, each verdict given, in order).
// Steps write on the shared state and people answer approvals at random: no accepted write
// was based on a stale read, and the versions form one chain.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  type RunStep,
  type TeamHistoryEntry,
  type TeamRunEmitted,
  teamRunMachine,
} from '../../machines/team-run.js';

/** A DAG of 1..6 steps: each may depend on earlier ones. */
const plan = fc
  .array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 6 })
  .map((deps) =>
    deps.map(
      (picks, i): RunStep => ({
        id: `s${i}`,
        capability: 'work',
        input: i,
        dependsOn: i === 0 ? [] : [...new Set(picks.map((p) => `s${p % i}`))],
      }),
    ),
  );

type Outcome = 'output' | 'invalid' | 'failed';
type Judgement = 'accept' | 'reject';
const faults = fc.record({
  outcomes: fc.array(fc.constantFrom<Outcome>('output', 'output', 'output', 'invalid', 'failed'), {
    maxLength: 60,
  }),
  verdicts: fc.array(fc.constantFrom<Judgement>('accept', 'accept', 'reject'), { maxLength: 60 }),
  invalidPlans: fc.array(fc.boolean(), { maxLength: 6 }),
  cancelAfter: fc.option(fc.nat({ max: 40 }), { nil: undefined }),
  /** Which outputs write on the shared state. */
  writes: fc.array(fc.boolean(), { maxLength: 60 }),
  /** Steps (by position) a person approves before they run, and the answers given. */
  held: fc.array(fc.nat({ max: 5 }), { maxLength: 3 }),
  answers: fc.array(fc.constantFrom('accept', 'accept', 'reject', 'timeout'), { maxLength: 8 }),
});

describe('a team run over random plans and faults', () => {
  it('ends exactly once, within maxRounds, and its history is what ran', () => {
    fc.assert(
      fc.property(plan, faults, fc.integer({ min: 1, max: 3 }), (steps, f, maxRounds) => {
        const actor = createActor(teamRunMachine, {
          input: {
            runId: 'p',
            maxRounds,
            maxStepRuns: 2,
            maxPlanRepairs: 1,
            state: {},
            approval: { steps: f.held.map((i) => `s${i}`), onTimeout: 'proceed' },
          },
        });
        const ends: TeamRunEmitted[] = [];
        // The runtime never sends to a run that has ended (src/teams/run-team.ts does the same).
        const send = (event: Parameters<typeof actor.send>[0]) => {
          if (actor.getSnapshot().status === 'active') actor.send(event);
        };
        const queue: (() => void)[] = [];
        const produced: { stepId: string; output: unknown }[] = [];
        const given: { stepId: string; accept: boolean }[] = [];
        let plans = 0;
        let o = 0;
        let v = 0;
        let a = 0;
        /** The version each step's latest output was worked from. */
        const readOf = new Map<string, number>();
        actor.on('approval.requested', () =>
          queue.push(() => {
            const answer = f.answers[a++ % Math.max(1, f.answers.length)] ?? 'accept';
            if (answer === 'timeout') send({ type: 'approval.timeout' });
            else send({ type: 'approval', accept: answer === 'accept', feedback: 'no' });
          }),
        );
        actor.on('planner.requested', () =>
          queue.push(() => {
            plans++;
            if (f.invalidPlans[plans - 1]) send({ type: 'plan.invalid', problems: ['bad'] });
            else send({ type: 'plan.ready', steps });
          }),
        );
        actor.on('step.requested', ({ requests }) => {
          for (const { step, run, state } of requests)
            queue.push(() => {
              const outcome = f.outcomes[o++ % Math.max(1, f.outcomes.length)] ?? 'output';
              if (outcome === 'failed')
                send({ type: 'step.failed', stepId: step.id, error: 'crashed' });
              else if (outcome === 'invalid')
                send({ type: 'step.invalid', stepId: step.id, issues: ['x: wrong'] });
              else {
                const output = `${step.id}#${run}`;
                produced.push({ stepId: step.id, output });
                readOf.set(step.id, state?.version ?? -1);
                const writes = f.writes[o % Math.max(1, f.writes.length)] ?? false;
                send({
                  type: 'step.output',
                  stepId: step.id,
                  output,
                  ...(writes ? { write: { [step.id]: output } } : {}),
                });
              }
            });
        });
        actor.on('validator.requested', ({ items }) => {
          for (const { step } of items)
            queue.push(() => {
              const accept =
                (f.verdicts[v++ % Math.max(1, f.verdicts.length)] ?? 'accept') === 'accept';
              given.push({ stepId: step.id, accept });
              send(
                accept
                  ? { type: 'verdict', stepId: step.id, accept }
                  : { type: 'verdict', stepId: step.id, accept, feedback: 'no' },
              );
            });
        });
        for (const type of ['run.completed', 'run.failed', 'run.cancelled'] as const)
          actor.on(type, (e) => ends.push(e as TeamRunEmitted));
        // Each accepted write checked as it lands: based on its writer's read, which is current.
        const writes: Extract<TeamHistoryEntry, { kind: 'state.write' }>[] = [];
        let seen = 0;
        actor.subscribe(({ context }) => {
          for (const e of context.history.slice(seen))
            if (e.kind === 'state.write') {
              expect(e.basedOn).toBe(readOf.get(e.stepId));
              expect(e.basedOn).toBe(writes.at(-1)?.version ?? 0);
              expect(e.version).toBe(e.basedOn + 1);
              writes.push(e);
            }
          seen = context.history.length;
        });
        actor.start();
        for (let turn = 0; queue.length > 0 && turn < 10_000; turn++) {
          if (turn === f.cancelAfter) send({ type: 'cancel', reason: 'stop' });
          queue.shift()?.();
        }
        const { context, status } = actor.getSnapshot();
        // Ends exactly once.
        expect(status).toBe('done');
        expect(ends).toHaveLength(1);
        // Within maxRounds.
        expect(context.round).toBeLessThanOrEqual(maxRounds);
        // The history is what ran: its outputs were produced, its verdicts given, in order.
        const outputs = context.history.filter(
          (e): e is Extract<TeamHistoryEntry, { kind: 'step.output' }> => e.kind === 'step.output',
        );
        expect(outputs.map((e) => e.stepId)).toEqual(
          produced.slice(0, outputs.length).map((p) => p.stepId),
        );
        // A good output on a stale read is logged as refused, not as a verdict that counts.
        const verdicts = context.history.flatMap((e) =>
          e.kind === 'verdict'
            ? [[e.stepId, e.accept]]
            : e.kind === 'step.stale'
              ? [[e.stepId, true]]
              : [],
        );
        expect(verdicts).toEqual(given.slice(0, verdicts.length).map((g) => [g.stepId, g.accept]));
        expect(context.history.filter((e) => e.kind === 'end')).toHaveLength(1);
        // The shared state is every accepted write applied in order.
        expect(context.shared?.version).toBe(writes.length);
        for (const e of context.history)
          if (e.kind === 'step.stale') expect(e.read).not.toBe(e.current);
        // A completed run accepted every step of its last plan, each with an output it produced.
        const end = ends[0];
        if (end?.type === 'run.completed')
          for (const step of context.steps)
            expect(produced.map((p) => p.output)).toContain(end.outputs[step.id]);
      }),
      { numRuns: 300 },
    );
  });
});
