// Test helpers: compact graph construction and a seeded PRNG, so tests read as data.
import { Graph } from '../../../src/plan/graph/index.js';

/** Builds a graph from node ids and `[dependent, dependency]` pairs; node data is the id itself. */
export function buildGraph(
  ids: readonly string[],
  edges: readonly (readonly [string, string])[],
): Graph<string> {
  const graph = new Graph<string>();
  for (const id of ids) graph.addNode(id, id);
  for (const [dependent, dependency] of edges) graph.addDependency(dependent, dependency);
  return graph;
}

/** mulberry32: tiny, fast and good enough to make large random graphs reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with a seeded PRNG, for replaying the same edges in a different order. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
