// Critical path: the heaviest chain of dependencies, which bounds how fast the whole graph can finish.
import type { Graph } from './graph.js';
import { GraphError } from './graph-error.js';
import { topologicalIndices } from './topological.js';

/** The cost of one node, e.g. its expected duration. Must be a finite number, zero or more. Default: 1. */
export type NodeWeight<T> = (id: string, data: T) => number;

export interface CriticalPath {
  /** From the first dependency to the last dependent. Empty for an empty graph. */
  path: string[];
  /** Sum of the weights along `path`. */
  length: number;
}

/**
 * The longest weighted chain, from a node without dependencies to a node without dependents. Among equally
 * long chains the one ending at the lowest insertion index wins, and each step back takes the dependency with
 * the lowest insertion index. Throws GraphError 'cycle', or 'invalid-argument' for a bad weight.
 */
export function criticalPath<T>(graph: Graph<T>, weight?: NodeWeight<T>): CriticalPath {
  const order = topologicalIndices(graph);
  const weights = nodeWeights(graph, weight);
  const { dependencyStart, dependencies, dependentStart } = graph.adjacency();
  const size = graph.size;
  // Heaviest chain ending at each node, and the dependency it came through (-1 for a start).
  const heaviest = new Float64Array(size);
  const previous = new Int32Array(size).fill(-1);
  for (const node of order) {
    let best = -1;
    for (let edge = dependencyStart[node]!, end = dependencyStart[node + 1]!; edge < end; edge++) {
      const dependency = dependencies[edge]!;
      if (
        best === -1 ||
        heaviest[dependency]! > heaviest[best]! ||
        (heaviest[dependency] === heaviest[best] && dependency < best)
      ) {
        best = dependency;
      }
    }
    previous[node] = best;
    heaviest[node] = weights[node]! + (best === -1 ? 0 : heaviest[best]!);
  }

  // Only nodes without dependents can end a chain; with weights of zero or more one of them is the heaviest.
  let end = -1;
  for (let node = 0; node < size; node++) {
    if (dependentStart[node + 1]! > dependentStart[node]!) continue;
    if (end === -1 || heaviest[node]! > heaviest[end]!) end = node;
  }
  if (end === -1) return { path: [], length: 0 };

  const path: string[] = [];
  for (let node = end; node !== -1; node = previous[node]!) path.push(graph.idAt(node));
  return { path: path.reverse(), length: heaviest[end]! };
}

/**
 * For every node, the weight of the heaviest chain that starts at it (inclusive) and runs through its
 * dependents to the end. An executor starts the ready node with the largest value first, because that chain
 * decides when everything is done. Keyed by id in insertion order. Throws like `criticalPath`.
 */
export function remainingPathLengths<T>(graph: Graph<T>, weight?: NodeWeight<T>): Map<string, number> {
  const order = topologicalIndices(graph);
  const weights = nodeWeights(graph, weight);
  const { dependentStart, dependents } = graph.adjacency();
  const remaining = new Float64Array(graph.size);
  for (let position = order.length - 1; position >= 0; position--) {
    const node = order[position]!;
    let longest = 0;
    for (let edge = dependentStart[node]!, end = dependentStart[node + 1]!; edge < end; edge++) {
      const after = remaining[dependents[edge]!]!;
      if (after > longest) longest = after;
    }
    remaining[node] = weights[node]! + longest;
  }
  const lengths = new Map<string, number>();
  for (let node = 0; node < remaining.length; node++) lengths.set(graph.idAt(node), remaining[node]!);
  return lengths;
}

// Each weight is asked for once; a negative or non-finite weight would make "longest" meaningless.
function nodeWeights<T>(graph: Graph<T>, weight: NodeWeight<T> | undefined): Float64Array {
  const weights = new Float64Array(graph.size);
  if (weight === undefined) return weights.fill(1);
  for (let node = 0; node < weights.length; node++) {
    const id = graph.idAt(node);
    const value = weight(id, graph.dataAt(node));
    if (!Number.isFinite(value) || value < 0) {
      throw new GraphError({
        code: 'invalid-argument',
        message: `The weight of node "${id}" is ${value}. Weights must be finite numbers of zero or more.`,
        ids: [id],
      });
    }
    weights[node] = value;
  }
  return weights;
}
