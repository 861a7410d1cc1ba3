// The plan's dependency graph as Mermaid or Graphviz DOT, nodes labelled with their action.
import type { Plan, Step, StepAction } from '../model/plan.js';
import { Graph, toDot, toMermaid } from '../plan/graph/index.js';

export type GraphFormat = 'mermaid' | 'dot';

const MARKERS: Record<StepAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  same: '=',
};

const DOT_COLORS: Record<StepAction, string> = {
  create: '#2e7d32',
  update: '#b58900',
  replace: '#8e24aa',
  delete: '#c62828',
  same: '#777777',
};

/** Every step with the edges it waits on; arrows point from what runs first to what runs after. */
export function planGraph(plan: Plan): Graph<Step> {
  const graph = new Graph<Step>();
  for (const step of plan.steps) graph.addNode(step.address, step);
  for (const step of plan.steps) {
    for (const dependency of step.dependsOn) {
      if (graph.hasNode(dependency)) graph.addDependency(step.address, dependency);
    }
  }
  return graph;
}

export function renderGraph(plan: Plan, format: GraphFormat): string {
  const graph = planGraph(plan);
  const label = (id: string, step: Step) => `${MARKERS[step.action]} ${id}`;
  if (format === 'dot') {
    return `${toDot(graph, {
      name: plan.deployment,
      rankdir: 'LR',
      label,
      attributes: (_, step) => ({ color: DOT_COLORS[step.action], shape: 'box' }),
    })}\n`;
  }
  return `${toMermaid(graph, {
    direction: 'LR',
    label,
    className: (_, step) => step.action,
    classDefs: {
      create: 'stroke:#2e7d32,stroke-width:2px',
      update: 'stroke:#b58900,stroke-width:2px',
      replace: 'stroke:#8e24aa,stroke-width:2px',
      delete: 'stroke:#c62828,stroke-width:2px,stroke-dasharray:4',
      same: 'stroke:#777777',
    },
  })}\n`;
}
