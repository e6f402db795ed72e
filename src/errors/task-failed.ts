import type { TaskError } from '../../machines/task-error.js';
import { OverseerError } from './overseer-error.js';

/** The task ended failed; `error` is the machine's record of the last failure. */
export class TaskFailed extends OverseerError {
  readonly code = 'TaskFailed';
  constructor(
    readonly taskId: string,
    readonly error: TaskError,
    readonly attempts: number,
  ) {
    super(`task ${taskId} failed after ${attempts} attempt(s): ${error.code}: ${error.message}`);
  }
}
