// A team run outlives a restart on the same store: one waiting for approval still waits (for
// what is left of its timeout), and one with a step in flight goes on with the same task,
// never a second run of work already done. Both stores.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  approveTeamRun,
  createSystem,
  memoryStore,
  resumeTeam,
  runTeam,
  type Store,
  sqliteStore,
  storedTeamRuns,
  TeamRunFailed,
  UnknownTeamRun,
} from '../../src/index.js';
import { advanceClock, seededRandom } from '../support/system-harness.js';

const plan = {
  steps: [
    { id: 'search', capability: 'search', input: { to: 'Lisbon' } },
    { id: 'book', capability: 'booking', dependsOn: ['search'] },
  ],
};
const team = { name: 'trip', planner: 'plan', validator: 'judge' } as const;

/** A system on its own clock from `at`: counts what each agent ran; `hang` never finishes. */
function teamSystem(store: Store, at: number, hang: ReadonlySet<string> = new Set()) {
  const clock = new SimulatedClock();
  clock.set(at);
  const ran = { plan: 0, search: 0, booking: 0, judge: 0 };
  const agent = (capability: keyof typeof ran, output: unknown) => ({
    id: capability,
    capabilities: [capability],
    handler: () => {
      ran[capability]++;
      return hang.has(capability) ? new Promise(() => undefined) : output;
    },
  });
  const system = createSystem({
    clock,
    random: seededRandom(5),
    store,
    heartbeatTimeoutMs: 1_000,
    heartbeatIntervalMs: 200,
    agents: [
      agent('plan', plan),
      agent('search', { flight: 'TP 123' }),
      agent('booking', { booked: true }),
      agent('judge', { verdict: 'accept' }),
    ],
  });
  return { system: system.start(), clock, ran, advance: (ms: number) => advanceClock(clock, ms) };
}

/** The first process "dies": abandoned, never stopped; its claim on the store ends with it. */
function crash(store: Store) {
  const claim = store.claimOwner({ holder: 'probe', now: 0, until: 0 });
  if (!claim.ok) store.releaseOwner(claim.holder);
}

describe.each([
  ['memory', () => memoryStore()],
  ['sqlite', () => sqliteStore(join(mkdtempSync(join(tmpdir(), 'overseer-team-')), 'state.db'))],
])('a team run on a %s store', (_kind, openStore) => {
  it('still waits for approval after a restart, and goes on when approved', async () => {
    const store = openStore();
    const first = teamSystem(store, 0);
    const run = runTeam(first.system, {
      ...team,
      goal: 'a weekend in Lisbon',
      approval: { plan: true, timeoutMs: 60_000 },
    });
    await first.advance(100);
    expect(run.state()).toBe('awaitingApproval');
    crash(store);

    const second = teamSystem(store, 5_000);
    expect(storedTeamRuns(second.system)).toEqual([
      {
        runId: run.id,
        name: 'trip',
        goal: 'a weekend in Lisbon',
        state: 'awaitingApproval',
        round: 1,
        savedAt: expect.any(Number),
      },
    ]);
    const resumed = resumeTeam(second.system, run.id, team);
    await second.advance(1_000);
    expect(resumed.state()).toBe('awaitingApproval');
    expect(second.ran).toMatchObject({ plan: 0, search: 0 });
    expect(approveTeamRun(second.system, run.id, { accept: true })).toBe(true);
    await second.advance(100);
    const result = await resumed.result();
    expect(result.outputs).toEqual({ search: { flight: 'TP 123' }, book: { booked: true } });
    // The plan was made once, before the restart; the steps ran once, after it.
    expect(first.ran.plan + second.ran.plan).toBe(1);
    expect(second.ran).toMatchObject({ search: 1, booking: 1 });
    expect(result.history.map((e) => e.kind)).toEqual([
      'plan',
      'approval.requested',
      'approval',
      'step.output',
      'verdict',
      'step.output',
      'verdict',
      'end',
    ]);
    expect(storedTeamRuns(second.system)).toEqual([]);
    await second.system.stop({ timeoutMs: 0 });
    await store.close();
  });

  it('times out a wait across a restart on what was left of it', async () => {
    const store = openStore();
    const first = teamSystem(store, 0);
    const run = runTeam(first.system, {
      ...team,
      goal: 'g',
      approval: { plan: true, timeoutMs: 10_000 },
    });
    await first.advance(100);
    crash(store);
    const second = teamSystem(store, 6_000);
    const resumed = resumeTeam(second.system, run.id, team);
    await second.advance(3_900);
    expect(resumed.state()).toBe('awaitingApproval');
    await second.advance(300);
    await expect(resumed.result()).rejects.toThrow(/no one approved the plan in time/);
    await expect(resumed.result()).rejects.toBeInstanceOf(TeamRunFailed);
    await second.system.stop({ timeoutMs: 0 });
    await store.close();
  });

  it('goes on with the same task for a step in flight, not a second one', async () => {
    const store = openStore();
    const first = teamSystem(store, 0, new Set(['search']));
    const run = runTeam(first.system, { ...team, goal: 'g' });
    await first.advance(100);
    expect(run.state()).toBe('executing');
    expect(first.ran.search).toBe(1);
    crash(store);
    // Back after the search's lease expired: the task runs again as its own next attempt.
    const second = teamSystem(store, 5_000);
    const resumed = resumeTeam(second.system, run.id, team);
    await second.advance(500);
    // The resumed run asked for the search again and got the recovered task, waiting out
    // its retry backoff: nothing new was submitted.
    expect(resumed.state()).toBe('executing');
    expect(store.load(second.clock.now()).tasks.map((t) => t.spec.type)).toEqual([
      'team.plan',
      'team.step',
    ]);
    await second.advance(5_000);
    const result = await resumed.result();
    expect(result.outputs.search).toEqual({ flight: 'TP 123' });
    expect(second.ran).toMatchObject({ plan: 0, search: 1, booking: 1 });
    const searches = store
      .load(second.clock.now())
      .tasks.filter((t) => t.spec.type === 'team.step');
    expect(searches.map((t) => t.spec.capabilities[0])).toEqual(['search', 'booking']);
    expect(searches[0]?.attempt).toBe(2);
    await second.system.stop({ timeoutMs: 0 });
    await store.close();
  });
});

describe('resuming a team run', () => {
  it('refuses an id the store does not hold, and a run that goes on already', async () => {
    const store = memoryStore();
    const s = teamSystem(store, 0);
    expect(() => resumeTeam(s.system, 'team-nope', team)).toThrow(UnknownTeamRun);
    const run = runTeam(s.system, { ...team, goal: 'g', approval: { plan: true } });
    await s.advance(100);
    expect(() => resumeTeam(s.system, run.id, team)).toThrow(/runs already/);
    expect(() => approveTeamRun(s.system, 'team-nope', { accept: true })).toThrow(
      /no team run with id team-nope going on/,
    );
    expect(approveTeamRun(s.system, run.id, { accept: true })).toBe(true);
    await s.advance(100);
    await run.result();
  });

  it('is left as saved when its system stops, its result saying how to go on', async () => {
    const store = memoryStore();
    const first = teamSystem(store, 0);
    const run = runTeam(first.system, { ...team, goal: 'g', approval: { plan: true } });
    await first.advance(100);
    await first.system.stop({ timeoutMs: 0 });
    await expect(run.result()).rejects.toThrow(
      new RegExp(`its system stopped; the run is saved, and resumeTeam\\(system, '${run.id}'`),
    );
    const second = teamSystem(store, 200);
    expect(storedTeamRuns(second.system).map((r) => [r.runId, r.state])).toEqual([
      [run.id, 'awaitingApproval'],
    ]);
  });
});
