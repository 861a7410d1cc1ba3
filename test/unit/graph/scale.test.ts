// Large graphs: the algorithms must be iterative (no stack overflow) and still produce valid results.
import { describe, expect, it } from 'vitest';
import {
  computeWaves,
  criticalPath,
  findCycles,
  Graph,
  remainingPathLengths,
  topologicalOrder,
  waveIndex,
} from '../../../src/plan/graph/index.js';
import { seededRandom } from './build-graph.js';

const nodeCount = 100_000;

function expectEveryEdgeRespected(graph: Graph<unknown>, order: readonly string[]): void {
  expect(order).toHaveLength(graph.size);
  const position = new Map(order.map((id, index) => [id, index]));
  expect(position.size).toBe(graph.size);
  let violations = 0;
  for (const id of graph.ids()) {
    for (const dependency of graph.dependenciesOf(id)) {
      if (position.get(dependency)! >= position.get(id)!) violations++;
    }
  }
  expect(violations).toBe(0);
}

function expectValidChain(graph: Graph<unknown>, path: readonly string[]): void {
  expect(graph.dependenciesOf(path[0]!)).toEqual([]);
  expect(graph.dependentsOf(path.at(-1)!)).toEqual([]);
  let brokenLinks = 0;
  for (let index = 1; index < path.length; index++) {
    if (!graph.hasDependency(path[index]!, path[index - 1]!)) brokenLinks++;
  }
  expect(brokenLinks).toBe(0);
}

describe('a 100,000-node chain', () => {
  const graph = new Graph<number>();
  // Inserted from the end of the chain backwards, so insertion order alone never gives a valid order.
  for (let index = nodeCount - 1; index >= 0; index--) graph.addNode(`step-${index}`, index);
  for (let index = 1; index < nodeCount; index++) graph.addDependency(`step-${index}`, `step-${index - 1}`);

  it('has no cycles', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('orders every step after the one before it', () => {
    const order = topologicalOrder(graph);
    expect(order[0]).toBe('step-0');
    expect(order.at(-1)).toBe(`step-${nodeCount - 1}`);
    expectEveryEdgeRespected(graph, order);
  });

  it('puts every step in its own wave', () => {
    const waves = computeWaves(graph);
    expect(waves).toHaveLength(nodeCount);
    expect(waves.every((wave, index) => wave.length === 1 && wave[0] === `step-${index}`)).toBe(true);
  });

  it('has the whole chain as its critical path', () => {
    const { path, length } = criticalPath(graph);
    expect(length).toBe(nodeCount);
    expect(path).toHaveLength(nodeCount);
    expectValidChain(graph, path);
    expect(remainingPathLengths(graph).get('step-0')).toBe(nodeCount);
  });
});

describe('a random 100,000-node DAG with about 300,000 edges', () => {
  const random = seededRandom(20_240_601);
  const graph = new Graph<number>();
  // Random insertion order, with edges only from a later rank to an earlier one, so the graph is acyclic.
  const ranks = Array.from({ length: nodeCount }, (_, rank) => rank);
  for (let index = ranks.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [ranks[index], ranks[other]] = [ranks[other]!, ranks[index]!];
  }
  for (const rank of ranks) graph.addNode(`node-${rank}`, rank);
  for (let rank = 1; rank < nodeCount; rank++) {
    for (let edge = 0; edge < 3; edge++) {
      // Mostly near neighbours, so chains are long; sometimes anywhere earlier.
      const distance = random() < 0.8 ? 1 + Math.floor(random() * 10) : 1 + Math.floor(random() * rank);
      graph.addDependency(`node-${rank}`, `node-${Math.max(0, rank - distance)}`);
    }
  }

  it('is as large as intended', () => {
    expect(graph.size).toBe(nodeCount);
    expect(graph.edgeCount).toBeGreaterThan(280_000);
  });

  it('has no cycles', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('has a topological order that respects every edge', () => {
    expectEveryEdgeRespected(graph, topologicalOrder(graph));
  });

  it('has waves in which every node comes after all of its dependencies', () => {
    const waves = computeWaves(graph);
    expectEveryEdgeRespected(graph, waves.flat());
    const waveOf = waveIndex(graph);
    let notAsEarlyAsPossible = 0;
    for (const id of graph.ids()) {
      const dependencies = graph.dependenciesOf(id);
      const earliest =
        dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map((d) => waveOf.get(d)!));
      if (waveOf.get(id) !== earliest) notAsEarlyAsPossible++;
    }
    expect(notAsEarlyAsPossible).toBe(0);
  });

  it('has a critical path that is a real chain as long as the wave count', () => {
    const { path, length } = criticalPath(graph);
    expectValidChain(graph, path);
    expect(length).toBe(path.length);
    expect(length).toBe(computeWaves(graph).length);
    expect(Math.max(...remainingPathLengths(graph).values())).toBe(length);
  });

  it('finds the cycle once a single back edge closes one', () => {
    const copy = new Graph<number>();
    for (const id of graph.ids()) copy.addNode(id, graph.node(id)!);
    for (const id of graph.ids())
      for (const dependency of graph.dependenciesOf(id)) copy.addDependency(id, dependency);
    copy.addDependency('node-0', 'node-1');

    const cycles = findCycles(copy);
    expect(cycles).toEqual([['node-0', 'node-1', 'node-0']]);
    expect(() => topologicalOrder(copy)).toThrow(expect.objectContaining({ code: 'cycle', cycles }));
  });
});
