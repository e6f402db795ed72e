// Creating a task's actor: the task machine with the runtime's abort hook provided, its
// input from the task's record, linked to a task lane (under the agent that runs it, or
// under the root supervisor) so it shares the system's clock, timers and inspector.
import { type ActorRefFrom, createActor } from 'xstate';
import { seedFrom } from '../../machines/seeded-random.js';
import { type TaskMachineInput, taskMachine } from '../../machines/task.js';
import type { Attempt } from '../agents/attempt.js';
import type { SystemClock } from '../core/clock.js';
import { AttemptAborted } from '../errors/index.js';
import type { TaskLane } from './task-lane.js';
import type { TaskRecord } from './task-record.js';

export type TaskActor = ActorRefFrom<typeof taskMachine>;
export type TaskLogic = typeof taskMachine;

const abortReason = (eventType: string): AttemptAborted['why'] =>
  eventType === 'cancel'
    ? 'cancelled'
    : eventType === 'agent.lost'
      ? 'agent-lost'
      : eventType === 'interrupt'
        ? 'shutdown'
        : 'timeout';

/** The task machine whose `abortAttempt` action aborts the attempt `attemptOf` finds. */
export function taskLogic(
  attemptOf: (taskId: string) => Attempt | undefined,
  abort: (attempt: Attempt, reason: Error) => void,
): TaskLogic {
  return taskMachine.provide({
    actions: {
      abortAttempt: ({ context, event }) => {
        const attempt = attemptOf(context.taskId);
        if (attempt) abort(attempt, new AttemptAborted(context.taskId, abortReason(event.type)));
      },
    },
  });
}

/** A (not yet started) actor for the task of `record`. */
export function taskActor(
  logic: TaskLogic,
  record: TaskRecord,
  options: {
    readonly lane: TaskLane | undefined;
    readonly waitingOn: readonly string[];
    readonly clock: SystemClock;
    readonly random: () => number;
  },
): TaskActor {
  const { task } = record;
  const input: TaskMachineInput = {
    taskId: task.id,
    retry: task.retry,
    submittedAt: record.submittedAt,
    seed: seedFrom(options.random),
    dependsOn: options.waitingOn,
    ...(task.timeoutMs === undefined ? {} : { timeoutMs: task.timeoutMs }),
    ...(task.deadline === undefined ? {} : { deadline: task.deadline }),
    ...(record.attempts > 0 ? { attemptsSoFar: record.attempts } : {}),
  };
  return createActor(logic, {
    input,
    id: `task:${task.id}`,
    ...(options.lane ? { parent: options.lane } : { clock: options.clock }),
  });
}
