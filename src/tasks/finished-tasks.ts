// The finished tasks a system remembers, for `task(id)`, idempotency keys and later
// dependencies: at most `retainFinished`, the oldest forgotten first. Ids are kept in the
// order they finished, in an array with a moving head (compacted when the dead prefix
// outgrows the live part), so remembering and forgetting are O(1).
import { isTerminal, type TaskRecord } from './task-record.js';

export class FinishedTasks {
  #ids: string[] = [];
  #head = 0;

  constructor(
    private readonly records: Map<string, TaskRecord>,
    private readonly limit: number,
    private readonly forget: (record: TaskRecord) => void,
  ) {}

  /** Remembers a task that just finished, and forgets the oldest beyond the limit. */
  remember(taskId: string): void {
    if (this.limit === Number.POSITIVE_INFINITY) return;
    this.#ids.push(taskId);
    while (this.#ids.length - this.#head > this.limit) {
      const oldest = this.#ids[this.#head++] as string;
      const record = this.records.get(oldest);
      // The outcome counts stay: they count every task that ever finished.
      if (record && isTerminal(record.state)) {
        this.records.delete(oldest);
        this.forget(record);
      }
    }
    if (this.#head > 1_024 && this.#head * 2 > this.#ids.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#head = 0;
    }
  }
}
