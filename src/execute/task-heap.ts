// A binary min-heap of task indices ordered by a numeric key per task: the scheduler keeps one per server, so picking
// the most urgent ready task costs O(log n) instead of a scan over everything that is ready.

export class TaskHeap {
  readonly #items: number[] = [];
  readonly #keys: ArrayLike<number>;

  /** `keys[task]` is the task's urgency: smaller starts first. Keys must not change while the task is queued. */
  constructor(keys: ArrayLike<number>) {
    this.#keys = keys;
  }

  get length(): number {
    return this.#items.length;
  }

  /** The most urgent task, or -1 when empty. */
  peek(): number {
    return this.#items.length === 0 ? -1 : this.#items[0]!;
  }

  push(task: number): void {
    const items = this.#items;
    const keys = this.#keys;
    const key = keys[task]!;
    let position = items.length;
    items.push(task);
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentTask = items[parent]!;
      if (keys[parentTask]! <= key) break;
      items[position] = parentTask;
      position = parent;
    }
    items[position] = task;
  }

  /** Removes and returns the most urgent task, or -1 when empty. */
  pop(): number {
    const items = this.#items;
    if (items.length === 0) return -1;
    const keys = this.#keys;
    const top = items[0]!;
    const last = items.pop()!;
    const length = items.length;
    if (length === 0) return top;
    const key = keys[last]!;
    let position = 0;
    for (;;) {
      let child = 2 * position + 1;
      if (child >= length) break;
      if (child + 1 < length && keys[items[child + 1]!]! < keys[items[child]!]!) child++;
      if (keys[items[child]!]! >= key) break;
      items[position] = items[child]!;
      position = child;
    }
    items[position] = last;
    return top;
  }
}
