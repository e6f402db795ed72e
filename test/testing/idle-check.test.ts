// Invariant 11's checker on hand-written histories: a ready task may meet an idle agent
// that could run it only within one tick, and a shutdown is no violation.
import { describe, expect, it } from 'vitest';
import type { OverseerEvent } from '../../src/index.js';
import { checkHistory } from '../../src/testing/index.js';

const submitted = (
  taskId: string,
  at = 0,
  capabilities = ['x'],
  resources = {},
): OverseerEvent => ({
  type: 'task.submitted',
  taskId,
  attempt: 0,
  taskType: 'w',
  priority: 0,
  capabilities,
  resources,
  dependsOn: [],
  deadline: undefined,
  maxAttempts: 2,
  at,
});
const registered = (agentId: string, at: number, capabilities = ['x'], resources = {}) =>
  ({ type: 'agent.registered', agentId, capabilities, resources, slots: 1, at }) as const;
const ready = (taskId: string, at: number) =>
  ({ type: 'task.ready', taskId, attempt: 0, at }) as const;
const busy = (agentId: string, at: number) =>
  ({ type: 'agent.busy', agentId, tasks: 1, at }) as const;
const idle = (agentId: string, at: number) => ({ type: 'agent.idle', agentId, at }) as const;
const assigned = (taskId: string, agentId: string, at: number) =>
  ({ type: 'task.assigned', taskId, agentId, attempt: 0, at }) as const;
const completed = (taskId: string, at: number) =>
  ({ type: 'task.completed', taskId, attempt: 1, output: null, at }) as const;
/** Agent `a` runs `t0` from 0 to 10 and is idle after. */
const ran = (agentId = 'a'): OverseerEvent[] => [
  registered(agentId, 0),
  submitted('t0'),
  ready('t0', 0),
  busy(agentId, 0),
  assigned('t0', agentId, 0),
  completed('t0', 10),
  idle(agentId, 10),
];

const check = (history: readonly OverseerEvent[]) =>
  checkHistory(
    history,
    {
      accepted: [],
      quiescent: false,
      strictPriority: false,
      heartbeatTimeoutMs: 200,
      rejected: [],
    },
    [11],
  ).map((v) => v.message);

describe('invariant 11: no ready task waits beside a fitting idle agent', () => {
  it('holds when the agent takes the task in the tick it became ready', () => {
    expect(
      check([
        ...ran(),
        submitted('t1', 20),
        ready('t1', 20),
        busy('a', 20),
        assigned('t1', 'a', 20),
      ]),
    ).toEqual([]);
  });

  it('catches a retry left ready beside the agent its late handler just freed', () => {
    // Issue 12's defect A: attempt 1 times out at 50 and its retry is due at 60, but the
    // handler frees the slot only at 100, and nothing gives the retry that slot.
    const history: OverseerEvent[] = [
      registered('a', 0),
      submitted('t1'),
      ready('t1', 0),
      busy('a', 0),
      assigned('t1', 'a', 0),
      { type: 'task.started', taskId: 't1', agentId: 'a', attempt: 1, at: 0 },
      {
        type: 'task.retrying',
        taskId: 't1',
        attempt: 1,
        error: { kind: 'timeout', code: 'TaskTimedOut', message: 'timed out after 50 ms' },
        retryAt: 60,
        at: 50,
      },
      ready('t1', 60),
      idle('a', 100),
    ];
    expect(check(history)).toEqual([
      expect.stringContaining('task t1 was still ready when the history ended (at 100)'),
    ]);
    expect(check([...history, busy('a', 100), assigned('t1', 'a', 100)])).toEqual([]);
  });

  it('catches a task that waited past a tick before an agent took it', () => {
    const history = [...ran(), submitted('t1', 10), ready('t1', 10), busy('a', 15)];
    expect(check([...history, assigned('t1', 'a', 15)])).toEqual([
      'task t1 waited ready from 10 to 15 while agent a sat idle and could run it',
    ]);
  });

  it('holds when the idle agent lacks a capability or enough of a resource', () => {
    expect(check([...ran(), submitted('t1', 10, ['y']), ready('t1', 10)])).toEqual([]);
    expect(check([...ran(), submitted('t1', 10, ['x'], { mem: 1 }), ready('t1', 10)])).toEqual([]);
  });

  it('holds when the idle agent left, failed, restarted or went with an escalation', () => {
    const waiting = [submitted('t1', 20), ready('t1', 20)];
    const gone: OverseerEvent[] = [
      { type: 'agent.removed', agentId: 'a', reason: 'removed from the system', at: 15 },
      { type: 'agent.restarted', agentId: 'a', supervisorId: 'root', at: 15 },
      { type: 'agent.failed', agentId: 'a', exit: { kind: 'abnormal', reason: 'crash' }, at: 15 },
      {
        type: 'supervisor.escalated',
        supervisorId: 'root',
        childId: 'b',
        childKind: 'agent',
        exit: { kind: 'abnormal', reason: 'crash' },
        at: 15,
      },
    ];
    for (const e of gone) expect(check([...ran(), e, ...waiting]), e.type).toEqual([]);
    // Back in service once it registers again.
    expect(check([...ran(), gone[1] as OverseerEvent, ...waiting, registered('a', 25)])).toEqual([
      expect.stringContaining('task t1 was still ready'),
    ]);
  });

  it('holds through a drain that stops the idle agent only at its turn', () => {
    // The system hands out nothing once draining: t2 becomes ready while `a` waits its turn.
    const history: OverseerEvent[] = [
      registered('a', 0),
      registered('b', 0),
      submitted('t0'),
      ready('t0', 0),
      busy('a', 0),
      assigned('t0', 'a', 0),
      submitted('t1'),
      submitted('t2'),
      ready('t1', 0),
      busy('b', 0),
      assigned('t1', 'b', 0),
      completed('t0', 10),
      idle('a', 10),
      completed('t1', 30),
      ready('t2', 30),
      { type: 'agent.removed', agentId: 'b', reason: 'exited and not restarted', at: 30 },
      { type: 'agent.removed', agentId: 'a', reason: 'exited and not restarted', at: 50 },
      { type: 'system.drained', at: 50 },
    ];
    expect(check(history)).toEqual([]);
    // A wait the system still handed out work after was no drain's.
    const before = [...ran(), submitted('t1', 10), ready('t1', 10), busy('a', 15)];
    expect(
      check([...before, assigned('t1', 'a', 15), { type: 'system.drained', at: 40 }]),
    ).toHaveLength(1);
  });
});
