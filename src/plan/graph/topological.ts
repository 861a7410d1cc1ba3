// Topological order: every dependency before its dependents, ties released in insertion order.
import { createCycleError, findCycles } from './cycles.js';
import type { Graph } from './graph.js';
import { IndexHeap } from './index-heap.js';

/**
 * Node ids with every dependency before its dependents. Among nodes that are ready at the same time, the one
 * added to the graph first comes first, so the order is stable and readable. Throws GraphError 'cycle'.
 */
export function topologicalOrder<T>(graph: Graph<T>): string[] {
  const order = topologicalIndices(graph);
  const ids = new Array<string>(order.length);
  for (let position = 0; position < order.length; position++) ids[position] = graph.idAt(order[position]!);
  return ids;
}

/** @internal The same order as `topologicalOrder`, as node indices. O((V + E) log V). */
export function topologicalIndices<T>(graph: Graph<T>): Int32Array {
  const { dependencyStart, dependentStart, dependents } = graph.adjacency();
  const size = graph.size;
  const waiting = new Int32Array(size);
  const heap = new IndexHeap(size);
  for (let node = 0; node < size; node++) {
    // Edges are deduplicated by the graph, so the dependency count is exactly what must finish first.
    waiting[node] = dependencyStart[node + 1]! - dependencyStart[node]!;
    if (waiting[node] === 0) heap.push(node);
  }

  const order = new Int32Array(size);
  let placed = 0;
  while (heap.length > 0) {
    const node = heap.pop();
    order[placed++] = node;
    for (let edge = dependentStart[node]!, end = dependentStart[node + 1]!; edge < end; edge++) {
      const dependent = dependents[edge]!;
      if (--waiting[dependent]! === 0) heap.push(dependent);
    }
  }
  // Nodes on or behind a cycle never reach zero, so a short order means a cycle.
  if (placed < size) throw createCycleError(findCycles(graph));
  return order;
}
