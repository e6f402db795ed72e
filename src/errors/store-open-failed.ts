import { OverseerError } from './overseer-error.js';

/** The store file could not be opened or created. */
export class StoreOpenFailed extends OverseerError {
  readonly code = 'StoreOpenFailed';
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`cannot open store ${path}: ${messageOf(options.cause)}`, options);
  }
}

const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);
