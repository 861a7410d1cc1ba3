// Waves: groups of nodes that can run in parallel, each wave waiting only on earlier waves.
import type { Graph } from './graph.js';
import { topologicalIndices } from './topological.js';

/**
 * Wave 0 holds the nodes without dependencies; every other node sits one wave after its latest dependency, so
 * it runs as early as possible. Each wave lists its nodes in insertion order. Throws GraphError 'cycle'.
 */
export function computeWaves<T>(graph: Graph<T>): string[][] {
  const waveOf = waveNumbers(graph);
  let count = 0;
  for (const wave of waveOf) if (wave + 1 > count) count = wave + 1;
  const waves: string[][] = Array.from({ length: count }, () => []);
  // Walking indices in order is what keeps each wave in insertion order.
  for (let node = 0; node < waveOf.length; node++) waves[waveOf[node]!]!.push(graph.idAt(node));
  return waves;
}

/** The wave number of every node, keyed by id in insertion order; the same numbers as `computeWaves`. */
export function waveIndex<T>(graph: Graph<T>): Map<string, number> {
  const waveOf = waveNumbers(graph);
  const index = new Map<string, number>();
  for (let node = 0; node < waveOf.length; node++) index.set(graph.idAt(node), waveOf[node]!);
  return index;
}

/** @internal The wave number of every node by insertion index: `waveIndex` without the ids. */
export function waveNumbers<T>(graph: Graph<T>): Int32Array {
  const { dependencyStart, dependencies } = graph.adjacency();
  const waveOf = new Int32Array(graph.size);
  for (const node of topologicalIndices(graph)) {
    let wave = 0;
    for (let edge = dependencyStart[node]!, end = dependencyStart[node + 1]!; edge < end; edge++) {
      const after = waveOf[dependencies[edge]!]! + 1;
      if (after > wave) wave = after;
    }
    waveOf[node] = wave;
  }
  return waveOf;
}
