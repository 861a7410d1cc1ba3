// A binary min-heap of node indices: lets topological order release the earliest-inserted ready node in O(log V).

export class IndexHeap {
  readonly #items: Int32Array;
  #length = 0;

  /** `capacity` is the most items ever held at once; each node enters a topological sort's heap once. */
  constructor(capacity: number) {
    this.#items = new Int32Array(Math.max(capacity, 1));
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    const items = this.#items;
    let position = this.#length++;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentValue = items[parent]!;
      if (parentValue <= value) break;
      items[position] = parentValue;
      position = parent;
    }
    items[position] = value;
  }

  /** Removes and returns the smallest index, or -1 when the heap is empty. */
  pop(): number {
    if (this.#length === 0) return -1;
    const items = this.#items;
    const smallest = items[0]!;
    const last = items[--this.#length]!;
    const length = this.#length;
    let position = 0;
    for (;;) {
      let child = 2 * position + 1;
      if (child >= length) break;
      if (child + 1 < length && items[child + 1]! < items[child]!) child++;
      if (items[child]! >= last) break;
      items[position] = items[child]!;
      position = child;
    }
    if (length > 0) items[position] = last;
    return smallest;
  }
}
