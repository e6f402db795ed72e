// A team run's record, on simulated time: handed over once when the run ends, with its
// plans, each step's runs (what they were told, returned, how they were judged, the tools
// they called), its accepted outputs and its history stamped with clock times; and run
// records as JSON lines, appended and read back with each bad line named.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { z } from 'zod';
import {
  type AgentDeclaration,
  defineTool,
  type HandlerContext,
  InvalidRunRecord,
  jsonLinesRecorder,
  readRunRecords,
  runTeam,
  type TeamRunRecord,
  type TeamSpec,
  type ToolCalls,
} from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

interface StepInput {
  readonly step: string;
  readonly inputs: Record<string, unknown>;
  readonly feedback: readonly string[];
}
type Judge = (input: { step: { id: string }; output: unknown }) => unknown;

const tripPlan = {
  steps: [
    { id: 'flight', capability: 'flights', input: { to: 'Lisbon' } },
    { id: 'hotel', capability: 'hotels' },
    { id: 'itinerary', capability: 'writer', dependsOn: ['flight', 'hotel'] },
  ],
};
const tools = {
  fares: defineTool({
    input: z.object({ to: z.string() }),
    output: z.number(),
    handler: () => 129,
  }),
};

/** A team whose workers take 10 ms of simulated time; the flights worker calls a tool. */
function team(options: { judge?: Judge; work?: (input: StepInput) => unknown } = {}) {
  let clock: SimulatedClock | undefined;
  const after10ms = <T>(value: T) =>
    new Promise<T>((resolve) => clock?.setTimeout(() => resolve(value), 10));
  const worker = (capability: string, toolNames: string[] = []): AgentDeclaration => ({
    id: capability,
    capabilities: [capability],
    tools: toolNames,
    handler: async (input: StepInput, ctx: HandlerContext<ToolCalls<typeof tools>>) => {
      const fare = capability === 'flights' ? await ctx.tools.fares({ to: 'Lisbon' }) : undefined;
      const output = options.work?.(input) ?? { done: input.step, fare, from: input.inputs };
      return after10ms(output);
    },
  });
  const h = startSystem({
    tools,
    agents: [
      { id: 'planner', capabilities: ['plan'], handler: () => tripPlan },
      worker('flights', ['fares']),
      worker('hotels'),
      worker('writer'),
      {
        id: 'validator',
        capabilities: ['judge'],
        handler: (input: Parameters<Judge>[0]) => options.judge?.(input) ?? { verdict: 'accept' },
      },
    ],
  });
  clock = h.clock;
  const records: TeamRunRecord[] = [];
  const spec: TeamSpec = {
    goal: 'a weekend in Lisbon',
    planner: 'plan',
    validator: 'judge',
    record: (r) => records.push(r),
  };
  // Settle first: work answered at once lands at the time it was asked, not at the end.
  const advance = async (ms: number) => {
    await h.advance(0);
    await h.advance(ms);
  };
  return { ...h, advance, records, spec };
}

const withoutStamps = (history: TeamRunRecord['history']) => history.map(({ at: _, ...e }) => e);

describe('a team run’s record', () => {
  it('has the plans, each step’s run, the accepted outputs and the history in clock order', async () => {
    const t = team();
    t.clock.set(1_000);
    const run = runTeam(t.system, t.spec);
    await t.advance(100);
    const result = await run.result();
    expect(t.records).toHaveLength(1);
    const [record] = t.records as [TeamRunRecord];
    expect(record).toMatchObject({
      version: 1,
      runId: run.id,
      goal: 'a weekend in Lisbon',
      outcome: 'completed',
      rounds: 1,
      startedAt: 1_000,
      outputs: result.outputs,
    });
    expect(record).not.toHaveProperty('reason');
    expect(record.plans).toEqual([
      [
        { id: 'flight', capability: 'flights', input: { to: 'Lisbon' }, dependsOn: [] },
        { id: 'hotel', capability: 'hotels', input: undefined, dependsOn: [] },
        { id: 'itinerary', capability: 'writer', input: undefined, dependsOn: ['flight', 'hotel'] },
      ],
    ]);
    expect(record.steps.flight).toEqual([
      {
        round: 1,
        run: 1,
        capability: 'flights',
        input: { to: 'Lisbon' },
        inputs: {},
        feedback: [],
        requestedAt: 1_000,
        taskId: expect.any(String),
        endedAt: 1_010,
        output: { done: 'flight', fare: 129, from: {} },
        verdict: { accept: true },
        toolCalls: [expect.objectContaining({ tool: 'fares', agentId: 'flights', outcome: 'ok' })],
      },
    ]);
    expect(record.steps.itinerary?.[0]).toMatchObject({
      requestedAt: 1_010,
      inputs: { flight: result.outputs.flight, hotel: result.outputs.hotel },
      toolCalls: [],
    });
    // The history is the machine's, each entry stamped when the runtime saw it.
    expect(withoutStamps(record.history)).toEqual(result.history);
    expect(result.history.some((e) => 'at' in e)).toBe(false);
    const stamps = record.history.map((e) => e.at);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(record.history.at(-1)).toEqual({ kind: 'end', outcome: 'completed', at: 1_020 });
    expect(record).toMatchObject({ endedAt: 1_020, durationMs: 20 });
  });

  it('keeps every run of a step: a repair’s issues, a rejection’s feedback, the last verdict', async () => {
    let rejected = false;
    const t = team({
      work: (input) =>
        input.step === 'hotel' && input.feedback.length === 0 ? { stars: 'five' } : undefined,
      judge: ({ step }) => {
        if (step.id !== 'hotel' || rejected) return { verdict: 'accept' };
        rejected = true;
        return { verdict: 'reject', feedback: 'too far from the centre' };
      },
    });
    runTeam(t.system, {
      ...t.spec,
      outputs: { hotels: z.object({ done: z.string() }) },
    });
    await t.advance(100);
    const hotel = t.records[0]?.steps.hotel ?? [];
    expect(
      hotel.map(({ run, feedback, issues, verdict, output }) => ({
        run,
        feedback,
        issues,
        verdict,
        output,
      })),
    ).toEqual([
      {
        run: 1,
        feedback: [],
        issues: [expect.stringMatching(/^done: /)],
        verdict: undefined,
        output: { stars: 'five' },
      },
      {
        run: 2,
        feedback: [expect.stringMatching(/did not fit its schema: done/)],
        issues: undefined,
        verdict: { accept: false, feedback: 'too far from the centre' },
        output: expect.objectContaining({ done: 'hotel' }),
      },
      {
        run: 3,
        feedback: [
          expect.stringMatching(/did not fit its schema/),
          'the validator rejected your output: too far from the centre',
        ],
        issues: undefined,
        verdict: { accept: true },
        output: expect.objectContaining({ done: 'hotel' }),
      },
    ]);
  });

  it('records a failed run with its reason and the history’s end, once', async () => {
    const t = team({ judge: () => ({ verdict: 'reject', feedback: 'never good enough' }) });
    const run = runTeam(t.system, { ...t.spec, maxRounds: 1, maxStepRuns: 1 });
    await t.advance(100);
    await expect(run.result()).rejects.toThrow(/no plan passed in 1 rounds/);
    expect(t.records).toHaveLength(1);
    const [record] = t.records as [TeamRunRecord];
    expect(record).toMatchObject({ outcome: 'failed', rounds: 1, outputs: {} });
    expect(record.reason).toMatch(/no plan passed in 1 rounds: .*never good enough/);
    expect(record.history.at(-1)).toMatchObject({
      kind: 'end',
      outcome: 'failed',
      reason: record.reason,
      at: record.endedAt,
    });
    expect(record.steps.flight?.[0]).toMatchObject({
      verdict: { accept: false, feedback: 'never good enough' },
      error: 'still rejected after 1 run: never good enough',
    });
  });

  it('records a cancelled run, its steps in flight without an end', async () => {
    const t = team({ work: () => new Promise(() => {}) });
    const run = runTeam(t.system, t.spec);
    await t.advance(5);
    run.cancel('user left');
    await t.advance(5);
    expect(t.records).toHaveLength(1);
    expect(t.records[0]).toMatchObject({ outcome: 'cancelled', reason: 'user left', endedAt: 5 });
    expect(t.records[0]?.steps.flight?.[0]).not.toHaveProperty('endedAt');
  });
});

describe('run records as JSON lines', () => {
  const sample = (runId: string): TeamRunRecord => ({
    version: 1,
    runId,
    goal: { city: 'Lisbon' },
    outcome: 'completed',
    rounds: 1,
    startedAt: 0,
    endedAt: 20,
    durationMs: 20,
    plans: [],
    steps: {},
    outputs: { flight: { price: 129 } },
    history: [{ kind: 'end', outcome: 'completed', at: 20 }],
  });

  it('appends one line per record, creating the directory, and reads them back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'overseer-')), 'runs', 'team.jsonl');
    const record = jsonLinesRecorder(path);
    record(sample('team-a'));
    record(sample('team-b'));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1] ?? '')).toEqual(sample('team-b'));
    expect(readRunRecords(path)).toEqual([sample('team-a'), sample('team-b')]);
  });

  it('names the line and the field of a line that is not a record', () => {
    const file = (...lines: string[]) => {
      const path = join(mkdtempSync(join(tmpdir(), 'overseer-')), 'runs.jsonl');
      writeFileSync(path, lines.join('\n'));
      return path;
    };
    const good = JSON.stringify(sample('team-a'));
    const errorOf = (path: string) => {
      try {
        readRunRecords(path);
      } catch (error) {
        return error as InvalidRunRecord;
      }
      throw new Error('expected InvalidRunRecord');
    };
    const notJson = errorOf(file(good, '', '{"version": 1,'));
    expect(notJson).toBeInstanceOf(InvalidRunRecord);
    expect(notJson.line).toBe(3);
    expect(notJson.message).toMatch(/runs\.jsonl:3: not JSON/);
    const shape = errorOf(file(JSON.stringify({ ...sample('x'), outcome: 'done' })));
    expect(shape.message).toMatch(
      /runs\.jsonl:1: outcome: must be one of completed, failed, cancelled, got "done"/,
    );
    const stamp = errorOf(file(JSON.stringify({ ...sample('x'), history: [{ kind: 'end' }] })));
    expect(stamp.message).toMatch(/:1: history\[0\]\.at: must be a finite number/);
    expect(errorOf(file('', '')).message).toMatch(/has no run records/);
    expect(errorOf(join(tmpdir(), 'no-such-dir', 'x.jsonl')).message).toMatch(/cannot read/);
  });
});
