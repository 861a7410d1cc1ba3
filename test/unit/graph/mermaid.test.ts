import { describe, expect, it } from 'vitest';
import { Graph, toMermaid } from '../../../src/plan/graph/index.js';
import { buildGraph } from './build-graph.js';

describe('toMermaid', () => {
  it('uses generated node ids so ids such as "end" cannot break the chart', () => {
    const graph = buildGraph(['start', 'end'], [['end', 'start']]);
    expect(toMermaid(graph)).toMatchInlineSnapshot(`
      "flowchart TD
        n0["start"]
        n1["end"]
        n0 --> n1
      "
    `);
  });

  it('escapes quotes, newlines, entity codes and HTML in labels', () => {
    const graph = new Graph<{ failed: boolean }>();
    graph.addNode('say "hi"', { failed: false });
    graph.addNode('multi\nline\r\nlabel', { failed: true });
    graph.addNode('#quot; <b>bold</b> & `code`', { failed: false });
    graph.addDependency('multi\nline\r\nlabel', 'say "hi"');
    graph.addDependency('#quot; <b>bold</b> & `code`', 'say "hi"');

    const output = toMermaid(graph, {
      direction: 'LR',
      className: (_id, data) => (data.failed ? 'failed' : undefined),
      classDefs: { failed: 'fill:#f99,stroke:#900', done: 'fill:#9f9' },
    });
    expect(output).toMatchInlineSnapshot(`
      "flowchart LR
        classDef done fill:#9f9
        classDef failed fill:#f99,stroke:#900
        n0["say #quot;hi#quot;"]
        n1["multi<br>line<br>label"]:::failed
        n2["#35;quot; #lt;b#gt;bold#lt;/b#gt; #amp; #96;code#96;"]
        n0 --> n1
        n0 --> n2
      "
    `);
  });

  it('uses the label option instead of the id', () => {
    const graph = buildGraph(['web-1'], []);
    expect(toMermaid(graph, { label: (id) => `Server ${id}` })).toContain('n0["Server web-1"]');
  });

  it('rejects class names and styles Mermaid could not parse', () => {
    const graph = buildGraph(['a'], []);
    expect(() => toMermaid(graph, { className: () => 'bad class' })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
    expect(() => toMermaid(graph, { classDefs: { ok: 'fill:#fff;\nclick n0 call evil()' } })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });

  it('renders the same text whatever order the edges were added in', () => {
    const ids = ['a', 'b', 'c'];
    const edges: [string, string][] = [
      ['c', 'a'],
      ['b', 'a'],
      ['c', 'b'],
    ];
    expect(toMermaid(buildGraph(ids, edges.slice().reverse()))).toBe(toMermaid(buildGraph(ids, edges)));
  });
});
