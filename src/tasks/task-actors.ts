// Creating a task's actor: the task machine with the runtime's abort hook provided,
// compiled once per system (src/compiled/: same machine, same semantics, a tenth of the
// cost of an XState actor), its input from the task's record, linked to a task lane (under
// the agent that runs it, or under the root supervisor) so it shares the system's clock and
// inspector, and user logic run for the task is its child.

import type { AnyActorRef } from 'xstate';
import { seedFrom } from '../../machines/seeded-random.js';
import { type TaskMachineInput, taskMachine } from '../../machines/task.js';
import type { Attempt } from '../agents/attempt.js';
import type { InspectionSink } from '../compiled/actor-inspection.js';
import { CompiledActor } from '../compiled/compiled-actor.js';
import { type CompiledMachine, compileMachine } from '../compiled/compiled-machine.js';
import type { SystemClock } from '../core/clock.js';
import { AttemptAborted } from '../errors/index.js';
import type { TaskActor } from './task-actor.js';
import type { TaskLane } from './task-lane.js';
import type { TaskRecord } from './task-record.js';

export type { TaskActor } from './task-actor.js';

/**
 * The task's actor as the parent of user logic run for the task: a compiled actor links
 * children as XState's do (its system, `_send` for their done and error events).
 */
export function asParent(actor: TaskActor): AnyActorRef {
  return actor as unknown as AnyActorRef;
}

export type TaskLogic = CompiledMachine;

const abortReason = (eventType: string): AttemptAborted['why'] =>
  eventType === 'cancel'
    ? 'cancelled'
    : eventType === 'agent.lost'
      ? 'agent-lost'
      : eventType === 'interrupt'
        ? 'shutdown'
        : 'timeout';

/** The task machine, compiled, whose `abortAttempt` action aborts the attempt `attemptOf` finds. */
export function taskLogic(
  attemptOf: (taskId: string) => Attempt | undefined,
  abort: (attempt: Attempt, reason: Error) => void,
): TaskLogic {
  return compileMachine(
    taskMachine.provide({
      actions: {
        abortAttempt: ({ context, event }) => {
          const attempt = attemptOf(context.taskId);
          if (attempt) abort(attempt, new AttemptAborted(context.taskId, abortReason(event.type)));
        },
      },
    }),
  );
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
    readonly inspection: InspectionSink | undefined;
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
  return new CompiledActor(logic, {
    id: `task:${task.id}`,
    input,
    clock: options.clock,
    ...(options.inspection ? { inspection: options.inspection } : {}),
    // The lane drops a task actor's done event; an inspector is shown it.
    reportDone: options.inspection !== undefined,
    owner: record,
    ...(options.lane ? { parent: options.lane } : {}),
  }) as unknown as TaskActor;
}
