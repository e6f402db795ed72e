import { OverseerError } from './overseer-error.js';

/** System options failed validation. `field` is the path of the offending option. */
export class InvalidSystemOptions extends OverseerError {
  readonly code = 'InvalidSystemOptions';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid system options: ${field} ${problem}`);
  }
}
