import { OverseerError } from './overseer-error.js';

/** Thrown by a handler: the attempt fails and the task is not retried. */
export class NonRetryableError extends OverseerError {
  readonly code = 'NonRetryable';
}
