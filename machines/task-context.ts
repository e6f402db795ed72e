// A task machine's context when it starts: from its input, everything else empty. A task
// restored or retried elsewhere starts with the attempts it already made.
import type { TaskContext, TaskMachineInput } from './task-types.js';

export function taskContextOf(input: TaskMachineInput): TaskContext {
  return {
    taskId: input.taskId,
    retry: input.retry,
    timeoutMs: input.timeoutMs ?? null,
    deadline: input.deadline ?? null,
    // Duplicates named once; a task without dependencies allocates no Set.
    waitingOn: input.dependsOn?.length ? [...new Set(input.dependsOn)] : [],
    attempts: input.attemptsSoFar ?? 0,
    agentId: null,
    lastError: null,
    progress: null,
    progressNote: null,
    output: undefined,
    rngState: input.seed,
    submittedAt: input.submittedAt,
    assignedAt: null,
    startedAt: null,
    lastHeartbeatAt: null,
    retryAt: null,
    retryDelayMs: 0,
    finishedAt: null,
  };
}
