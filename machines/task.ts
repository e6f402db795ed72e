// The task lifecycle: the single source of truth for what may happen to a task.
// Runtime events carry `at` (clock time); the machine never reads a clock itself, and its
// only timers are `after` transitions on named delays, driven by the actor system's clock.
import { and, assign, emit, setup } from 'xstate';
import { backoffDelayMs, canRetry } from './retry-policy.js';
import { nextRandom } from './seeded-random.js';
import { taskContextOf } from './task-context.js';
import { attemptLimitMs, cutByDeadline, failureOf, stamp, timeOf } from './task-failure.js';
import type { TaskContext, TaskEmitted, TaskEvent, TaskMachineInput } from './task-types.js';

export type { TaskContext, TaskEmitted, TaskEvent, TaskMachineInput } from './task-types.js';

export const taskMachine = setup({
  types: {
    context: {} as TaskContext,
    events: {} as TaskEvent,
    input: {} as TaskMachineInput,
    emitted: {} as TaskEmitted,
  },
  guards: {
    dependenciesMet: ({ context }) => context.waitingOn.length === 0,
    pastDeadline: ({ context, event }) =>
      context.deadline !== null && 'at' in event && event.at > context.deadline,
    /** A limit on the attempt: its timeout, or its deadline's remainder. */
    hasAttemptLimit: ({ context }) => context.timeoutMs !== null || context.deadline !== null,
    cutByDeadline: ({ context }) => cutByDeadline(context),
    noBackoff: ({ context }) => context.retryDelayMs <= 0,
    attemptsLeft: ({ context }) => canRetry(context.retry, context.attempts),
    failureIsRetryable: ({ event }) => event.type !== 'fail' || event.retryable,
  },
  delays: {
    attemptTimeout: ({ context }) => attemptLimitMs(context),
    retryBackoff: ({ context }) => context.retryDelayMs,
  },
  actions: {
    /** Hook for the runtime: abort the running attempt's handler (its AbortSignal fires). */
    abortAttempt: () => {},
    removeDependency: assign({
      waitingOn: ({ context, event }) =>
        event.type === 'dependency.completed'
          ? context.waitingOn.filter((id) => id !== event.taskId)
          : context.waitingOn,
    }),
    recordAssignment: assign({
      agentId: ({ event }) => (event.type === 'assign' ? event.agentId : null),
      assignedAt: ({ event }) => (event.type === 'assign' ? event.at : null),
    }),
    clearAssignment: assign({ agentId: null, assignedAt: null }),
    /** A shutdown interrupted the attempt: it does not count against the retry policy. */
    refundAttempt: assign({ attempts: ({ context }) => Math.max(0, context.attempts - 1) }),
    beginAttempt: assign({
      attempts: ({ context }) => context.attempts + 1,
      startedAt: ({ event }) => ('at' in event ? event.at : null),
      lastHeartbeatAt: ({ event }) => ('at' in event ? event.at : null),
      progress: null,
      progressNote: null,
      retryAt: null,
    }),
    recordProgress: assign({
      progress: ({ context, event }) =>
        event.type === 'progress' ? event.progress : context.progress,
      progressNote: ({ context, event }) =>
        event.type === 'progress' ? (event.note ?? null) : context.progressNote,
      lastHeartbeatAt: ({ context, event }) => ('at' in event ? event.at : context.lastHeartbeatAt),
    }),
    recordHeartbeat: assign({
      lastHeartbeatAt: ({ context, event }) => ('at' in event ? event.at : context.lastHeartbeatAt),
    }),
    recordOutput: assign({
      output: ({ event }) => (event.type === 'complete' ? event.output : undefined),
      finishedAt: ({ context, event }) => timeOf(context, event),
    }),
    recordFailure: assign({
      lastError: ({ context, event }) => failureOf(context, event),
    }),
    recordFinish: assign({
      finishedAt: ({ context, event }) => timeOf(context, event),
    }),
    planRetry: assign(({ context, event }) => {
      const sample = nextRandom(context.rngState);
      const delay = backoffDelayMs(context.retry.backoff, context.attempts, sample.value);
      // retryAt is absolute, so the `retryBackoff` delay and a restored snapshot agree.
      return {
        rngState: sample.state,
        retryDelayMs: delay,
        retryAt: timeOf(context, event) + delay,
        agentId: null,
      };
    }),
    emitReady: emit(({ context, event }) => ({
      type: 'task.ready' as const,
      ...stamp(context, event),
    })),
    emitAssigned: emit(({ context, event }) => ({
      type: 'task.assigned' as const,
      agentId: event.type === 'assign' ? event.agentId : '',
      ...stamp(context, event),
    })),
    emitStarted: emit(({ context, event }) => ({
      type: 'task.started' as const,
      agentId: context.agentId ?? '',
      ...stamp(context, event),
    })),
    emitCompleted: emit(({ context, event }) => ({
      type: 'task.completed' as const,
      output: context.output,
      ...stamp(context, event),
    })),
    emitRetrying: emit(({ context, event }) => ({
      type: 'task.retrying' as const,
      error: failureOf(context, event),
      retryAt: context.retryAt ?? timeOf(context, event),
      ...stamp(context, event),
    })),
    emitFailed: emit(({ context, event }) => ({
      type: 'task.failed' as const,
      error: context.lastError ?? failureOf(context, event),
      ...stamp(context, event),
    })),
    emitInterrupted: emit(({ context, event }) => ({
      type: 'task.interrupted' as const,
      agentId: context.agentId ?? '',
      reason: event.type === 'interrupt' ? event.reason : 'shutdown',
      ...stamp(context, event),
    })),
    emitCancelled: emit(({ context, event }) => ({
      type: 'task.cancelled' as const,
      reason: event.type === 'cancel' ? (event.reason ?? 'cancelled') : 'cancelled',
      ...stamp(context, event),
    })),
  },
}).createMachine({
  id: 'task',
  context: ({ input }) => taskContextOf(input),
  initial: 'pending',
  // A user's agent logic runs linked to the task's actor. Its end reaches the task as
  // `complete` or `fail` from the runtime; the relayed child events must never stop it.
  on: {
    'xstate.error.actor.*': {},
    'xstate.done.actor.*': {},
  },
  states: {
    pending: {
      initial: 'blocked',
      on: {
        cancel: { target: 'cancelled' },
        'deadline.reached': {
          target: 'failed',
          actions: ['recordFailure', 'recordFinish', 'emitFailed'],
        },
        'no.capable.agent': {
          target: 'failed',
          actions: ['recordFailure', 'recordFinish', 'emitFailed'],
        },
        // QoS: predicted to finish past its deadline or SLO, it is not started at all.
        expire: {
          target: 'failed',
          actions: ['recordFailure', 'recordFinish', 'emitFailed'],
        },
      },
      states: {
        blocked: {
          always: { guard: 'dependenciesMet', target: 'ready' },
          on: {
            'dependency.completed': { actions: 'removeDependency' },
            'dependency.failed': {
              target: '#task.failed',
              actions: ['recordFailure', 'recordFinish', 'emitFailed'],
            },
          },
        },
        ready: {
          entry: 'emitReady',
          on: {
            assign: [
              {
                guard: 'pastDeadline',
                target: '#task.failed',
                actions: ['recordFailure', 'recordFinish', 'emitFailed'],
              },
              { target: '#task.assigned', actions: ['recordAssignment', 'emitAssigned'] },
            ],
          },
        },
      },
    },
    assigned: {
      on: {
        start: [
          {
            guard: 'pastDeadline',
            target: 'failed',
            actions: ['recordFailure', 'recordFinish', 'emitFailed'],
          },
          { target: 'running', actions: ['beginAttempt', 'emitStarted'] },
        ],
        unassign: { target: '#task.pending.ready', actions: 'clearAssignment' },
        'agent.lost': { target: '#task.pending.ready', actions: 'clearAssignment' },
        interrupt: {
          target: '#task.pending.ready',
          actions: ['emitInterrupted', 'clearAssignment'],
        },
        cancel: { target: 'cancelled' },
        'deadline.reached': {
          target: 'failed',
          actions: ['recordFailure', 'recordFinish', 'emitFailed'],
        },
      },
    },
    running: {
      on: {
        progress: { actions: 'recordProgress' },
        heartbeat: { actions: 'recordHeartbeat' },
        complete: { target: 'completed', actions: ['recordOutput', 'emitCompleted'] },
        fail: [
          {
            guard: and(['failureIsRetryable', 'attemptsLeft']),
            target: 'retrying',
            actions: ['recordFailure', 'planRetry', 'emitRetrying'],
          },
          { target: 'failed', actions: ['recordFailure', 'recordFinish', 'emitFailed'] },
        ],
        'agent.lost': [
          {
            guard: 'attemptsLeft',
            target: 'retrying',
            actions: ['abortAttempt', 'recordFailure', 'planRetry', 'emitRetrying'],
          },
          {
            target: 'failed',
            actions: ['abortAttempt', 'recordFailure', 'recordFinish', 'emitFailed'],
          },
        ],
        cancel: { target: 'cancelled', actions: 'abortAttempt' },
        interrupt: {
          target: '#task.pending.ready',
          actions: ['abortAttempt', 'refundAttempt', 'emitInterrupted', 'clearAssignment'],
        },
      },
      // An attempt without a timeout or deadline runs `untimed`: no timer is armed at all.
      initial: 'untimed',
      states: {
        untimed: { always: { guard: 'hasAttemptLimit', target: 'timed' } },
        timed: {
          after: {
            attemptTimeout: [
              // At the deadline no retry could start: the task fails now.
              {
                guard: 'cutByDeadline',
                target: '#task.failed',
                actions: ['abortAttempt', 'recordFailure', 'recordFinish', 'emitFailed'],
              },
              {
                guard: 'attemptsLeft',
                target: '#task.retrying',
                actions: ['abortAttempt', 'recordFailure', 'planRetry', 'emitRetrying'],
              },
              {
                target: '#task.failed',
                actions: ['abortAttempt', 'recordFailure', 'recordFinish', 'emitFailed'],
              },
            ],
          },
        },
      },
    },
    retrying: {
      // A zero backoff retries at once, without a timer; any other waits `retryBackoff`.
      initial: 'planned',
      states: {
        planned: {
          always: [{ guard: 'noBackoff', target: '#task.pending.ready' }, { target: 'waiting' }],
        },
        waiting: { after: { retryBackoff: { target: '#task.pending.ready' } } },
      },
      on: {
        'retry.due': { target: '#task.pending.ready' },
        cancel: { target: 'cancelled' },
        'deadline.reached': {
          target: 'failed',
          actions: ['recordFailure', 'recordFinish', 'emitFailed'],
        },
      },
    },
    completed: { type: 'final' },
    failed: { type: 'final' },
    cancelled: { type: 'final', entry: ['recordFinish', 'emitCancelled'] },
  },
  output: ({ context }) => ({
    taskId: context.taskId,
    attempts: context.attempts,
    output: context.output,
    error: context.lastError,
  }),
});

export type TaskMachine = typeof taskMachine;
