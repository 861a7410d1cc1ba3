// The dependency graph itself: nodes named by string id, edges meaning "dependent needs dependency first".
import { GraphError } from './graph-error.js';

// Up to this many dependencies a linear scan is cheaper than hashing; past it a node gets a Set so that
// adding edges to a high-degree node stays O(1) each instead of O(degree).
const LINEAR_SCAN_LIMIT = 16;
const INITIAL_CAPACITY = 16;
const NONE = -1;

/**
 * @internal A read-only snapshot of all edges in compressed sparse row form, for the algorithms in this folder.
 * The dependencies of node `i` are `dependencies[dependencyStart[i]]` up to (not including)
 * `dependencies[dependencyStart[i + 1]]`, in edge insertion order; dependents likewise. Never mutate it.
 */
export interface Adjacency {
  readonly dependencyStart: Int32Array;
  readonly dependencies: Int32Array;
  readonly dependentStart: Int32Array;
  readonly dependents: Int32Array;
}

/**
 * A directed graph whose edges point from a dependent to its dependency.
 *
 * Nodes and edges are append-only. Ids map to dense integer indices (their insertion position). While the graph
 * is built, each node's edges are kept as linked lists threaded through flat typed arrays, so adding an edge
 * allocates nothing per node; the algorithms read a compressed snapshot (`adjacency()`) built once per change.
 */
export class Graph<T> {
  readonly #indexById = new Map<string, number>();
  readonly #ids: string[] = [];
  readonly #data: T[] = [];

  // Per node: the first and last edge of its dependency list and of its dependent list, and their lengths.
  #firstDependencyEdge = new Int32Array(INITIAL_CAPACITY);
  #lastDependencyEdge = new Int32Array(INITIAL_CAPACITY);
  #dependencyCount = new Int32Array(INITIAL_CAPACITY);
  #firstDependentEdge = new Int32Array(INITIAL_CAPACITY);
  #lastDependentEdge = new Int32Array(INITIAL_CAPACITY);
  #dependentCount = new Int32Array(INITIAL_CAPACITY);

  // Per edge, in insertion order: its two ends and the next edge in each end's list.
  #edgeDependent = new Int32Array(INITIAL_CAPACITY);
  #edgeDependency = new Int32Array(INITIAL_CAPACITY);
  #nextDependencyEdge = new Int32Array(INITIAL_CAPACITY);
  #nextDependentEdge = new Int32Array(INITIAL_CAPACITY);
  #edgeCount = 0;

  // Only for nodes with more than LINEAR_SCAN_LIMIT dependencies.
  readonly #dependencyLookup = new Map<number, Set<number>>();
  #adjacency: Adjacency | undefined;

  get size(): number {
    return this.#ids.length;
  }

  get edgeCount(): number {
    return this.#edgeCount;
  }

  addNode(id: string, data: T): void {
    if (this.#indexById.has(id)) {
      throw new GraphError({
        code: 'duplicate-node',
        message: `Node "${id}" is already in the graph. Node ids must be unique; give the second node another id.`,
        ids: [id],
      });
    }
    const index = this.#ids.length;
    if (index === this.#firstDependencyEdge.length) this.#growNodes();
    this.#indexById.set(id, index);
    this.#ids.push(id);
    this.#data.push(data);
    this.#firstDependencyEdge[index] = NONE;
    this.#firstDependentEdge[index] = NONE;
    this.#adjacency = undefined;
  }

  hasNode(id: string): boolean {
    return this.#indexById.has(id);
  }

  node(id: string): T | undefined {
    const index = this.#indexById.get(id);
    return index === undefined ? undefined : this.#data[index];
  }

  /** All node ids, in insertion order. */
  ids(): string[] {
    return this.#ids.slice();
  }

  /**
   * Records that `dependent` needs `dependency` first. Returns false when the edge already existed.
   * A self-edge is accepted: it is a cycle, and reported as one by `findCycles`.
   */
  addDependency(dependent: string, dependency: string): boolean {
    const from = this.#indexById.get(dependent);
    const to = this.#indexById.get(dependency);
    if (from === undefined || to === undefined) {
      const missing = from === undefined ? dependent : dependency;
      throw new GraphError({
        code: 'unknown-node',
        message:
          `Cannot make "${dependent}" depend on "${dependency}": node "${missing}" is not in the graph. ` +
          'Add both nodes before connecting them.',
        ids: [dependent, dependency],
      });
    }
    return this.addDependencyAt(from, to);
  }

  /**
   * @internal `addDependency` by insertion indices, for callers that already hold them (the planner adds hundreds of
   * thousands of edges and would otherwise look every id up again).
   */
  addDependencyAt(from: number, to: number): boolean {
    if (!(from >= 0 && from < this.size && to >= 0 && to < this.size)) {
      throw new GraphError({
        code: 'unknown-node',
        message: `Cannot add an edge from index ${from} to index ${to}: the graph has ${this.size} nodes.`,
        ids: [],
      });
    }
    if (this.#hasEdge(from, to)) return false;

    const edge = this.#edgeCount++;
    if (edge === this.#edgeDependency.length) this.#growEdges();
    this.#edgeDependent[edge] = from;
    this.#edgeDependency[edge] = to;
    this.#nextDependencyEdge[edge] = NONE;
    this.#nextDependentEdge[edge] = NONE;

    if (this.#firstDependencyEdge[from] === NONE) this.#firstDependencyEdge[from] = edge;
    else this.#nextDependencyEdge[this.#lastDependencyEdge[from]!] = edge;
    this.#lastDependencyEdge[from] = edge;
    if (this.#firstDependentEdge[to] === NONE) this.#firstDependentEdge[to] = edge;
    else this.#nextDependentEdge[this.#lastDependentEdge[to]!] = edge;
    this.#lastDependentEdge[to] = edge;
    this.#dependentCount[to]!++;

    const count = ++this.#dependencyCount[from]!;
    const lookup = this.#dependencyLookup.get(from);
    if (lookup !== undefined) lookup.add(to);
    else if (count > LINEAR_SCAN_LIMIT)
      this.#dependencyLookup.set(from, new Set(this.dependencyIndices(from)));

    this.#adjacency = undefined;
    return true;
  }

  hasDependency(dependent: string, dependency: string): boolean {
    const from = this.#indexById.get(dependent);
    const to = this.#indexById.get(dependency);
    return from !== undefined && to !== undefined && this.#hasEdge(from, to);
  }

  /** What `id` needs first, in the order the edges were added. */
  dependenciesOf(id: string): string[] {
    return this.dependencyIndices(this.#requireIndex(id)).map((index) => this.#ids[index]!);
  }

  /** What needs `id` first, in the order the edges were added. */
  dependentsOf(id: string): string[] {
    return this.dependentIndices(this.#requireIndex(id)).map((index) => this.#ids[index]!);
  }

  /** @internal Insertion index of `id`, or -1 when it is not in the graph. */
  indexOf(id: string): number {
    return this.#indexById.get(id) ?? -1;
  }

  /** @internal */
  idAt(index: number): string {
    const id = this.#ids[index];
    if (id === undefined)
      throw new RangeError(`No node at index ${index}; the graph has ${this.size} nodes.`);
    return id;
  }

  /** @internal */
  dataAt(index: number): T {
    this.idAt(index);
    return this.#data[index]!;
  }

  /** @internal Indices of the dependencies of the node at `index`, in edge insertion order. A new array. */
  dependencyIndices(index: number): number[] {
    this.idAt(index);
    const indices: number[] = [];
    for (
      let edge = this.#firstDependencyEdge[index]!;
      edge !== NONE;
      edge = this.#nextDependencyEdge[edge]!
    ) {
      indices.push(this.#edgeDependency[edge]!);
    }
    return indices;
  }

  /** @internal Indices of the dependents of the node at `index`, in edge insertion order. A new array. */
  dependentIndices(index: number): number[] {
    this.idAt(index);
    const indices: number[] = [];
    for (let edge = this.#firstDependentEdge[index]!; edge !== NONE; edge = this.#nextDependentEdge[edge]!) {
      indices.push(this.#edgeDependent[edge]!);
    }
    return indices;
  }

  /** @internal The compressed snapshot the algorithms walk; cached until the graph changes. */
  adjacency(): Adjacency {
    this.#adjacency ??= this.#compress();
    return this.#adjacency;
  }

  // Counting sort of the edges by node. Walking edges in insertion order keeps each node's edges in that order.
  #compress(): Adjacency {
    const size = this.size;
    const edgeCount = this.#edgeCount;
    const dependencyStart = new Int32Array(size + 1);
    const dependentStart = new Int32Array(size + 1);
    for (let node = 0; node < size; node++) {
      dependencyStart[node + 1] = dependencyStart[node]! + this.#dependencyCount[node]!;
      dependentStart[node + 1] = dependentStart[node]! + this.#dependentCount[node]!;
    }
    const dependencies = new Int32Array(edgeCount);
    const dependents = new Int32Array(edgeCount);
    const nextDependency = dependencyStart.slice(0, size);
    const nextDependent = dependentStart.slice(0, size);
    for (let edge = 0; edge < edgeCount; edge++) {
      const from = this.#edgeDependent[edge]!;
      const to = this.#edgeDependency[edge]!;
      dependencies[nextDependency[from]!++] = to;
      dependents[nextDependent[to]!++] = from;
    }
    return { dependencyStart, dependencies, dependentStart, dependents };
  }

  #hasEdge(from: number, to: number): boolean {
    const lookup = this.#dependencyLookup.get(from);
    if (lookup !== undefined) return lookup.has(to);
    for (let edge = this.#firstDependencyEdge[from]!; edge !== NONE; edge = this.#nextDependencyEdge[edge]!) {
      if (this.#edgeDependency[edge] === to) return true;
    }
    return false;
  }

  #requireIndex(id: string): number {
    const index = this.#indexById.get(id);
    if (index === undefined) {
      throw new GraphError({
        code: 'unknown-node',
        message: `Node "${id}" is not in the graph.`,
        ids: [id],
      });
    }
    return index;
  }

  #growNodes(): void {
    const capacity = this.#firstDependencyEdge.length * 2;
    this.#firstDependencyEdge = grown(this.#firstDependencyEdge, capacity);
    this.#lastDependencyEdge = grown(this.#lastDependencyEdge, capacity);
    this.#dependencyCount = grown(this.#dependencyCount, capacity);
    this.#firstDependentEdge = grown(this.#firstDependentEdge, capacity);
    this.#lastDependentEdge = grown(this.#lastDependentEdge, capacity);
    this.#dependentCount = grown(this.#dependentCount, capacity);
  }

  #growEdges(): void {
    const capacity = this.#edgeDependency.length * 2;
    this.#edgeDependent = grown(this.#edgeDependent, capacity);
    this.#edgeDependency = grown(this.#edgeDependency, capacity);
    this.#nextDependencyEdge = grown(this.#nextDependencyEdge, capacity);
    this.#nextDependentEdge = grown(this.#nextDependentEdge, capacity);
  }
}

function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(capacity);
  copy.set(array);
  return copy;
}
