import { describe, expect, it } from 'vitest';
import { criticalPath, Graph, GraphError, remainingPathLengths } from '../../../src/plan/graph/index.js';
import { buildGraph } from './build-graph.js';

// network -> (vm -> disk-format) and network -> dns; app needs the formatted disk and dns.
const ids = ['network', 'vm', 'disk', 'dns', 'app'];
const edges: [string, string][] = [
  ['vm', 'network'],
  ['disk', 'vm'],
  ['dns', 'network'],
  ['app', 'disk'],
  ['app', 'dns'],
];
const minutes: Record<string, number> = { network: 2, vm: 5, disk: 1, dns: 10, app: 3 };
const duration = (id: string) => minutes[id]!;

describe('criticalPath', () => {
  it('counts nodes when no weight is given', () => {
    expect(criticalPath(buildGraph(ids, edges))).toEqual({
      path: ['network', 'vm', 'disk', 'app'],
      length: 4,
    });
  });

  it('follows the heaviest chain when weighted', () => {
    // network+dns+app = 15 beats network+vm+disk+app = 11.
    expect(criticalPath(buildGraph(ids, edges), duration)).toEqual({
      path: ['network', 'dns', 'app'],
      length: 15,
    });
  });

  it('passes node data to the weight function', () => {
    const graph = new Graph<{ seconds: number }>();
    graph.addNode('slow', { seconds: 30 });
    graph.addNode('fast', { seconds: 1 });
    expect(criticalPath(graph, (_id, data) => data.seconds)).toEqual({ path: ['slow'], length: 30 });
  });

  it('breaks ties by the lowest insertion index, whatever the edge order', () => {
    // Two equal chains into 'end', through 'right' and through 'left'; 'right' was inserted first.
    const nodes = ['start', 'right', 'left', 'end', 'other-end'];
    const tieEdges: [string, string][] = [
      ['right', 'start'],
      ['left', 'start'],
      ['end', 'right'],
      ['end', 'left'],
      ['other-end', 'left'],
    ];
    const expected = { path: ['start', 'right', 'end'], length: 3 };
    expect(criticalPath(buildGraph(nodes, tieEdges))).toEqual(expected);
    expect(criticalPath(buildGraph(nodes, tieEdges.slice().reverse()))).toEqual(expected);
  });

  it('ends at a node without dependents even when the last weight is zero', () => {
    const graph = buildGraph(['a', 'b'], [['b', 'a']]);
    expect(criticalPath(graph, (id) => (id === 'a' ? 4 : 0))).toEqual({ path: ['a', 'b'], length: 4 });
  });

  it('returns an empty path for an empty graph', () => {
    expect(criticalPath(new Graph<null>())).toEqual({ path: [], length: 0 });
  });

  it('rejects negative and non-finite weights', () => {
    const graph = buildGraph(['a'], []);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => criticalPath(graph, () => bad)).toThrow(GraphError);
      expect(() => remainingPathLengths(graph, () => bad)).toThrow(
        expect.objectContaining({ code: 'invalid-argument', ids: ['a'] }),
      );
    }
  });

  it('throws on a cycle', () => {
    const graph = buildGraph(['a'], [['a', 'a']]);
    expect(() => criticalPath(graph)).toThrow(
      expect.objectContaining({ code: 'cycle', cycles: [['a', 'a']] }),
    );
  });
});

describe('remainingPathLengths', () => {
  it('gives each node the heaviest chain from it to the end, inclusive', () => {
    expect(remainingPathLengths(buildGraph(ids, edges), duration)).toEqual(
      new Map([
        ['network', 15],
        ['vm', 9],
        ['disk', 4],
        ['dns', 13],
        ['app', 3],
      ]),
    );
  });

  it('agrees with the critical path length at its first node', () => {
    const graph = buildGraph(ids, edges);
    const { path, length } = criticalPath(graph, duration);
    expect(remainingPathLengths(graph, duration).get(path[0]!)).toBe(length);
  });

  it('counts nodes by default', () => {
    expect([...remainingPathLengths(buildGraph(ids, edges)).values()]).toEqual([4, 3, 2, 2, 1]);
  });
});
