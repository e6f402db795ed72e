import { OverseerError } from './overseer-error.js';

/** The store was closed; `operation` names the call that came after. */
export class StoreClosed extends OverseerError {
  readonly code = 'StoreClosed';
  constructor(readonly operation: string) {
    super(`cannot ${operation}: the store is closed`);
  }
}
