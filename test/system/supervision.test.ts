import { describe, expect, it } from 'vitest';
import { AgentCrash, type RestartStrategy } from '../../src/index.js';
import { settle, startSystem } from '../support/system-harness.js';

const crashing = async (input: unknown) => {
  if (input === 'crash') throw new AgentCrash('boom');
  return input;
};

describe.each<[RestartStrategy, string[]]>([
  ['one_for_one', ['b']],
  ['one_for_all', ['a', 'b', 'c']],
  ['rest_for_one', ['b', 'c']],
])('a three-agent %s supervisor', (strategy, restarted) => {
  it(`restarts ${restarted.join(', ')} when b crashes`, async () => {
    const { system, of } = startSystem({
      restartBackoff: { kind: 'fixed', delayMs: 0 },
      agents: [
        {
          supervisor: 'trio',
          strategy,
          children: ['a', 'b', 'c'].map((id) => ({ id, capabilities: [id], handler: crashing })),
        },
      ],
    });
    await system.submit({
      type: 'x',
      input: 'crash',
      capabilities: ['b'],
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
    });
    await settle();
    expect(
      of('agent.restarted')
        .map((e) => e.agentId)
        .sort(),
    ).toEqual(restarted);
    expect(of('agent.restarted').every((e) => e.supervisorId === 'trio')).toBe(true);
  });
});

describe('restart intensity', () => {
  it('escalates through two levels: the pool gives up, the root restarts it, then gives up too', async () => {
    const { system, of, advance } = startSystem({
      intensity: { maxRestarts: 1, periodMs: 60_000 },
      restartBackoff: { kind: 'fixed', delayMs: 0 },
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      agents: [
        {
          supervisor: 'pool',
          intensity: { maxRestarts: 0, periodMs: 60_000 },
          children: [{ id: 'w', handler: crashing }],
        },
      ],
    });
    await system.submit({ type: 'x', input: 'crash' });
    await settle();
    expect(of('supervisor.escalated').map((e) => e.supervisorId)).toEqual(['pool']);
    expect(of('agent.restarted').map((e) => e.agentId)).toEqual(['w']);
    expect(system.phase).toBe('running');
    await advance(1);
    await system.submit({ type: 'x', input: 'crash' });
    await settle();
    expect(of('supervisor.escalated').map((e) => e.supervisorId)).toEqual(['pool', 'pool', 'root']);
    expect(system.phase).toBe('failed');
  });

  it('forgets restarts older than the period', async () => {
    const { system, of, advance } = startSystem({
      intensity: { maxRestarts: 1, periodMs: 1_000 },
      restartBackoff: { kind: 'fixed', delayMs: 0 },
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      agents: [{ id: 'w', handler: crashing }],
    });
    await system.submit({ type: 'x', input: 'crash' });
    await settle();
    await advance(1_000);
    await system.submit({ type: 'x', input: 'crash' });
    await settle();
    expect(of('supervisor.escalated')).toEqual([]);
    expect(of('agent.restarted')).toHaveLength(2);
  });

  it('does not restart a temporary agent', async () => {
    const { system, of } = startSystem({
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
      agents: [{ id: 'once', restart: 'temporary', handler: crashing }],
    });
    await system.submit({ type: 'x', input: 'crash' });
    await settle();
    expect(of('agent.restarted')).toEqual([]);
    expect(system.agents()).toMatchObject([{ id: 'once', state: 'lost' }]);
  });
});
