import { OverseerError } from './overseer-error.js';

/**
 * Another live system holds the store: one system per store, so no task runs twice. The
 * holder's claim lasts until `until` (clock ms) unless it renews it; once it expires (its
 * system died) a new system takes the store over.
 */
export class StoreInUse extends OverseerError {
  readonly code = 'StoreInUse';
  constructor(
    readonly holder: string,
    readonly until: number,
  ) {
    super(
      `the store is in use by another live system (${holder}), whose claim runs until ${until}: one system per store`,
    );
  }
}
