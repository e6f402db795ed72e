// Restart intensity: more than `maxRestarts` restarts within `periodMs` and the supervisor
// gives up. The machine cannot read a clock, so the window is kept by the clock itself:
// each restart schedules one decay event `periodMs` later. All decays share one delay, so
// they fire in restart order and the window is a FIFO of the restarts not yet decayed.

export interface RestartIntensity {
  /** Restarts allowed within the period. OTP default 1. */
  readonly maxRestarts: number;
  /** Length of the sliding window, in ms. OTP default 5000. */
  readonly periodMs: number;
}

/** Erlang/OTP's supervisor defaults: intensity 1, period 5 seconds. */
export const otpRestartIntensity: RestartIntensity = { maxRestarts: 1, periodMs: 5_000 };

/** Whether one more restart, with `inWindow` restarts already in the window, is too many. */
export function exceedsIntensity(intensity: RestartIntensity, inWindow: number): boolean {
  return inWindow + 1 > intensity.maxRestarts;
}
