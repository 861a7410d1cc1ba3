import { describe, expect, it } from 'vitest';
import { GraphError, topologicalOrder } from '../../../src/plan/graph/index.js';
import { buildGraph } from './build-graph.js';

// app needs api and worker, which both need db: the classic diamond.
const diamondEdges: [string, string][] = [
  ['app', 'api'],
  ['app', 'worker'],
  ['api', 'db'],
  ['worker', 'db'],
];

describe('topologicalOrder', () => {
  it('puts dependencies first on a diamond, siblings in insertion order', () => {
    expect(topologicalOrder(buildGraph(['app', 'worker', 'api', 'db'], diamondEdges))).toEqual([
      'db',
      'worker',
      'api',
      'app',
    ]);
    expect(topologicalOrder(buildGraph(['app', 'api', 'worker', 'db'], diamondEdges))).toEqual([
      'db',
      'api',
      'worker',
      'app',
    ]);
  });

  it('does not depend on the order edges were added in', () => {
    const ids = ['app', 'api', 'worker', 'db'];
    expect(topologicalOrder(buildGraph(ids, diamondEdges.slice().reverse()))).toEqual(
      topologicalOrder(buildGraph(ids, diamondEdges)),
    );
  });

  it('releases the earliest-inserted ready node, even when it became ready later', () => {
    // 'first' waits for 'late'; 'second' and 'third' are ready at once. Once 'late' is done, 'first' beats
    // 'third' because it was inserted earlier.
    const graph = buildGraph(['first', 'late', 'second', 'third'], [['first', 'late']]);
    expect(topologicalOrder(graph)).toEqual(['late', 'first', 'second', 'third']);
  });

  it('sees edges added after an earlier ordering', () => {
    const graph = buildGraph(['a', 'b'], []);
    expect(topologicalOrder(graph)).toEqual(['a', 'b']);
    graph.addDependency('a', 'b');
    expect(topologicalOrder(graph)).toEqual(['b', 'a']);
  });

  it('keeps independent nodes in insertion order', () => {
    expect(topologicalOrder(buildGraph(['c', 'a', 'b'], []))).toEqual(['c', 'a', 'b']);
  });

  it('throws a cycle error listing the cycles', () => {
    const graph = buildGraph(
      ['a', 'b', 'c'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'b'],
      ],
    );
    expect(() => topologicalOrder(graph)).toThrow(GraphError);
    expect(() => topologicalOrder(graph)).toThrow(
      expect.objectContaining({ code: 'cycle', cycles: [['b', 'c', 'b']] }),
    );
  });
});
