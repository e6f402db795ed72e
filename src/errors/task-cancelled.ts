import { OverseerError } from './overseer-error.js';

/** The task was cancelled before it finished; `reason` is the one given to `cancel`. */
export class TaskCancelled extends OverseerError {
  readonly code = 'TaskCancelled';
  constructor(
    readonly taskId: string,
    readonly reason: string,
  ) {
    super(`task ${taskId} was cancelled: ${reason}`);
  }
}
