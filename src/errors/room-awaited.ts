// Not a user-facing error: the signal, inside admission, that a class with the `delay`
// policy cannot take a submission yet. The system catches it and waits for room
// (src/system/class-room.ts); a user only ever sees its `refusal` (Overloaded), if the wait
// runs out. Kept out of the public error catalogue on purpose.
import type { Overloaded } from './overloaded.js';

/** A class with the `delay` policy cannot take the submission yet: it may wait for room. */
export class RoomAwaited extends Error {
  constructor(
    readonly refusal: Overloaded,
    readonly requested: string,
    readonly tasks: number,
    readonly maxDelayMs: number,
  ) {
    super(refusal.message);
  }
}
