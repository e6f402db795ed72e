// Unfinished tasks by QoS class, kept as tasks enter and leave. Classes are few (a spec's
// `qos` label), so a counter per class; the last class used is remembered, which makes
// the common case of one class a string comparison rather than a map lookup.

interface Counter {
  n: number;
}

export class ClassDepth {
  readonly #byClass = new Map<string, Counter>();
  #lastClass: string | undefined;
  #last: Counter = { n: 0 };

  add(qos: string): void {
    this.#counter(qos).n++;
  }

  remove(qos: string): void {
    this.#counter(qos).n--;
  }

  /** Classes with unfinished tasks, by class. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [qos, { n }] of this.#byClass) if (n > 0) out[qos] = n;
    return out;
  }

  #counter(qos: string): Counter {
    if (qos === this.#lastClass) return this.#last;
    let counter = this.#byClass.get(qos);
    if (!counter) {
      counter = { n: 0 };
      this.#byClass.set(qos, counter);
    }
    this.#lastClass = qos;
    this.#last = counter;
    return counter;
  }
}
