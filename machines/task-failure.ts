// What an event means for a task: when it happened (clock-fired transitions derive their
// time from context) and, for events that end an attempt badly, the failure it stands for.
import type { TaskError } from './task-error.js';
import type { Stamp, TaskContext, TaskEvent } from './task-types.js';

/**
 * How long an attempt may run: its `timeoutMs`, clipped to what is left of the deadline
 * when it started (an attempt never runs past its task's deadline). Infinity: no limit.
 */
export function attemptLimitMs(context: TaskContext): number {
  const timeout = context.timeoutMs ?? Number.POSITIVE_INFINITY;
  if (context.deadline === null) return timeout;
  const left = context.deadline - (context.startedAt ?? context.submittedAt);
  return Math.max(0, Math.min(timeout, left));
}

/** Whether the attempt's limit is the deadline's remainder rather than its own timeout. */
export const cutByDeadline = (context: TaskContext): boolean =>
  context.deadline !== null &&
  attemptLimitMs(context) < (context.timeoutMs ?? Number.POSITIVE_INFINITY);

/** Clock time of the event; `after` transitions derive theirs from context. */
export function timeOf(context: TaskContext, event: TaskEvent | { type: string }): number {
  if ('at' in event && typeof event.at === 'number') return event.at;
  if (event.type === 'xstate.init') return context.submittedAt;
  if (context.retryAt !== null && event.type.includes('retryBackoff')) return context.retryAt;
  const limit = attemptLimitMs(context);
  return (context.startedAt ?? context.submittedAt) + (Number.isFinite(limit) ? limit : 0);
}

/** The failure an event stands for, for the events that end an attempt unsuccessfully. */
export function failureOf(context: TaskContext, event: TaskEvent | { type: string }): TaskError {
  if (event.type === 'fail' && 'error' in event) return event.error;
  if (event.type === 'agent.lost' && 'agentId' in event) {
    return {
      kind: 'agent-lost',
      code: 'AgentLost',
      message: `agent ${event.agentId} was lost while running task ${context.taskId}`,
      details: { agentId: event.agentId },
    };
  }
  if (event.type === 'dependency.failed' && 'reason' in event && 'taskId' in event) {
    return {
      kind: 'dependency',
      code: 'DependencyFailed',
      message: `dependency ${event.taskId} did not complete: ${event.reason}`,
      details: { dependency: event.taskId },
    };
  }
  if (event.type === 'no.capable.agent' && 'capabilities' in event) {
    return {
      kind: 'no-agent',
      code: 'NoCapableAgent',
      message: `no agent left can run task ${context.taskId} (needs capabilities [${event.capabilities.join(', ')}], resources ${JSON.stringify(event.resources)})`,
      details: { capabilities: event.capabilities, resources: event.resources },
    };
  }
  if (event.type === 'expire' && 'reason' in event && 'predictedFinishAt' in event) {
    return {
      kind: 'deadline',
      code: 'DeadlineExceeded',
      message: `task ${context.taskId} expired: ${event.reason}`,
      details: {
        deadline: context.deadline,
        dueAt: event.dueAt,
        predictedFinishAt: event.predictedFinishAt,
      },
    };
  }
  if (event.type === 'deadline.reached' || event.type === 'start' || event.type === 'assign') {
    return {
      kind: 'deadline',
      code: 'DeadlineExceeded',
      message: `task ${context.taskId} did not start before its deadline ${context.deadline ?? ''}`,
      details: { deadline: context.deadline },
    };
  }
  if (cutByDeadline(context))
    return {
      kind: 'deadline',
      code: 'DeadlineExceeded',
      message: `attempt ${context.attempts} of task ${context.taskId} ran into its deadline ${context.deadline ?? ''}`,
      details: { deadline: context.deadline },
    };
  return {
    kind: 'timeout',
    code: 'TaskTimedOut',
    message: `attempt ${context.attempts} of task ${context.taskId} exceeded its timeout of ${context.timeoutMs ?? 0} ms`,
    details: { timeoutMs: context.timeoutMs },
  };
}

export const stamp = (context: TaskContext, event: TaskEvent | { type: string }): Stamp => ({
  taskId: context.taskId,
  attempt: context.attempts,
  at: timeOf(context, event),
});
