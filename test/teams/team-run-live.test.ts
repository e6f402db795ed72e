// A team run on a system, live: a named step waits for a person before it runs (answered by
// the run's id), steps read the shared state and write back only on a current read, and
// their progress streams to the run's listeners.
import { describe, expect, it } from 'vitest';
import {
  approveTeamRun,
  type HandlerContext,
  InvalidTaskSpec,
  runTeam,
  type TeamEvent,
  teamRuns,
} from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

interface StepInput {
  readonly step: string;
  readonly input: { readonly price?: number };
  readonly run: number;
  readonly state?: { readonly version: number; readonly value: { spent: number } };
  readonly feedback: readonly string[];
}

const plan = {
  steps: [
    { id: 'flight', capability: 'buy', input: { price: 300 } },
    { id: 'hotel', capability: 'buy', input: { price: 200 } },
    { id: 'book', capability: 'booking', dependsOn: ['flight', 'hotel'] },
  ],
};

function team() {
  const seen: StepInput[] = [];
  const h = startSystem({
    agents: [
      { id: 'planner', capabilities: ['plan'], handler: () => plan },
      {
        id: 'buyer',
        capabilities: ['buy'],
        concurrency: 2,
        handler: (input: StepInput, ctx: HandlerContext) => {
          seen.push(input);
          ctx.progress(0.5, `pricing ${input.step}`);
          return { step: input.step, price: input.input.price };
        },
      },
      {
        id: 'booker',
        capabilities: ['booking'],
        handler: (input: StepInput) => {
          seen.push(input);
          return { booked: true };
        },
      },
      { id: 'judge', capabilities: ['judge'], handler: () => ({ verdict: 'accept' }) },
    ],
  });
  return { ...h, seen };
}

const spec = { goal: 'a trip', planner: 'plan', validator: 'judge' };
const spending = {
  initial: { spent: 0 },
  writes: {
    buy: (output: { price: number }, read: Readonly<Record<string, unknown>>) => ({
      spent: (read.spent as number) + output.price,
    }),
  },
};

describe('a team run, live', () => {
  it('holds a named step until a person approves it by the run’s id', async () => {
    const t = team();
    const run = runTeam(t.system, { ...spec, approval: { steps: ['book'] } });
    const events: TeamEvent[] = [];
    run.subscribe((e) => events.push(e));
    await t.advance(1_000);
    expect(run.state()).toBe('awaitingApproval');
    expect(events.find((e) => e.kind === 'approval.requested')).toEqual({
      kind: 'approval.requested',
      round: 1,
      stepIds: ['book'],
    });
    expect(t.seen.map((s) => s.step).sort()).toEqual(['flight', 'hotel']);
    expect(teamRuns(t.system).map((r) => r.id)).toEqual([run.id]);
    expect(approveTeamRun(t.system, run.id, { accept: true })).toBe(true);
    await t.advance(1_000);
    expect((await run.result()).outputs.book).toEqual({ booked: true });
    expect(teamRuns(t.system)).toEqual([]);
  });

  it('hands steps the shared state and re-runs one whose write was overtaken', async () => {
    const t = team();
    const run = runTeam(t.system, { ...spec, state: spending });
    await t.advance(1_000);
    const result = await run.result();
    // Both purchases read version 0; the first accepted wrote version 1, so the other's
    // write was refused and it ran again on version 1: no purchase was counted on a stale read.
    expect(result.state).toEqual({ version: 2, value: { spent: 500 } });
    const bought = t.seen.filter((s) => s.step !== 'book');
    expect(bought.map((s) => [s.step, s.run, s.state?.version])).toEqual([
      ['flight', 1, 0],
      ['hotel', 1, 0],
      ['hotel', 2, 1],
    ]);
    expect(bought[2]?.feedback.at(-1)).toMatch(/the shared state changed while you worked/);
    expect(t.seen.find((s) => s.step === 'book')?.state).toEqual({
      version: 2,
      value: { spent: 500 },
    });
    expect(result.history.filter((e) => e.kind === 'step.stale')).toEqual([
      { kind: 'step.stale', stepId: 'hotel', read: 0, current: 1 },
    ]);
  });

  it('streams each step’s progress and partial output to the run’s listeners', async () => {
    const t = team();
    const run = runTeam(t.system, spec);
    const progress: TeamEvent[] = [];
    run.subscribe((e) => {
      if (e.kind === 'step.progress') progress.push(e);
    });
    await t.advance(1_000);
    await run.result();
    expect(progress).toEqual([
      { kind: 'step.progress', stepId: 'flight', run: 1, progress: 0.5, note: 'pricing flight' },
      { kind: 'step.progress', stepId: 'hotel', run: 1, progress: 0.5, note: 'pricing hotel' },
    ]);
  });

  it('fails a step whose write function throws, naming it', async () => {
    const t = team();
    const run = runTeam(t.system, {
      ...spec,
      maxRounds: 1,
      state: {
        initial: {},
        writes: {
          buy: () => {
            throw new Error('no budget');
          },
        },
      },
    });
    await t.advance(1_000);
    await expect(run.result()).rejects.toThrow(/state\.writes\.buy threw: no budget/);
  });

  it('refuses malformed approval and state settings, naming the field', () => {
    const t = team();
    const bad = (extra: object, field: RegExp) => {
      const attempt = () => runTeam(t.system, { ...spec, ...extra } as never);
      expect(attempt).toThrow(InvalidTaskSpec);
      expect(attempt).toThrow(field);
    };
    bad({ approval: { step: ['book'] } }, /team\.approval\.step/);
    bad({ approval: { steps: 'book' } }, /team\.approval\.steps/);
    bad({ approval: { plan: 'yes' } }, /team\.approval\.plan/);
    bad({ approval: { plan: true, onTimeout: 'skip' } }, /team\.approval\.onTimeout/);
    bad({ state: { initial: 3 } }, /team\.state\.initial/);
    bad({ state: { initial: {}, writes: { buy: 1 } } }, /team\.state\.writes\.buy/);
    bad({ name: '' }, /team\.name/);
    expect(() => approveTeamRun(t.system, 'x', { accept: true })).toThrow(/no team run/);
  });
});
