// Mermaid flowchart rendering, with arrows pointing in execution order: from a dependency to its dependents.
import type { Graph } from './graph.js';
import { GraphError } from './graph-error.js';
import { sortedDependentIndices } from './sorted-edges.js';

export interface MermaidOptions<T> {
  /** Default: 'TD'. */
  direction?: 'LR' | 'TD';
  /** Node label; default: the node id. */
  label?: (id: string, data: T) => string;
  /** Class to attach to a node (`:::name`); undefined for none. */
  className?: (id: string, data: T) => string | undefined;
  /** Class definitions, e.g. `{ failed: 'fill:#f99,stroke:#900' }`. */
  classDefs?: Record<string, string>;
}

/**
 * Renders the graph as a Mermaid `flowchart`. Node ids are generated (`n0`, `n1`, ... by insertion index) so
 * no id can clash with Mermaid syntax or keywords such as `end`; the real id is the default label. Edges are
 * grouped by dependency in insertion order of both ends, so the output does not depend on edge order.
 * Throws GraphError 'invalid-argument' for a class name or class definition Mermaid could not parse.
 */
export function toMermaid<T>(graph: Graph<T>, options: MermaidOptions<T> = {}): string {
  const lines = [`flowchart ${options.direction ?? 'TD'}`];

  for (const name of Object.keys(options.classDefs ?? {}).sort()) {
    const style = options.classDefs![name]!;
    if (/[\n\r;]/.test(style)) {
      throw new GraphError({
        code: 'invalid-argument',
        message: `The Mermaid style for class "${name}" contains a line break or ";". Write it on one line, with commas between properties.`,
      });
    }
    lines.push(`  classDef ${checkedClassName(name)} ${style}`);
  }

  for (let node = 0; node < graph.size; node++) {
    const id = graph.idAt(node);
    const data = graph.dataAt(node);
    const label = options.label === undefined ? id : options.label(id, data);
    const className = options.className?.(id, data);
    const suffix = className === undefined ? '' : `:::${checkedClassName(className)}`;
    lines.push(`  n${node}["${escapeLabel(label)}"]${suffix}`);
  }

  for (let node = 0; node < graph.size; node++) {
    for (const dependent of sortedDependentIndices(graph, node)) lines.push(`  n${node} --> n${dependent}`);
  }

  return `${lines.join('\n')}\n`;
}

// Mermaid decodes `#name;` and `#123;` entity codes in labels, so `#` itself must be encoded before anything
// else can be. Angle brackets and ampersands would otherwise be read as HTML, and a leading backtick as Markdown.
const mermaidEscapes: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '\r\n': '<br>',
  '\r': '<br>',
  '\n': '<br>',
};

function escapeLabel(label: string): string {
  return label.replace(/\r\n|[#"&<>`\r\n]/g, (match) => mermaidEscapes[match]!);
}

function checkedClassName(name: string): string {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) {
    throw new GraphError({
      code: 'invalid-argument',
      message: `"${name}" is not a usable Mermaid class name. Use letters, digits, "_" and "-", starting with a letter or "_".`,
    });
  }
  return name;
}
