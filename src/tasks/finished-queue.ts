// Ids of finished tasks in the order they finished: a FIFO with O(1) push and shift
// (an array with a moving head, compacted when the dead prefix outgrows the live part).
export class FinishedQueue {
  #ids: string[] = [];
  #head = 0;

  get size(): number {
    return this.#ids.length - this.#head;
  }

  push(id: string): void {
    this.#ids.push(id);
  }

  shift(): string | undefined {
    if (this.#head >= this.#ids.length) return undefined;
    const id = this.#ids[this.#head++];
    if (this.#head > 1_024 && this.#head * 2 > this.#ids.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#head = 0;
    }
    return id;
  }
}
