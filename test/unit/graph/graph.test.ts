import { describe, expect, it } from 'vitest';
import { Graph, GraphError } from '../../../src/plan/graph/index.js';

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('Graph', () => {
  it('stores nodes with their data in insertion order', () => {
    const graph = new Graph<{ port: number }>();
    graph.addNode('web', { port: 80 });
    graph.addNode('db', { port: 5432 });

    expect(graph.size).toBe(2);
    expect(graph.ids()).toEqual(['web', 'db']);
    expect(graph.hasNode('db')).toBe(true);
    expect(graph.hasNode('cache')).toBe(false);
    expect(graph.node('db')).toEqual({ port: 5432 });
    expect(graph.node('cache')).toBeUndefined();
  });

  it('returns a copy of the ids, so callers cannot corrupt the graph', () => {
    const graph = new Graph<null>();
    graph.addNode('a', null);
    graph.ids().push('b');
    expect(graph.ids()).toEqual(['a']);
  });

  it('rejects a duplicate node id with a coded error', () => {
    const graph = new Graph<number>();
    graph.addNode('a', 1);
    const error = catchError(() => graph.addNode('a', 2));

    expect(GraphError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ code: 'duplicate-node', ids: ['a'], name: 'GraphError' });
    expect(graph.node('a')).toBe(1);
  });

  it('rejects an edge to or from an unknown node, naming the missing one', () => {
    const graph = new Graph<null>();
    graph.addNode('a', null);

    const error = catchError(() => graph.addDependency('a', 'ghost'));
    expect(error).toMatchObject({ code: 'unknown-node', ids: ['a', 'ghost'] });
    expect((error as Error).message).toContain('node "ghost" is not in the graph');
    expect(catchError(() => graph.addDependency('ghost', 'a'))).toMatchObject({ code: 'unknown-node' });
    expect(catchError(() => graph.dependenciesOf('ghost'))).toMatchObject({ code: 'unknown-node' });
    expect(graph.edgeCount).toBe(0);
  });

  it('ignores duplicate edges and reports whether an edge was added', () => {
    const graph = new Graph<null>();
    graph.addNode('a', null);
    graph.addNode('b', null);

    expect(graph.addDependency('a', 'b')).toBe(true);
    expect(graph.addDependency('a', 'b')).toBe(false);
    expect(graph.addDependency('b', 'a')).toBe(true);
    expect(graph.edgeCount).toBe(2);
    expect(graph.dependenciesOf('a')).toEqual(['b']);
    expect(graph.hasDependency('a', 'b')).toBe(true);
    expect(graph.hasDependency('a', 'ghost')).toBe(false);
  });

  it('accepts a self-edge', () => {
    const graph = new Graph<null>();
    graph.addNode('a', null);
    expect(graph.addDependency('a', 'a')).toBe(true);
    expect(graph.dependenciesOf('a')).toEqual(['a']);
    expect(graph.dependentsOf('a')).toEqual(['a']);
  });

  it('lists dependencies and dependents in edge insertion order', () => {
    const graph = new Graph<null>();
    for (const id of ['app', 'db', 'cache', 'network']) graph.addNode(id, null);
    graph.addDependency('app', 'network');
    graph.addDependency('app', 'db');
    graph.addDependency('app', 'cache');
    graph.addDependency('db', 'network');

    expect(graph.dependenciesOf('app')).toEqual(['network', 'db', 'cache']);
    expect(graph.dependentsOf('network')).toEqual(['app', 'db']);
    expect(graph.dependenciesOf('network')).toEqual([]);
  });

  it('deduplicates edges on a node with many dependencies', () => {
    const graph = new Graph<null>();
    graph.addNode('hub', null);
    const count = 5_000;
    for (let index = 0; index < count; index++) {
      graph.addNode(`leaf-${index}`, null);
      expect(graph.addDependency('hub', `leaf-${index}`)).toBe(true);
    }
    for (let index = count - 1; index >= 0; index--) {
      expect(graph.addDependency('hub', `leaf-${index}`)).toBe(false);
    }

    expect(graph.edgeCount).toBe(count);
    expect(graph.dependenciesOf('hub')).toEqual(Array.from({ length: count }, (_, index) => `leaf-${index}`));
    expect(graph.hasDependency('hub', 'leaf-17')).toBe(true);
    expect(graph.hasDependency('leaf-17', 'hub')).toBe(false);
  });

  it('maps ids to insertion indices for the algorithms', () => {
    const graph = new Graph<string>();
    graph.addNode('a', 'data-a');
    graph.addNode('b', 'data-b');
    graph.addDependency('b', 'a');

    expect(graph.indexOf('b')).toBe(1);
    expect(graph.indexOf('ghost')).toBe(-1);
    expect(graph.idAt(0)).toBe('a');
    expect(graph.dataAt(1)).toBe('data-b');
    expect(graph.dependencyIndices(1)).toEqual([0]);
    expect(graph.dependentIndices(0)).toEqual([1]);
    expect(() => graph.idAt(2)).toThrow(RangeError);
    expect(() => graph.dependencyIndices(-1)).toThrow(RangeError);
  });

  it('gives the algorithms a compressed snapshot that follows later changes', () => {
    const graph = new Graph<null>();
    for (const id of ['a', 'b', 'c']) graph.addNode(id, null);
    graph.addDependency('c', 'b');
    graph.addDependency('c', 'a');

    const before = graph.adjacency();
    expect(graph.adjacency()).toBe(before);
    expect([...before.dependencyStart]).toEqual([0, 0, 0, 2]);
    expect([...before.dependencies]).toEqual([1, 0]);
    expect([...before.dependentStart]).toEqual([0, 1, 2, 2]);
    expect([...before.dependents]).toEqual([2, 2]);

    graph.addDependency('b', 'a');
    const after = graph.adjacency();
    expect(after).not.toBe(before);
    expect([...after.dependencyStart]).toEqual([0, 0, 1, 3]);
    expect([...after.dependencies]).toEqual([0, 1, 0]);

    graph.addNode('d', null);
    expect([...graph.adjacency().dependencyStart]).toEqual([0, 0, 1, 3, 3]);
  });
});
