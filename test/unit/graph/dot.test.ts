import { describe, expect, it } from 'vitest';
import { Graph, toDot } from '../../../src/plan/graph/index.js';
import { buildGraph } from './build-graph.js';

interface Step {
  title: string;
  status: 'done' | 'pending';
}

function trickyGraph(): Graph<Step> {
  const graph = new Graph<Step>();
  graph.addNode('server["eu-1"]', { title: 'Create "eu-1"\nin Frankfurt', status: 'done' });
  graph.addNode('C:\\deploy', { title: 'Copy to C:\\deploy\r\nthen verify', status: 'pending' });
  graph.addNode('app', { title: 'App', status: 'pending' });
  graph.addDependency('app', 'C:\\deploy');
  graph.addDependency('app', 'server["eu-1"]');
  graph.addDependency('C:\\deploy', 'server["eu-1"]');
  return graph;
}

describe('toDot', () => {
  it('draws edges from dependency to dependent with quoted ids', () => {
    const graph = buildGraph(['app', 'db'], [['app', 'db']]);
    expect(toDot(graph)).toMatchInlineSnapshot(`
      "digraph {
        "app";
        "db";
        "db" -> "app";
      }
      "
    `);
  });

  it('escapes quotes, backslashes and newlines in ids and labels', () => {
    const output = toDot(trickyGraph(), {
      name: 'deploy "prod"',
      rankdir: 'LR',
      label: (_id, step) => step.title,
      attributes: (_id, step) => ({
        style: step.status === 'done' ? 'filled' : undefined,
        color: step.status === 'done' ? 'green' : undefined,
      }),
    });
    expect(output).toMatchInlineSnapshot(`
      "digraph "deploy \\"prod\\"" {
        rankdir=LR;
        "server[\\"eu-1\\"]" [label="Create \\"eu-1\\"\\nin Frankfurt", color="green", style="filled"];
        "C:\\\\deploy" [label="Copy to C:\\\\deploy\\nthen verify"];
        "app" [label="App"];
        "server[\\"eu-1\\"]" -> "C:\\\\deploy";
        "server[\\"eu-1\\"]" -> "app";
        "C:\\\\deploy" -> "app";
      }
      "
    `);
  });

  it('lets a label attribute override the label option', () => {
    const graph = buildGraph(['a'], []);
    expect(
      toDot(graph, { label: () => 'from option', attributes: () => ({ label: 'from attributes' }) }),
    ).toContain('"a" [label="from attributes"];');
  });

  it('renders the same text whatever order the edges were added in', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const edges: [string, string][] = [
      ['d', 'a'],
      ['c', 'a'],
      ['b', 'a'],
      ['d', 'b'],
    ];
    expect(toDot(buildGraph(ids, edges.slice().reverse()))).toBe(toDot(buildGraph(ids, edges)));
  });
});
