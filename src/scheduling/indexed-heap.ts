// A binary min-heap that knows where each item sits, so removing or re-keying an item in
// the middle costs O(log n), not a scan. p-queue's linear insert is what we avoid.
// Where an item sits is kept in a map, or, for items that live in one heap at a time
// (queued tasks), on the item itself: at a million queued tasks a map update per level of
// the heap was the queue's largest cost.

/** Where the heap keeps each item's index. */
export interface HeapPositions<T> {
  get(item: T): number | undefined;
  set(item: T, index: number): void;
  delete(item: T): void;
  has(item: T): boolean;
}

/** Items of one heap at a time, carrying their own index (-1: in no heap). */
export interface HeapSlotted {
  heapIndex?: number;
}

export class OwnPositions<T extends HeapSlotted> implements HeapPositions<T> {
  get(item: T): number | undefined {
    const index = item.heapIndex;
    return index === undefined || index < 0 ? undefined : index;
  }
  set(item: T, index: number): void {
    item.heapIndex = index;
  }
  delete(item: T): void {
    item.heapIndex = -1;
  }
  has(item: T): boolean {
    return item.heapIndex !== undefined && item.heapIndex >= 0;
  }
}

export class IndexedHeap<T> {
  readonly #items: T[] = [];
  readonly #position: HeapPositions<T>;
  private before: (a: T, b: T) => boolean;

  /** `before(a, b)`: a comes out first; positions in a map unless given. */
  constructor(before: (a: T, b: T) => boolean, positions?: HeapPositions<T>) {
    this.before = before;
    this.#position = positions ?? new Map<T, number>();
  }

  /** The same items in a new order from now on: O(n), for a rare change of policy. */
  reorder(before: (a: T, b: T) => boolean): void {
    this.before = before;
    for (let i = (this.#items.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  /** The items, in no particular order (a copy: the heap may change while it is read). */
  values(): T[] {
    return [...this.#items];
  }

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
