// The agent lifecycle: registration, slots and resources held by tasks, heartbeat health,
// draining and exit. An agent that missed its heartbeats never returns to service: it is
// terminated and restarted, so a task's lease is never held by two live agents.
import { assign, cancel, emit, raise, setup } from 'xstate';
import type { AgentContext, AgentEmitted, AgentEvent, AgentMachineInput } from './agent-types.js';
import { addResources, resourcesFit, subtractResources } from './resources.js';

export type {
  AgentContext,
  AgentEmitted,
  AgentEvent,
  AgentMachineInput,
} from './agent-types.js';
export type { ChildExit } from './child-exit.js';

const HEARTBEAT_TIMER = 'heartbeat';

/** Tasks held: counted without building a key array, since guards ask on every event. */
const heldCount = (context: AgentContext) => {
  let n = 0;
  for (const _ in context.tasks) n++;
  return n;
};

/** The task an event gives back, if it gives one back. */
const releasedId = (event: AgentEvent): string | undefined =>
  event.type === 'task.release'
    ? event.taskId
    : event.type === 'task.handover'
      ? event.releaseTaskId
      : undefined;

export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
    input: {} as AgentMachineInput,
    emitted: {} as AgentEmitted,
  },
  guards: {
    canAccept: ({ context, event }) =>
      event.type === 'task.assign' &&
      !(event.taskId in context.tasks) &&
      heldCount(context) < context.slots &&
      resourcesFit(context.limits, context.inUse, event.resources ?? {}),
    canHandOver: ({ context, event }) => {
      if (event.type !== 'task.handover' || !(event.releaseTaskId in context.tasks)) return false;
      // The same task may take back the slot its timed-out attempt just gave up (a retry).
      if (event.taskId in context.tasks && event.taskId !== event.releaseTaskId) return false;
      const freed = subtractResources(context.inUse, context.tasks[event.releaseTaskId] ?? {});
      return resourcesFit(context.limits, freed, event.resources ?? {});
    },
    releasesLastTask: ({ context, event }) => {
      const id = releasedId(event);
      return id !== undefined && id in context.tasks && heldCount(context) === 1;
    },
    holdsNoTask: ({ context }) => heldCount(context) === 0,
  },
  delays: {
    heartbeatTimeout: ({ context }) => context.heartbeatTimeoutMs,
  },
  actions: {
    armHeartbeatTimer: raise(
      { type: 'heartbeat.missed' },
      { id: HEARTBEAT_TIMER, delay: 'heartbeatTimeout' },
    ),
    disarmHeartbeatTimer: cancel(HEARTBEAT_TIMER),
    recordHeartbeat: assign({
      lastHeartbeatAt: ({ context, event }) => ('at' in event ? event.at : context.lastHeartbeatAt),
    }),
    reserve: assign(({ context, event }) => {
      if (event.type !== 'task.assign' && event.type !== 'task.handover') return {};
      const needed = event.resources ?? {};
      return {
        tasks: { ...context.tasks, [event.taskId]: needed },
        inUse: addResources(context.inUse, needed),
      };
    }),
    release: assign(({ context, event }) => {
      const id = releasedId(event);
      if (id === undefined || !(id in context.tasks)) return {};
      const { [id]: held = {}, ...rest } = context.tasks;
      return { tasks: rest, inUse: subtractResources(context.inUse, held) };
    }),
    recordCrash: assign({
      exit: ({ event }) => ({
        kind: 'abnormal' as const,
        reason: event.type === 'start.failed' ? 'start-failed' : 'crash',
        message: 'message' in event ? event.message : 'agent crashed',
      }),
    }),
    recordUnresponsive: assign({
      exit: ({ context }) => ({
        kind: 'abnormal' as const,
        reason: 'unresponsive',
        message: `agent ${context.agentId} missed heartbeats for ${context.heartbeatTimeoutMs} ms`,
      }),
    }),
    recordStop: assign({
      exit: ({ context, event }) =>
        context.exit ?? {
          kind: event.type === 'stop' ? ('shutdown' as const) : ('normal' as const),
          reason: event.type === 'stop' ? 'stopped' : 'drained',
        },
    }),
    emitReady: emit(({ context }) => ({ type: 'agent.ready' as const, agentId: context.agentId })),
    emitBusy: emit(({ context }) => ({
      type: 'agent.busy' as const,
      agentId: context.agentId,
      tasks: heldCount(context),
    })),
    emitIdle: emit(({ context }) => ({ type: 'agent.idle' as const, agentId: context.agentId })),
    emitRejected: emit(({ context, event }) => ({
      type: 'agent.rejected' as const,
      agentId: context.agentId,
      taskId: event.type === 'task.assign' || event.type === 'task.handover' ? event.taskId : '',
    })),
    emitUnresponsive: emit(({ context }) => ({
      type: 'agent.unresponsive' as const,
      agentId: context.agentId,
      tasks: Object.keys(context.tasks),
    })),
    emitFailed: emit(({ context }) => ({
      type: 'agent.failed' as const,
      agentId: context.agentId,
      exit: context.exit ?? { kind: 'abnormal' as const, reason: 'crash' },
      tasks: Object.keys(context.tasks),
    })),
    emitChildError: emit(({ context, event }) => ({
      type: 'agent.child.error' as const,
      agentId: context.agentId,
      childId: 'actorId' in event ? event.actorId : '',
      message:
        'error' in event
          ? event.error instanceof Error
            ? event.error.message
            : String(event.error)
          : '',
    })),
    emitStopped: emit(({ context }) => ({
      type: 'agent.stopped' as const,
      agentId: context.agentId,
    })),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({
    agentId: input.agentId,
    capabilities: [...input.capabilities],
    limits: { ...(input.resources ?? {}) },
    inUse: {},
    slots: input.slots ?? 1,
    tasks: {},
    heartbeatTimeoutMs: input.heartbeatTimeoutMs,
    lastHeartbeatAt: null,
    exit: null,
  }),
  initial: 'starting',
  // Task actors run linked to their agent and report their end to it. A task actor's
  // error must never stop the agent (XState stops a parent on an unhandled child error).
  on: {
    'xstate.error.actor.*': { actions: 'emitChildError' },
    'xstate.done.actor.*': {},
  },
  states: {
    starting: {
      on: {
        ready: { target: 'online', actions: ['recordHeartbeat', 'emitReady'] },
        'start.failed': { target: 'failed', actions: 'recordCrash' },
        crash: { target: 'failed', actions: 'recordCrash' },
        drain: { target: 'stopped' },
        stop: { target: 'stopped' },
      },
    },
    online: {
      initial: 'idle',
      on: {
        heartbeat: { actions: 'recordHeartbeat' },
        crash: { target: 'failed', actions: 'recordCrash' },
        stop: { target: 'stopped' },
      },
      states: {
        idle: {
          on: {
            'task.assign': [
              { guard: 'canAccept', target: 'busy', actions: ['reserve', 'emitBusy'] },
              { actions: 'emitRejected' },
            ],
            drain: { target: '#agent.stopped' },
          },
        },
        // Heartbeats are watched while the agent holds work: that is when a silent agent
        // strands tasks. An idle agent holds no lease, and costs no timer.
        busy: {
          entry: 'armHeartbeatTimer',
          exit: 'disarmHeartbeatTimer',
          on: {
            heartbeat: {
              actions: ['recordHeartbeat', 'disarmHeartbeatTimer', 'armHeartbeatTimer'],
            },
            'heartbeat.missed': { target: '#agent.unresponsive', actions: 'recordUnresponsive' },
            'task.assign': [
              { guard: 'canAccept', actions: ['reserve', 'emitBusy'] },
              { actions: 'emitRejected' },
            ],
            'task.release': [
              { guard: 'releasesLastTask', target: 'idle', actions: ['release', 'emitIdle'] },
              { actions: 'release' },
            ],
            'task.handover': [
              // Finishing a task proves the agent alive: the handover counts as a heartbeat.
              {
                guard: 'canHandOver',
                actions: [
                  'release',
                  'reserve',
                  'recordHeartbeat',
                  'disarmHeartbeatTimer',
                  'armHeartbeatTimer',
                ],
              },
              {
                guard: 'releasesLastTask',
                target: 'idle',
                actions: ['release', 'emitIdle', 'emitRejected'],
              },
              { actions: ['release', 'emitRejected'] },
            ],
            drain: { target: 'draining' },
          },
        },
        draining: {
          entry: 'armHeartbeatTimer',
          exit: 'disarmHeartbeatTimer',
          always: { guard: 'holdsNoTask', target: '#agent.stopped' },
          on: {
            heartbeat: {
              actions: ['recordHeartbeat', 'disarmHeartbeatTimer', 'armHeartbeatTimer'],
            },
            'heartbeat.missed': { target: '#agent.unresponsive', actions: 'recordUnresponsive' },
            'task.assign': { actions: 'emitRejected' },
            'task.release': { actions: 'release' },
            'task.handover': { actions: ['release', 'emitRejected'] },
          },
        },
      },
    },
    unresponsive: {
      entry: 'emitUnresponsive',
      on: {
        terminate: { target: 'failed' },
        crash: { target: 'failed', actions: 'recordCrash' },
        stop: { target: 'stopped' },
      },
    },
    failed: { type: 'final', entry: 'emitFailed' },
    stopped: { type: 'final', entry: ['recordStop', 'emitStopped'] },
  },
  output: ({ context }) => ({
    agentId: context.agentId,
    exit: context.exit ?? { kind: 'abnormal' as const, reason: 'unknown' },
    tasks: Object.keys(context.tasks),
  }),
});

export type AgentMachine = typeof agentMachine;
