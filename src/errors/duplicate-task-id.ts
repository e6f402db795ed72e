import { OverseerError } from './overseer-error.js';

/** A task with this id was already submitted. */
export class DuplicateTaskId extends OverseerError {
  readonly code = 'DuplicateTaskId';
  constructor(readonly taskId: string) {
    super(`a task with id ${taskId} was already submitted`);
  }
}
