import { describe, expect, it } from 'vitest';
import { assertAcyclic, findCycles, formatCycle, Graph, GraphError } from '../../../src/plan/graph/index.js';
import { buildGraph, seededRandom, shuffled } from './build-graph.js';

describe('findCycles', () => {
  it('returns nothing for an acyclic graph', () => {
    const graph = buildGraph(
      ['a', 'b', 'c', 'd'],
      [
        ['d', 'b'],
        ['d', 'c'],
        ['b', 'a'],
        ['c', 'a'],
      ],
    );
    expect(findCycles(graph)).toEqual([]);
    expect(findCycles(new Graph<null>())).toEqual([]);
    expect(() => assertAcyclic(graph)).not.toThrow();
  });

  it('reports a self-edge as a cycle of one node', () => {
    const graph = buildGraph(
      ['a', 'b'],
      [
        ['b', 'a'],
        ['a', 'a'],
      ],
    );
    expect(findCycles(graph)).toEqual([['a', 'a']]);
  });

  it('reports a two-node cycle starting at the id that sorts first', () => {
    const graph = buildGraph(
      ['zeta', 'alpha'],
      [
        ['zeta', 'alpha'],
        ['alpha', 'zeta'],
      ],
    );
    expect(findCycles(graph)).toEqual([['alpha', 'zeta', 'alpha']]);
  });

  it('finds a three-node cycle inside a larger graph, in dependency direction', () => {
    // root -> b -> c -> d -> b, with acyclic nodes before, after and beside the cycle.
    const graph = buildGraph(
      ['root', 'd', 'c', 'b', 'leaf', 'side'],
      [
        ['root', 'b'],
        ['b', 'c'],
        ['c', 'd'],
        ['d', 'b'],
        ['d', 'leaf'],
        ['side', 'leaf'],
      ],
    );
    expect(findCycles(graph)).toEqual([['b', 'c', 'd', 'b']]);
  });

  it('returns one cycle per component, sorted by first id', () => {
    const graph = buildGraph(
      ['y', 'x', 'q', 'p', 'r', 'bridge'],
      [
        ['y', 'x'],
        ['x', 'y'],
        ['p', 'q'],
        ['q', 'r'],
        ['r', 'p'],
        ['bridge', 'x'],
        ['bridge', 'p'],
      ],
    );
    expect(findCycles(graph)).toEqual([
      ['p', 'q', 'r', 'p'],
      ['x', 'y', 'x'],
    ]);
  });

  it('picks the shortest way back, breaking ties by id', () => {
    // a reaches itself through a long loop (a b c d e a) and two short ones (a x a, a w a); w sorts before x.
    const graph = buildGraph(
      ['a', 'b', 'c', 'd', 'e', 'x', 'w'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
        ['d', 'e'],
        ['e', 'a'],
        ['a', 'x'],
        ['x', 'a'],
        ['a', 'w'],
        ['w', 'a'],
      ],
    );
    expect(findCycles(graph)).toEqual([['a', 'w', 'a']]);
  });

  it('reports the self-edge of the first member even when its component is larger', () => {
    const graph = buildGraph(
      ['b', 'a'],
      [
        ['a', 'b'],
        ['b', 'a'],
        ['a', 'a'],
      ],
    );
    expect(findCycles(graph)).toEqual([['a', 'a']]);
  });

  it('gives the same cycles whatever order nodes and edges were added in', () => {
    const ids = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'];
    const edges: [string, string][] = [
      ['n1', 'n2'],
      ['n2', 'n3'],
      ['n3', 'n1'],
      ['n2', 'n4'],
      ['n4', 'n1'],
      ['n5', 'n6'],
      ['n6', 'n7'],
      ['n7', 'n8'],
      ['n8', 'n5'],
      ['n6', 'n5'],
      ['n8', 'n1'],
    ];
    const expected = findCycles(buildGraph(ids, edges));
    expect(expected).toEqual([
      ['n1', 'n2', 'n3', 'n1'],
      ['n5', 'n6', 'n5'],
    ]);

    const random = seededRandom(7);
    for (let attempt = 0; attempt < 25; attempt++) {
      expect(findCycles(buildGraph(shuffled(ids, random), shuffled(edges, random)))).toEqual(expected);
    }
  });

  it('agrees with brute force on small random graphs', () => {
    const random = seededRandom(99);
    for (let attempt = 0; attempt < 200; attempt++) {
      const ids = Array.from({ length: 10 }, (_, index) => `v${index}`);
      const edges: [string, string][] = [];
      for (let edge = 0; edge < 14; edge++) {
        edges.push([ids[Math.floor(random() * 10)]!, ids[Math.floor(random() * 10)]!]);
      }
      const graph = buildGraph(shuffled(ids, random), edges);

      // Shortest cycle length through each node (0 when none), and which nodes reach each other.
      const distances = new Map(ids.map((id) => [id, shortestDistances(graph, id)]));
      const shortestCycleThrough = (id: string) =>
        Math.min(
          ...graph
            .dependenciesOf(id)
            .map((next) => (next === id ? 1 : (distances.get(next)!.get(id) ?? 99) + 1)),
          99,
        );
      const onCycle = ids.filter((id) => shortestCycleThrough(id) < 99);
      const component = (id: string) =>
        onCycle.filter((other) => distances.get(id)!.has(other) && distances.get(other)!.has(id)).concat(id);
      const expectedStarts = [...new Set(onCycle.map((id) => component(id).sort()[0]!))].sort();

      const cycles = findCycles(graph);
      expect(cycles.map((cycle) => cycle[0])).toEqual(expectedStarts);
      for (const cycle of cycles) {
        expect(cycle.at(-1)).toBe(cycle[0]);
        expect(cycle.length - 1).toBe(shortestCycleThrough(cycle[0]!));
        for (let step = 1; step < cycle.length; step++) {
          expect(graph.hasDependency(cycle[step - 1]!, cycle[step]!)).toBe(true);
        }
      }
    }
  });

  it('follows a 100,000-node cycle without overflowing the stack', () => {
    const count = 100_000;
    const graph = new Graph<null>();
    const id = (index: number) => `step-${String(index).padStart(6, '0')}`;
    for (let index = 0; index < count; index++) graph.addNode(id(index), null);
    for (let index = 0; index < count; index++) graph.addDependency(id(index), id((index + 1) % count));

    const cycles = findCycles(graph);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(count + 1);
    expect(cycles[0]!.slice(0, 3)).toEqual([id(0), id(1), id(2)]);
    expect(cycles[0]!.at(-1)).toBe(id(0));
  });
});

// Breadth-first distances from `from` along dependency edges, not counting `from` itself unless revisited.
function shortestDistances(graph: Graph<string>, from: string): Map<string, number> {
  const distances = new Map<string, number>();
  let frontier = [from];
  for (let distance = 1; frontier.length > 0; distance++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const dependency of graph.dependenciesOf(id)) {
        if (!distances.has(dependency)) {
          distances.set(dependency, distance);
          next.push(dependency);
        }
      }
    }
    frontier = next;
  }
  return distances;
}

describe('formatCycle', () => {
  it('joins the path with arrows', () => {
    expect(formatCycle(['a', 'b', 'c', 'a'])).toBe('a → b → c → a');
  });
});

describe('assertAcyclic', () => {
  it('throws a cycle error that carries every cycle and says how to fix it', () => {
    const graph = buildGraph(
      ['a', 'b', 'c'],
      [
        ['a', 'b'],
        ['b', 'a'],
        ['c', 'c'],
      ],
    );
    let caught: unknown;
    try {
      assertAcyclic(graph);
    } catch (error) {
      caught = error;
    }
    expect(GraphError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'cycle',
      cycles: [
        ['a', 'b', 'a'],
        ['c', 'c'],
      ],
      ids: ['a', 'c'],
    });
    expect((caught as Error).message).toMatchInlineSnapshot(
      `"The graph has 2 dependency cycles: a → b → a; c → c. Nothing in a cycle can go first; remove one dependency from each cycle."`,
    );
  });
});
