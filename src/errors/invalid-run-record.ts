import { OverseerError } from './overseer-error.js';

/**
 * A run records file (JSON lines of team run records, `overseer eval`) cannot be read, or
 * one of its lines is not a record: the message names the file, the line and the field.
 */
export class InvalidRunRecord extends OverseerError {
  readonly code = 'InvalidRunRecord';
  constructor(
    readonly file: string,
    /** The line, from 1; undefined when the file as a whole is the problem. */
    readonly line: number | undefined,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, options);
  }
}
