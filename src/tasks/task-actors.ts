// Creating a task's actor: the task machine with the runtime's abort hook provided, its
// input from the task's record, linked to the agent that runs it (or, before any agent,
// standing alone on the system's clock).
import { type ActorRefFrom, type AnyActorRef, createActor } from 'xstate';
import { seedFrom } from '../../machines/seeded-random.js';
import { type TaskMachineInput, taskMachine } from '../../machines/task.js';
import type { Attempt } from '../agents/attempt.js';
import { AttemptAborted } from '../errors/index.js';
import type { SystemClock } from '../system/clock.js';
import type { TaskRecord } from './task-record.js';

export type TaskActor = ActorRefFrom<typeof taskMachine>;
export type TaskLogic = typeof taskMachine;

/** The task machine whose `abortAttempt` action aborts the attempt `attemptOf` finds. */
export function taskLogic(
  attemptOf: (taskId: string) => Attempt | undefined,
  abort: (attempt: Attempt, reason: Error) => void,
): TaskLogic {
  return taskMachine.provide({
    actions: {
      abortAttempt: ({ context, event }) => {
        const why =
          event.type === 'cancel'
            ? 'cancelled'
            : event.type === 'agent.lost'
              ? 'agent-lost'
              : 'timeout';
        const attempt = attemptOf(context.taskId);
        if (attempt) abort(attempt, new AttemptAborted(context.taskId, why));
      },
    },
  });
}

/** A (not yet started) actor for the task of `record`. */
export function taskActor(
  logic: TaskLogic,
  record: TaskRecord,
  options: {
    readonly parent: AnyActorRef | undefined;
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
    ...(options.parent ? { parent: options.parent } : { clock: options.clock }),
  });
}
