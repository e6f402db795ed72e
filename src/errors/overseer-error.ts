// The base of overseer's error taxonomy. Every error a user can see is an OverseerError
// with a stable `code` (also its `_tag`, for matching), a message that names the
// offending field or id, and the cause attached where there is one. The classes are one
// a file in this folder, so the catalogue of failures is its listing.
import type { ErrorCode } from './error-code.js';

export abstract class OverseerError extends Error {
  abstract readonly code: ErrorCode;
  get _tag(): ErrorCode {
    return this.code;
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
