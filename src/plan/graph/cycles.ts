// Cycle detection: Tarjan's strongly connected components, iterative, with one deterministic cycle per component.
import { compareIds } from './compare-ids.js';
import type { Graph } from './graph.js';
import { GraphError } from './graph-error.js';

/**
 * Returns one cycle for every strongly connected component that has more than one node or a self-edge.
 *
 * Each cycle is a path in dependency direction that starts and ends at the same node: `['a', 'b', 'a']` means
 * a depends on b and b depends on a. It starts at the member whose id sorts first and is the shortest way back
 * to it (ties broken by visiting neighbours in id order), so the output does not depend on the order in which
 * nodes or edges were added. Cycles are sorted by their first id. Empty when the graph is acyclic.
 */
export function findCycles<T>(graph: Graph<T>): string[][] {
  const components = cyclicComponents(graph);
  if (components.length === 0) return [];
  const componentOf = new Int32Array(graph.size).fill(-1);
  components.forEach((members, component) => {
    for (const member of members) componentOf[member] = component;
  });
  // Shared across components: `parent` is reset for exactly the nodes each search touched.
  const parent = new Int32Array(graph.size).fill(-1);
  const cycles = components.map((members, component) =>
    shortestCycle(graph, members, component, componentOf, parent),
  );
  return cycles.sort((left, right) => compareIds(left[0]!, right[0]!));
}

/** Renders a cycle from `findCycles` for people: `a → b → c → a`. */
export function formatCycle(path: readonly string[]): string {
  return path.join(' → ');
}

/** Throws a GraphError with code 'cycle' when the graph has any cycle. */
export function assertAcyclic<T>(graph: Graph<T>): void {
  const cycles = findCycles(graph);
  if (cycles.length > 0) throw createCycleError(cycles);
}

/** @internal Builds the error every ordering algorithm throws when it meets a cycle. */
export function createCycleError(cycles: string[][]): GraphError {
  const listed = cycles.map(formatCycle).join('; ');
  const summary =
    cycles.length === 1
      ? `The graph has a dependency cycle: ${listed}.`
      : `The graph has ${cycles.length} dependency cycles: ${listed}.`;
  return new GraphError({
    code: 'cycle',
    message: `${summary} Nothing in a cycle can go first; remove one dependency from each cycle.`,
    ids: cycles.map((cycle) => cycle[0]!),
    cycles,
  });
}

// Tarjan's algorithm with an explicit call stack, so a 100,000-node chain cannot overflow the JS stack.
function cyclicComponents<T>(graph: Graph<T>): number[][] {
  const { dependencyStart, dependencies } = graph.adjacency();
  const size = graph.size;
  const order = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const componentStack = new Int32Array(size);
  const callStack = new Int32Array(size);
  const nextEdge = new Int32Array(size);
  const components: number[][] = [];
  let componentTop = 0;
  let callTop = 0;
  let counter = 0;

  for (let root = 0; root < size; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    componentStack[componentTop++] = root;
    onStack[root] = 1;
    callStack[callTop] = root;
    nextEdge[callTop++] = dependencyStart[root]!;

    while (callTop > 0) {
      const node = callStack[callTop - 1]!;
      const edge = nextEdge[callTop - 1]!;
      if (edge < dependencyStart[node + 1]!) {
        nextEdge[callTop - 1] = edge + 1;
        const next = dependencies[edge]!;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          componentStack[componentTop++] = next;
          onStack[next] = 1;
          callStack[callTop] = next;
          nextEdge[callTop++] = dependencyStart[next]!;
        } else if (onStack[next] === 1 && order[next]! < low[node]!) {
          low[node] = order[next]!;
        }
        continue;
      }

      callTop--;
      if (low[node] === order[node] && componentStack[componentTop - 1] === node) {
        // A component of one node, the usual case: no list to build unless it depends on itself.
        componentTop--;
        onStack[node] = 0;
        if (hasSelfEdge(node, dependencyStart, dependencies)) components.push([node]);
      } else if (low[node] === order[node]) {
        const members: number[] = [];
        let member: number;
        do {
          member = componentStack[--componentTop]!;
          onStack[member] = 0;
          members.push(member);
        } while (member !== node);
        if (members.length > 1 || hasSelfEdge(node, dependencyStart, dependencies)) components.push(members);
      }
      if (callTop > 0) {
        const caller = callStack[callTop - 1]!;
        if (low[node]! < low[caller]!) low[caller] = low[node]!;
      }
    }
  }
  return components;
}

function hasSelfEdge(node: number, dependencyStart: Int32Array, dependencies: Int32Array): boolean {
  for (let edge = dependencyStart[node]!, end = dependencyStart[node + 1]!; edge < end; edge++) {
    if (dependencies[edge] === node) return true;
  }
  return false;
}

// Breadth-first search inside one component from its first-sorting member back to itself.
function shortestCycle<T>(
  graph: Graph<T>,
  members: readonly number[],
  component: number,
  componentOf: Int32Array,
  parent: Int32Array,
): string[] {
  let start = members[0]!;
  for (const member of members) {
    if (compareIds(graph.idAt(member), graph.idAt(start)) < 0) start = member;
  }

  const { dependencyStart, dependencies } = graph.adjacency();
  const queue = [start];
  parent[start] = start;
  let last = -1;
  search: for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const neighbours = Array.from(dependencies.subarray(dependencyStart[node], dependencyStart[node + 1]))
      .filter((next) => componentOf[next] === component)
      .sort((left, right) => compareIds(graph.idAt(left), graph.idAt(right)));
    for (const next of neighbours) {
      if (next === start) {
        last = node;
        break search;
      }
      if (parent[next] === -1) {
        parent[next] = node;
        queue.push(next);
      }
    }
  }

  // A strongly connected component always leads back to its start; failing loudly beats looping forever.
  if (last === -1)
    throw new Error(`Internal error: no cycle back to "${graph.idAt(start)}" in its component.`);
  const reversed = [start];
  for (let node = last; node !== start; node = parent[node]!) reversed.push(node);
  reversed.push(start);
  for (const node of queue) parent[node] = -1;
  return reversed.reverse().map((index) => graph.idAt(index));
}
