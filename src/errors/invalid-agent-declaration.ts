import { OverseerError } from './overseer-error.js';

/** An agent or supervisor declaration failed validation. */
export class InvalidAgentDeclaration extends OverseerError {
  readonly code = 'InvalidAgentDeclaration';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid agent declaration: ${field} ${problem}`);
  }
}
