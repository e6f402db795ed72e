import { OverseerError } from './overseer-error.js';

/** How much of a bad reply a ModelReplyInvalid keeps in its message, in characters. */
const EXCERPT_CHARS = 200;

/**
 * A model's reply could not be used: no message, a refusal, or text that is not JSON. A
 * plain error, so the task is retried and a team's repair loop hears why.
 */
export class ModelReplyInvalid extends OverseerError {
  readonly code = 'ModelReplyInvalid';
  /** The start of the reply as received (at most 200 characters). */
  readonly excerpt: string;
  constructor(
    readonly model: string,
    readonly problem: string,
    reply: string,
    options?: { cause?: unknown },
  ) {
    const excerpt = reply.length > EXCERPT_CHARS ? `${reply.slice(0, EXCERPT_CHARS)}...` : reply;
    super(`model ${model} replied with ${problem}: ${JSON.stringify(excerpt)}`, options);
    this.excerpt = excerpt;
  }
}
