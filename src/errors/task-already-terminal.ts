import { OverseerError } from './overseer-error.js';

/**
 * The task already has its terminal record. A store keeps exactly one per task, so a late
 * completion after a cancellation (say) is refused and must not be reported as happened.
 */
export class TaskAlreadyTerminal extends OverseerError {
  readonly code = 'TaskAlreadyTerminal';
  constructor(
    readonly taskId: string,
    readonly state: string,
    readonly attempted: string,
  ) {
    super(`task ${taskId} is already ${state} in the store; ${attempted} refused`);
  }
}
