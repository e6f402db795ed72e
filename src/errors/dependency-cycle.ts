import { OverseerError } from './overseer-error.js';

/** Tasks depend on each other in a circle; `cycle` lists it, first id repeated last. */
export class DependencyCycle extends OverseerError {
  readonly code = 'DependencyCycle';
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
  }
}
