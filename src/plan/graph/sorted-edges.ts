// Dependents in insertion order of the nodes, for renderers whose output must not depend on edge order.
import type { Graph } from './graph.js';

export function sortedDependentIndices<T>(graph: Graph<T>, index: number): Int32Array {
  const { dependentStart, dependents } = graph.adjacency();
  // Typed arrays sort numerically by default.
  return dependents.slice(dependentStart[index], dependentStart[index + 1]).sort();
}
