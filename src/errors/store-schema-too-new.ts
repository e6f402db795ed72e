import { OverseerError } from './overseer-error.js';

/** The database was written by a newer overseer; it is refused rather than misread. */
export class StoreSchemaTooNew extends OverseerError {
  readonly code = 'StoreSchemaTooNew';
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `store ${path} has schema version ${found}, newer than the ${supported} this overseer ` +
        'understands: upgrade overseer to open it',
    );
  }
}
