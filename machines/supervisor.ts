// The supervisor lifecycle, after Erlang/OTP: start children from their specs, restart them
// by strategy and restart type, give up (stop every child, fail to the parent) when
// restarts exceed the intensity, and shut children down in reverse start order.
// Every child exit arrives as `xstate.error.actor.*` or `xstate.done.actor.*` and is
// handled in every state: an unhandled child error would stop the supervisor itself.
import { type AnyActorLogic, assign, emit, enqueueActions, fromCallback, setup } from 'xstate';
import { type AgentMachineInput, agentMachine } from './agent.js';
import { type ChildExit, exitOf, isChildExit } from './child-exit.js';
import { restartGroup } from './child-spec.js';
import { otpRestartIntensity } from './restart-intensity.js';
import { exitingChild, specOf, supervisorGuards } from './supervisor-guards.js';
import type {
  SupervisorContext,
  SupervisorEmitted,
  SupervisorEvent,
  SupervisorMachineInput,
} from './supervisor-types.js';

export type {
  RestartRecord,
  SupervisorContext,
  SupervisorEmitted,
  SupervisorEvent,
  SupervisorMachineInput,
} from './supervisor-types.js';

const SHUTDOWN_TIMER = 'shutdown';

/** A child exits while running: forgotten, restarted by strategy, or one restart too many. */
const exitWhileRunning = [
  { guard: 'isRetiringChild', actions: ['emitChildExited', 'retireChild'] },
  { guard: 'exitNeedsNoRestart', actions: ['emitChildExited', 'forgetChild'] },
  { guard: 'intensityExceeded', target: 'failed', actions: ['recordEscalation', 'emitEscalated'] },
  { actions: ['emitRestarted', 'restartChildren', 'countRestart'] },
] as const;

/** A child exits while stopping: the one draining lets the next go; another leaves the queue. */
const exitWhileStopping = [
  {
    guard: 'isShuttingDownChild',
    actions: ['emitChildExited', 'forgetChild', 'advanceShutdown', 'drainNext'],
  },
  { actions: ['emitChildExited', 'forgetChild', 'dropFromShutdown'] },
] as const;
const killed: ChildExit = { kind: 'shutdown', reason: 'killed' };

export const supervisorMachine = setup({
  types: {
    context: {} as SupervisorContext,
    events: {} as SupervisorEvent,
    input: {} as SupervisorMachineInput,
    emitted: {} as SupervisorEmitted,
  },
  actors: {
    agent: agentMachine as AnyActorLogic,
    /** A nested supervisor; the runtime provides this machine itself, recursively. */
    supervisor: fromCallback(() => undefined) as AnyActorLogic,
  },
  guards: supervisorGuards,
  delays: {
    intensityPeriod: ({ context }) => context.intensity.periodMs,
    shutdownTimeout: ({ context }) => {
      const head = context.shutdownQueue[0];
      return head === undefined ? 0 : (specOf(context, head)?.shutdownTimeoutMs ?? 0);
    },
  },
  actions: {
    startChildren: enqueueActions(({ context, enqueue }) => {
      for (const spec of context.children) {
        enqueue.spawnChild(spec.src, { id: spec.id, input: spec.input as AgentMachineInput });
      }
      enqueue.assign({ live: context.children.map((spec) => spec.id) });
    }),
    addChild: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'child.add') return;
      enqueue.spawnChild(event.spec.src, {
        id: event.spec.id,
        input: event.spec.input as AgentMachineInput,
      });
      enqueue.assign({
        children: [...context.children, event.spec],
        live: [...context.live, event.spec.id],
      });
    }),
    removeChild: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'child.remove') return;
      enqueue.stopChild(event.childId);
      enqueue.assign({
        children: context.children.filter((spec) => spec.id !== event.childId),
        live: context.live.filter((id) => id !== event.childId),
        retiring: context.retiring.filter((id) => id !== event.childId),
      });
    }),
    /** Ask one child to drain; its exit will end it for good (terminate_child, delete_child). */
    drainChild: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'child.drain') return;
      enqueue.sendTo(event.childId, { type: 'drain' });
      enqueue.assign({ retiring: [...context.retiring, event.childId] });
    }),
    /** A drained child exited: stopped, and its spec deleted, so no strategy restarts it. */
    retireChild: enqueueActions(({ context, event, enqueue }) => {
      const id = exitingChild(event);
      enqueue.stopChild(id);
      enqueue.assign({
        live: context.live.filter((liveId) => liveId !== id),
        children: context.children.filter((spec) => spec.id !== id),
        retiring: context.retiring.filter((retiringId) => retiringId !== id),
      });
    }),
    /** Clean up a child that exited and will not be restarted; temporary specs go away. */
    forgetChild: enqueueActions(({ context, event, enqueue }) => {
      const id = exitingChild(event);
      enqueue.stopChild(id);
      enqueue.assign({
        live: context.live.filter((liveId) => liveId !== id),
        children: context.children.filter((spec) => spec.id !== id || spec.restart !== 'temporary'),
      });
    }),
    restartChildren: enqueueActions(({ context, event, enqueue }) => {
      const failedId = exitingChild(event);
      const group = restartGroup(
        context.strategy,
        context.children,
        new Set(context.live),
        failedId,
      );
      // OTP order: stop in reverse start order, then start again in start order.
      for (const spec of [...group].reverse()) enqueue.stopChild(spec.id);
      const dropped = new Set(
        group.filter((s) => s.id !== failedId && s.restart === 'temporary').map((s) => s.id),
      );
      for (const spec of group) {
        if (!dropped.has(spec.id))
          enqueue.spawnChild(spec.src, { id: spec.id, input: spec.input as AgentMachineInput });
      }
      const restartedIds = new Set(group.map((spec) => spec.id));
      enqueue.assign({
        children: context.children.filter((spec) => !dropped.has(spec.id)),
        live: context.children
          .map((spec) => spec.id)
          .filter((id) => !dropped.has(id) && (restartedIds.has(id) || context.live.includes(id))),
      });
    }),
    countRestart: enqueueActions(({ context, event, enqueue }) => {
      const reason = isChildExit(event) ? exitOf(event).reason : 'unknown';
      enqueue.assign({
        recentRestarts: [...context.recentRestarts, { childId: exitingChild(event), reason }],
        restartCount: context.restartCount + 1,
      });
      enqueue.raise(
        { type: 'intensity.decay' },
        { id: `decay:${context.restartCount}`, delay: 'intensityPeriod' },
      );
    }),
    forgetOldestRestart: assign({
      recentRestarts: ({ context }) => context.recentRestarts.slice(1),
    }),
    /** OTP shutdown: children stop one at a time, in reverse start order. */
    queueShutdown: assign({
      shutdownQueue: ({ context }) =>
        context.children
          .map((spec) => spec.id)
          .filter((id) => context.live.includes(id))
          .reverse(),
    }),
    /** Ask the head of the queue to drain, and arm its shutdown timer. */
    drainNext: enqueueActions(({ context, enqueue }) => {
      const head = context.shutdownQueue[0];
      if (head === undefined) return;
      enqueue.sendTo(head, { type: 'drain' });
      enqueue.raise({ type: 'shutdown.timeout' }, { id: SHUTDOWN_TIMER, delay: 'shutdownTimeout' });
    }),
    /** The draining child exited: the next one's turn. */
    advanceShutdown: enqueueActions(({ context, enqueue }) => {
      enqueue.cancel(SHUTDOWN_TIMER);
      enqueue.assign({ shutdownQueue: context.shutdownQueue.slice(1) });
    }),
    /** A child that exited while waiting its turn leaves the queue. */
    dropFromShutdown: assign({
      shutdownQueue: ({ context, event }) =>
        context.shutdownQueue.filter((id) => id !== exitingChild(event)),
    }),
    /** The head ignored its shutdown timeout: stop it (OTP's brutal kill after the timeout). */
    killDraining: enqueueActions(({ context, enqueue }) => {
      const head = context.shutdownQueue[0];
      if (head === undefined) return;
      enqueue.stopChild(head);
      enqueue.emit({
        type: 'supervisor.child.exited',
        supervisorId: context.supervisorId,
        childId: head,
        exit: killed,
      });
      enqueue.assign({
        live: context.live.filter((id) => id !== head),
        shutdownQueue: context.shutdownQueue.slice(1),
      });
    }),
    stopAllChildren: enqueueActions(({ context, enqueue }) => {
      for (const id of [...context.live].reverse()) enqueue.stopChild(id);
      enqueue.assign({ live: [] });
    }),
    recordEscalation: assign({
      exit: ({ context, event }) => ({
        kind: 'abnormal' as const,
        reason: 'restart-intensity',
        message: `supervisor ${context.supervisorId} exceeded ${context.intensity.maxRestarts} restarts in ${context.intensity.periodMs} ms; last exit: ${exitingChild(event)}`,
      }),
    }),
    recordShutdown: assign({
      exit: ({ context }) => context.exit ?? { kind: 'shutdown' as const, reason: 'shutdown' },
    }),
    emitChildExited: emit(({ context, event }) => ({
      type: 'supervisor.child.exited' as const,
      supervisorId: context.supervisorId,
      childId: exitingChild(event),
      exit: isChildExit(event) ? exitOf(event) : { kind: 'normal' as const, reason: 'removed' },
    })),
    emitRestarted: emit(({ context, event }) => ({
      type: 'supervisor.restarted' as const,
      supervisorId: context.supervisorId,
      childId: exitingChild(event),
      exit: isChildExit(event) ? exitOf(event) : { kind: 'abnormal' as const, reason: 'unknown' },
      restarted: restartGroup(
        context.strategy,
        context.children,
        new Set(context.live),
        exitingChild(event),
      ).map((spec) => spec.id),
    })),
    emitEscalated: emit(({ context, event }) => ({
      type: 'supervisor.escalated' as const,
      supervisorId: context.supervisorId,
      childId: exitingChild(event),
      exit: isChildExit(event) ? exitOf(event) : { kind: 'abnormal' as const, reason: 'unknown' },
      restartsInWindow: context.recentRestarts.length,
    })),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({
    supervisorId: input.supervisorId,
    strategy: input.strategy ?? 'one_for_one',
    intensity: input.intensity ?? otpRestartIntensity,
    children: [...(input.children ?? [])],
    live: [],
    recentRestarts: [],
    restartCount: 0,
    exit: null,
    shutdownQueue: [],
    retiring: [],
  }),
  initial: 'starting',
  states: {
    starting: {
      entry: 'startChildren',
      always: { target: 'running' },
    },
    running: {
      on: {
        'xstate.error.actor.*': exitWhileRunning,
        'xstate.done.actor.*': exitWhileRunning,
        'intensity.decay': { guard: 'hasRecentRestarts', actions: 'forgetOldestRestart' },
        'child.add': { guard: 'isNewChild', actions: 'addChild' },
        'child.remove': { guard: 'isKnownChild', actions: 'removeChild' },
        'child.drain': { guard: 'isDrainableChild', actions: 'drainChild' },
        drain: { target: 'stopping' },
        stop: { target: 'stopped' },
      },
    },
    // Children stop one at a time in reverse start order, each within its own
    // shutdownTimeoutMs (then it is killed); the supervisor stops when none is left.
    stopping: {
      entry: ['queueShutdown', 'drainNext'],
      always: { guard: 'noLiveChildren', target: 'stopped' },
      on: {
        'xstate.error.actor.*': exitWhileStopping,
        'xstate.done.actor.*': exitWhileStopping,
        'shutdown.timeout': { actions: ['killDraining', 'drainNext'] },
        stop: { target: 'stopped' },
      },
    },
    stopped: { type: 'final', entry: ['stopAllChildren', 'recordShutdown'] },
    failed: { type: 'final', entry: 'stopAllChildren' },
  },
  output: ({ context }) => ({
    supervisorId: context.supervisorId,
    exit: context.exit ?? { kind: 'shutdown' as const, reason: 'shutdown' },
  }),
});

export type SupervisorMachine = typeof supervisorMachine;
