// Keeps the process alive while a system on the real clock has unfinished work. The
// real clock's timers are unref'd (an idle system must not hold a process open), so a
// task waiting out its retry backoff would otherwise let a script exit with its result
// still pending; one ref'd handle, held only while tasks are unfinished, prevents that.
export class KeepAlive {
  #handle: ReturnType<typeof setInterval> | undefined;

  /** Holds the process open when `busy`, lets it go otherwise. Idempotent. */
  update(busy: boolean): void {
    if (busy && !this.#handle) this.#handle = setInterval(() => undefined, 2 ** 30);
    else if (!busy && this.#handle) {
      clearInterval(this.#handle);
      this.#handle = undefined;
    }
  }
}
