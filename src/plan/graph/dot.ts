// Graphviz DOT rendering, with arrows pointing in execution order: from a dependency to its dependents.
import type { Graph } from './graph.js';
import { sortedDependentIndices } from './sorted-edges.js';

export interface DotOptions<T> {
  /** Graph name, written as `digraph "name"`; omitted when not given. */
  name?: string;
  /** Node label; default: the node id. */
  label?: (id: string, data: T) => string;
  /**
   * Extra node attributes such as `{ color: 'red' }`; undefined values are left out, and a `label` here wins over
   * the `label` option.
   */
  attributes?: (id: string, data: T) => Readonly<Record<string, string | undefined>>;
  rankdir?: 'LR' | 'TB';
}

/**
 * Renders the graph as DOT. Nodes appear in insertion order and edges grouped by dependency in insertion order
 * of both ends, so the same graph always renders the same text whatever order its edges were added in.
 */
export function toDot<T>(graph: Graph<T>, options: DotOptions<T> = {}): string {
  const lines = [options.name === undefined ? 'digraph {' : `digraph ${quote(options.name)} {`];
  if (options.rankdir !== undefined) lines.push(`  rankdir=${options.rankdir};`);

  for (let node = 0; node < graph.size; node++) {
    const id = graph.idAt(node);
    const data = graph.dataAt(node);
    const attributes: Record<string, string> = {};
    if (options.label !== undefined) attributes.label = normalizeLineBreaks(options.label(id, data));
    const extra = options.attributes?.(id, data) ?? {};
    for (const key of Object.keys(extra).sort()) {
      const value = extra[key];
      if (value !== undefined) attributes[key] = key === 'label' ? normalizeLineBreaks(value) : value;
    }
    const list = Object.entries(attributes).map(([key, value]) => `${attributeName(key)}=${quote(value)}`);
    lines.push(list.length === 0 ? `  ${quote(id)};` : `  ${quote(id)} [${list.join(', ')}];`);
  }

  for (let node = 0; node < graph.size; node++) {
    const from = quote(graph.idAt(node));
    for (const dependent of sortedDependentIndices(graph, node)) {
      lines.push(`  ${from} -> ${quote(graph.idAt(dependent))};`);
    }
  }

  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const dotEscapes: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' };

// Inside a quoted DOT string a backslash is the only escape character; newlines become the `\n` line break.
function quote(text: string): string {
  return `"${text.replace(/[\\"\n\r]/g, (character) => dotEscapes[character]!)}"`;
}

// Plain names like `color` stay readable; anything else is quoted, which DOT also accepts.
function attributeName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : quote(name);
}

// A Windows line break in a label should be one line break, not a right-justified line plus an empty one.
function normalizeLineBreaks(label: string): string {
  return label.replace(/\r\n?/g, '\n');
}
