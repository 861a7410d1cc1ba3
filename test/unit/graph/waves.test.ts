import { describe, expect, it } from 'vitest';
import { computeWaves, Graph, waveIndex } from '../../../src/plan/graph/index.js';
import { buildGraph } from './build-graph.js';

describe('computeWaves', () => {
  it('groups a diamond into three waves', () => {
    const graph = buildGraph(
      ['app', 'worker', 'api', 'db'],
      [
        ['app', 'api'],
        ['app', 'worker'],
        ['api', 'db'],
        ['worker', 'db'],
      ],
    );
    expect(computeWaves(graph)).toEqual([['db'], ['worker', 'api'], ['app']]);
  });

  it('places a node one wave after its latest dependency, not its earliest', () => {
    // deploy needs both the quick config and the slow chain build -> test.
    const graph = buildGraph(
      ['deploy', 'config', 'build', 'test'],
      [
        ['deploy', 'config'],
        ['deploy', 'test'],
        ['test', 'build'],
      ],
    );
    expect(computeWaves(graph)).toEqual([['config', 'build'], ['test'], ['deploy']]);
    expect(waveIndex(graph)).toEqual(
      new Map([
        ['deploy', 2],
        ['config', 0],
        ['build', 0],
        ['test', 1],
      ]),
    );
  });

  it('keys the wave index in insertion order', () => {
    const graph = buildGraph(['b', 'a'], [['b', 'a']]);
    expect([...waveIndex(graph).keys()]).toEqual(['b', 'a']);
  });

  it('returns no waves for an empty graph', () => {
    expect(computeWaves(new Graph<null>())).toEqual([]);
    expect(waveIndex(new Graph<null>()).size).toBe(0);
  });

  it('throws on a cycle', () => {
    const graph = buildGraph(
      ['a', 'b'],
      [
        ['a', 'b'],
        ['b', 'a'],
      ],
    );
    expect(() => computeWaves(graph)).toThrow(expect.objectContaining({ code: 'cycle' }));
    expect(() => waveIndex(graph)).toThrow(expect.objectContaining({ code: 'cycle' }));
  });
});
