// A binary min-heap that knows where each item sits, so removing or re-keying an item in
// the middle costs O(log n), not a scan. p-queue's linear insert is what we avoid.

export class IndexedHeap<T> {
  readonly #items: T[] = [];
  readonly #position = new Map<T, number>();

  /** `before(a, b)`: a comes out first. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  has(item: T): boolean {
    return this.#position.has(item);
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    if (this.#position.has(item)) {
      this.update(item);
      return;
    }
    this.#items.push(item);
    this.#position.set(item, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): boolean {
    const index = this.#position.get(item);
    if (index === undefined) return false;
    this.#position.delete(item);
    const last = this.#items.pop() as T;
    if (index < this.#items.length) {
      this.#items[index] = last;
      this.#position.set(last, index);
      this.#down(this.#up(index));
    }
    return true;
  }

  /** The item's key changed: restore its place. */
  update(item: T): void {
    const index = this.#position.get(item);
    if (index !== undefined) this.#down(this.#up(index));
  }

  #up(index: number): number {
    const items = this.#items;
    const item = items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!this.before(item, parent)) break;
      items[index] = parent;
      this.#position.set(parent, index);
      index = parentIndex;
    }
    items[index] = item;
    this.#position.set(item, index);
    return index;
  }

  #down(index: number): void {
    const items = this.#items;
    const length = items.length;
    const item = items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child =
        right < length && this.before(items[right] as T, items[left] as T) ? right : left;
      const next = items[child] as T;
      if (!this.before(next, item)) break;
      items[index] = next;
      this.#position.set(next, index);
      index = child;
    }
    items[index] = item;
    this.#position.set(item, index);
  }
}
