import { OverseerError } from './overseer-error.js';

/** No task has this id: never submitted, or finished and no longer retained. */
export class UnknownTask extends OverseerError {
  readonly code = 'UnknownTask';
  constructor(readonly taskId: string) {
    super(`no task with id ${taskId}`);
  }
}
