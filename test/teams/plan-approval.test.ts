import { describe, expect, it } from 'vitest';
import { runTeam, TeamRunFailed } from '../../src/index.js';
import { startSystem } from '../support/system-harness.js';

const plan = { steps: [{ id: 'book', capability: 'booking', input: { seat: '12A' } }] };

function team() {
  const plans: { round: number; feedback: readonly string[] }[] = [];
  const booked: unknown[] = [];
  const h = startSystem({
    agents: [
      {
        id: 'planner',
        capabilities: ['plan'],
        handler: (input: { round: number; feedback: readonly string[] }) => {
          plans.push(input);
          return plan;
        },
      },
      {
        id: 'booker',
        capabilities: ['booking'],
        handler: (input: unknown) => {
          booked.push(input);
          return { booked: true };
        },
      },
      { id: 'judge', capabilities: ['judge'], handler: () => ({ verdict: 'accept' }) },
    ],
  });
  return { ...h, plans, booked };
}

const spec = { goal: 'book a seat', planner: 'plan', validator: 'judge' };

describe('approval of a team’s plan', () => {
  it('waits in its own state, runs nothing until approved, then proceeds', async () => {
    const t = team();
    const run = runTeam(t.system, { ...spec, approval: { plan: true } });
    const seen: string[] = [];
    run.subscribe((entry) => seen.push(entry.kind));
    await t.advance(1_000);
    expect(run.state()).toBe('awaitingApproval');
    expect(seen).toContain('approval.requested');
    expect(t.booked).toEqual([]);
    expect(run.approve({ accept: true })).toBe(true);
    await t.advance(10);
    await run.result();
    expect(t.booked).toHaveLength(1);
    expect(run.approve({ accept: true })).toBe(false); // nothing waits any more
  });

  it('replans a rejected plan with the person’s feedback', async () => {
    const t = team();
    const run = runTeam(t.system, { ...spec, approval: { plan: true } });
    await t.advance(10);
    run.approve({ accept: false, feedback: 'window seats only' });
    await t.advance(10);
    expect(t.plans[1]?.feedback).toEqual(['a person rejected the plan: window seats only']);
    expect(t.booked).toEqual([]);
    run.approve({ accept: true });
    await t.advance(10);
    expect((await run.result()).rounds).toBe(2);
  });

  it('fails when no one answers in time, or proceeds if told to', async () => {
    const t = team();
    const failing = runTeam(t.system, { ...spec, approval: { plan: true, timeoutMs: 5_000 } });
    await t.advance(10); // the plan comes; the wait begins (by 10 ms)
    expect(failing.state()).toBe('awaitingApproval');
    await t.advance(4_980);
    expect(failing.state()).toBe('awaitingApproval');
    await t.advance(100);
    const error = (await failing.result().catch((e: unknown) => e)) as TeamRunFailed;
    expect(error).toBeInstanceOf(TeamRunFailed);
    expect(error.reason).toBe('no one approved the plan in time');
    expect(t.booked).toEqual([]);
    const proceeding = runTeam(t.system, {
      ...spec,
      approval: { plan: true, timeoutMs: 5_000, onTimeout: 'proceed' },
    });
    await t.advance(10);
    await t.advance(5_100);
    await proceeding.result();
    expect(t.booked).toHaveLength(1);
    expect(proceeding.history().find((e) => e.kind === 'approval')).toEqual({
      kind: 'approval',
      accept: true,
      timedOut: true,
    });
  });

  it('refuses a malformed approval option, naming it', () => {
    const t = team();
    expect(() =>
      runTeam(t.system, { ...spec, approval: { plan: true, onTimeout: 'shrug' as 'fail' } }),
    ).toThrow(/team\.approval/);
  });
});
