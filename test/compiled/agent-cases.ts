// Generated cases for the agent machine: inputs with and without resource limits and slots,
// and sequences of every AgentEvent (tasks that fit and that do not, releases of held and
// unknown tasks, handovers, heartbeats, drain, stop, crash, terminate) between clock
// advances around the heartbeat timeout.
import fc from 'fast-check';
import type { AgentEvent, AgentMachineInput } from '../../machines/agent.js';
import {
  advance,
  anyEvent,
  atOffset,
  childEvents,
  type EventArbitraries,
  steps,
} from './case-steps.js';

export const agentInput: fc.Arbitrary<AgentMachineInput> = fc.record(
  {
    agentId: fc.constant('a1'),
    capabilities: fc.subarray(['cpu', 'gpu']),
    resources: fc.record(
      { cpu: fc.integer({ min: 0, max: 4 }), mem: fc.integer({ min: 0, max: 8 }) },
      { requiredKeys: [] },
    ),
    slots: fc.integer({ min: 1, max: 3 }),
    heartbeatTimeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 })),
  },
  { requiredKeys: ['agentId', 'capabilities', 'heartbeatTimeoutMs'] },
);

const taskId = fc.constantFrom('t1', 't2', 't3', 't4');
/** What a task asks for: nothing, what fits, more than any agent has, an undeclared kind. */
const resources = fc.oneof(
  fc.constant({}),
  fc.record({ cpu: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ mem: fc.integer({ min: 1, max: 10 }), cpu: fc.constant(1) }),
  fc.constant({ gpu: 1 }),
);

export const agentEvents: EventArbitraries<AgentEvent> = {
  ready: fc.record({ type: fc.constant('ready'), at: atOffset }),
  'start.failed': fc.record({
    type: fc.constant('start.failed'),
    message: fc.constant('no such binary'),
    at: atOffset,
  }),
  'task.assign': fc.record(
    { type: fc.constant('task.assign'), taskId, resources, at: atOffset },
    { requiredKeys: ['type', 'taskId', 'at'] },
  ),
  'task.release': fc.record({ type: fc.constant('task.release'), taskId, at: atOffset }),
  'task.handover': fc.record(
    {
      type: fc.constant('task.handover'),
      releaseTaskId: taskId,
      taskId,
      resources,
      at: atOffset,
    },
    { requiredKeys: ['type', 'releaseTaskId', 'taskId', 'at'] },
  ),
  heartbeat: fc.record({ type: fc.constant('heartbeat'), at: atOffset }),
  'heartbeat.missed': fc.record({ type: fc.constant('heartbeat.missed') }),
  crash: fc.record({ type: fc.constant('crash'), message: fc.constant('segfault'), at: atOffset }),
  terminate: fc.record({ type: fc.constant('terminate'), at: atOffset }),
  drain: fc.record({ type: fc.constant('drain') }),
  stop: fc.record({ type: fc.constant('stop') }),
};

/** Work comes and goes often; the events that end an agent come rarely. */
const weights = {
  ready: 10,
  'task.assign': 10,
  'task.release': 6,
  'task.handover': 6,
  heartbeat: 5,
  terminate: 2,
  drain: 2,
};

export const agentCase = (maxLength: number) =>
  agentInput.chain((input) =>
    steps(
      anyEvent(agentEvents, weights, [childEvents('task:t1')]),
      advance([input.heartbeatTimeoutMs]),
      {
        maxLength,
        advanceWeight: 4,
        together: fc.tuple(agentEvents.ready, agentEvents['task.assign']),
      },
    ).map((s) => ({ input, steps: s })),
  );
