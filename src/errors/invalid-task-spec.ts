import { OverseerError } from './overseer-error.js';

/** A task spec failed validation. `field` is the path of the first offending field. */
export class InvalidTaskSpec extends OverseerError {
  readonly code = 'InvalidTaskSpec';
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly problems: readonly { field: string; problem: string }[] = [{ field, problem }],
  ) {
    super(`invalid task spec: ${field} ${problem}`);
  }
}
