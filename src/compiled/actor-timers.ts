// A compiled actor's delayed events, on the system's clock: scheduled and cancelled by id
// as XState's scheduler does (a second timer under an id replaces the entry, not the first
// timer, and the first one's firing removes the entry), all cancelled when the actor stops.
import type { SystemClock } from '../core/clock.js';
import type { MachineEvent } from './compiled-behaviour.js';

export type TimerClock = Pick<SystemClock, 'setTimeout' | 'clearTimeout'>;

interface Timer {
  readonly event: MachineEvent;
  readonly delay: number;
  handle: unknown;
}

export class ActorTimers {
  #timers: Map<string, Timer> | undefined;

  constructor(
    private readonly clock: TimerClock,
    private readonly deliver: (event: MachineEvent) => void,
  ) {}

  schedule(id: string, event: MachineEvent, delay: number): void {
    this.#timers ??= new Map();
    const timer: Timer = { event, delay, handle: undefined };
    timer.handle = this.clock.setTimeout(() => {
      // As XState: the id's entry goes even if a later timer took it over.
      this.#timers?.delete(id);
      this.deliver(event);
    }, delay);
    this.#timers.set(id, timer);
  }

  cancel(id: string): void {
    const timer = this.#timers?.get(id);
    if (timer === undefined) return;
    this.#timers?.delete(id);
    this.clock.clearTimeout(timer.handle);
  }

  cancelAll(): void {
    if (!this.#timers) return;
    for (const timer of this.#timers.values()) this.clock.clearTimeout(timer.handle);
    this.#timers.clear();
  }

  pending(): { id: string; event: MachineEvent; delay: number }[] {
    return [...(this.#timers?.entries() ?? [])].map(([id, { event, delay }]) => ({
      id,
      event,
      delay,
    }));
  }
}
