import { OverseerError } from './overseer-error.js';

/** A batch of writes could not be committed; none of its records is durable. */
export class StoreWriteFailed extends OverseerError {
  readonly code = 'StoreWriteFailed';
  constructor(
    readonly path: string,
    readonly records: number,
    options: { cause: unknown },
  ) {
    super(
      `store ${path} failed to commit ${records} write(s): ${messageOf(options.cause)}`,
      options,
    );
  }
}

const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);
